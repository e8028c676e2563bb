namespace JitNotebooks.Emulation;

/// <summary>
/// The sixteen general registers, rip and the flags at one moment; immutable. Exceptions and
/// trace rows carry one, so what the CPU held when something happened can be shown afterwards.
/// </summary>
public sealed class RegisterSnapshot
{
    private readonly ulong[] _gpr;

    internal RegisterSnapshot(ulong[] gpr, ulong rip, CpuFlags flags, CpuFlags undefinedFlags)
    {
        _gpr = (ulong[])gpr.Clone();
        Rip = rip;
        Flags = flags;
        UndefinedFlags = undefinedFlags;
    }

    /// <summary>A register's 64-bit value.</summary>
    public ulong this[Reg64 register] => _gpr[register.Number()];

    /// <summary>The address of the next instruction to run.</summary>
    public ulong Rip { get; }

    /// <summary>The status flags (and DF).</summary>
    public CpuFlags Flags { get; }

    /// <summary>Flags whose value the last instruction that wrote them left undefined.</summary>
    public CpuFlags UndefinedFlags { get; }

    /// <summary>All sixteen values in encoding order (rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi, r8–r15).</summary>
    public IReadOnlyList<ulong> Values => _gpr;

    /// <summary>The registers whose values differ from <paramref name="before"/>, in encoding order.</summary>
    public IEnumerable<Reg64> ChangedSince(RegisterSnapshot before)
    {
        ArgumentNullException.ThrowIfNull(before);
        return Reg64Facts.All.Where(r => this[r] != before[r]);
    }

    /// <summary>Four registers per line: <c>rax=0x1 rcx=0x0 …</c>, then rip and the flags.</summary>
    public string ToText()
    {
        var lines = Reg64Facts.All.Chunk(4).Select(group =>
            string.Join("  ", group.Select(r => $"{r.IntelName(),3}=0x{this[r]:x16}")));
        return string.Join("\n", lines) + $"\nrip=0x{Rip:x}  flags: {Flags.Describe(UndefinedFlags)}";
    }

    public override string ToString() => ToText();
}
