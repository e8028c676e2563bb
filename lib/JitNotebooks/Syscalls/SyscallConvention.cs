namespace JitNotebooks;

/// <summary>
/// Step 1 of the course: the Linux x86-64 system call convention, i.e. which register carries what
/// across the <c>syscall</c> instruction (see the kernel's entry_64.S and the System V ABI, A.2).
/// </summary>
public static class SyscallConvention
{
    /// <summary>The register that holds the syscall number going in (<c>rax</c>).</summary>
    public static Reg64 NumberRegister => Reg64.Rax;

    /// <summary>
    /// The registers for arguments 1 to 6, in order: rdi, rsi, rdx, r10, r8, r9. The fourth is
    /// r10, not rcx as in an ordinary function call, because <c>syscall</c> overwrites rcx.
    /// </summary>
    public static IReadOnlyList<Reg64> ArgumentRegisters { get; } =
        [Reg64.Rdi, Reg64.Rsi, Reg64.Rdx, Reg64.R10, Reg64.R8, Reg64.R9];

    /// <summary>
    /// The register that holds the result coming back (<c>rax</c>): a value ≥ 0 on success, or a
    /// negative errno (-4095 to -1) on failure; there is no separate error flag.
    /// </summary>
    public static Reg64 ResultRegister => Reg64.Rax;

    /// <summary>The most negative result that is an error: results from -4095 to -1 are -errno.</summary>
    public const int LowestErrorResult = -4095;

    /// <summary>
    /// The registers the <c>syscall</c> instruction itself overwrites: the CPU saves the return
    /// address in rcx and RFLAGS in r11 so that <c>sysret</c> can restore them.
    /// </summary>
    public static IReadOnlyList<(Reg64 Register, string Why)> Clobbered { get; } =
    [
        (Reg64.Rcx, "return address (RIP after syscall) saved here"),
        (Reg64.R11, "RFLAGS saved here"),
    ];

    /// <summary>The register for argument <paramref name="number"/>, counting from 1 like the man pages.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The number is not 1 to 6.</exception>
    public static Reg64 ArgumentRegister(int number) => number is >= 1 and <= 6
        ? ArgumentRegisters[number - 1]
        : throw new ArgumentOutOfRangeException(nameof(number), number,
            $"Linux syscalls take arguments 1 to 6 in registers; there is no argument {number}.");

    /// <summary>What <paramref name="reg"/> does across a syscall, in a few words.</summary>
    public static string RoleOf(Reg64 reg)
    {
        var roles = new List<string>();
        if (reg == NumberRegister) roles.Add("syscall number in, result out");
        int arg = ArgumentRegisters.ToList().IndexOf(reg);
        if (arg >= 0) roles.Add($"argument {arg + 1}");
        roles.AddRange(Clobbered.Where(c => c.Register == reg).Select(c => "clobbered: " + c.Why));
        return roles.Count > 0 ? string.Join("; ", roles) : "preserved";
    }

    /// <summary>The article's table: one column per role, one row of register names.</summary>
    public static TextTable ArticleTable()
    {
        var table = new TextTable(["Syscall #", .. Enumerable.Range(1, 6).Select(i => $"Param {i}"), "Result", "Clobbered"]);
        return table.AddRow([NumberRegister.IntelName(), .. ArgumentRegisters.Select(r => r.IntelName()),
            ResultRegister.IntelName(), string.Join(", ", Clobbered.Select(c => c.Register.IntelName()))]);
    }

    /// <summary>
    /// The sixteen registers with their 4-bit encoding numbers: the low three bits go into ModRM,
    /// the fourth needs a REX bit. Also what each does across a syscall.
    /// </summary>
    public static TextTable RegisterTable()
    {
        var table = new TextTable("Register", "AT&T", "Number", "Bits", "ModRM bits", "REX bit", "Across a syscall");
        foreach (var reg in Reg64Facts.All)
            table.AddRow(reg.IntelName(), reg.AttName(), reg.Number(), Binary(reg.Number(), 4), Binary(reg.Low3(), 3),
                reg.NeedsRexBit() ? "yes" : "no", RoleOf(reg));
        return table;
    }

    /// <summary>
    /// The syscalls of <see cref="Syscall.All"/>: the number that goes in rax and which C parameter
    /// goes in which register.
    /// </summary>
    public static TextTable SyscallTable()
    {
        var table = new TextTable(["Name", "rax", .. ArgumentRegisters.Select(r => r.IntelName())]);
        foreach (var call in Syscall.All)
        {
            var parameters = Parameters(call.Signature);
            table.AddRow([call.Name, call.Number, .. ArgumentRegisters.Select((_, i) => i < parameters.Count ? parameters[i] : "")]);
        }
        return table;
    }

    /// <summary>The C parameters of a signature such as <c>ssize_t write(int fd, const void *buf, size_t count)</c>.</summary>
    internal static IReadOnlyList<string> Parameters(string signature)
    {
        int open = signature.IndexOf('('), close = signature.LastIndexOf(')');
        string inside = open >= 0 && close > open ? signature[(open + 1)..close].Trim() : "";
        return inside is "" or "void" ? [] : inside.Split(',').Select(p => p.Trim()).ToArray();
    }

    private static string Binary(int value, int digits) => Convert.ToString(value, 2).PadLeft(digits, '0');
}
