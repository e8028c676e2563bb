namespace JitNotebooks;

/// <summary>One row of the calling-convention comparison: a role, and which register plays it in each convention.</summary>
/// <param name="Role">What the register is for.</param>
/// <param name="FunctionCall">System V AMD64 function calls (what C#'s <c>delegate* unmanaged</c> uses on Linux).</param>
/// <param name="Syscall">Linux system calls (notebook 01's table).</param>
/// <param name="Why">Why they differ, in a sentence.</param>
public sealed record ConventionRow(string Role, string FunctionCall, string Syscall, string Why);

/// <summary>
/// Notebook 07's table: the System V AMD64 function-call convention beside the Linux syscall
/// convention of notebook 01. Both pass integers in registers; they differ where the
/// <c>syscall</c> instruction itself uses a register, and in who must preserve what.
/// </summary>
public static class SysVConvention
{
    /// <summary>Integer and pointer arguments, in order.</summary>
    public static IReadOnlyList<Reg64> ArgumentRegisters { get; } = [Reg64.Rdi, Reg64.Rsi, Reg64.Rdx, Reg64.Rcx, Reg64.R8, Reg64.R9];

    /// <summary>The syscall's argument registers: rcx is replaced by r10, because <c>syscall</c> overwrites rcx.</summary>
    public static IReadOnlyList<Reg64> SyscallArgumentRegisters => SyscallConvention.ArgumentRegisters;

    /// <summary>Where an integer result comes back (a 16-byte struct of two integers uses rax and rdx).</summary>
    public static Reg64 ReturnRegister => Reg64.Rax;

    /// <summary>Registers a function must give back unchanged (save and restore them if you use them).</summary>
    public static IReadOnlyList<Reg64> CalleeSaved { get; } = [Reg64.Rbx, Reg64.Rbp, Reg64.R12, Reg64.R13, Reg64.R14, Reg64.R15];

    /// <summary>Registers a function may overwrite freely (the caller saves them if it needs them).</summary>
    public static IReadOnlyList<Reg64> CallerSaved { get; } =
        [Reg64.Rax, Reg64.Rcx, Reg64.Rdx, Reg64.Rsi, Reg64.Rdi, Reg64.R8, Reg64.R9, Reg64.R10, Reg64.R11];

    /// <summary>rsp must be a multiple of this just before a <c>call</c> (so rsp ≡ 8 mod 16 on entry).</summary>
    public const int StackAlignment = 16;

    /// <summary>True if <paramref name="reg"/> must be preserved across a call.</summary>
    public static bool IsCalleeSaved(Reg64 reg) => CalleeSaved.Contains(reg);

    /// <summary>The table, row by row.</summary>
    public static IReadOnlyList<ConventionRow> Rows { get; } =
    [
        new("number (which call)", "— (the call's target address)", "rax", "a syscall is chosen by number; a function by its address"),
        new("argument 1", "rdi", "rdi", "same"),
        new("argument 2", "rsi", "rsi", "same"),
        new("argument 3", "rdx", "rdx", "same"),
        new("argument 4", "rcx", "r10", "the syscall instruction overwrites rcx with the return address"),
        new("argument 5", "r8", "r8", "same"),
        new("argument 6", "r9", "r9", "same"),
        new("more arguments", "on the stack, right to left", "none (6 at most)", "the kernel never reads the user stack for arguments"),
        new("result", "rax (rax:rdx for 16 bytes)", "rax (-4095..-1 = -errno)", "the kernel signals errors in the result itself"),
        new("destroyed by the call", "rax rcx rdx rsi rdi r8–r11", "rax rcx r11", "syscall saves rip in rcx and rflags in r11; the kernel restores the rest"),
        new("preserved by the call", "rbx rbp rsp r12–r15", "all others", "a function may use any caller-saved register as scratch"),
        new("stack alignment", "rsp % 16 == 0 at the call", "none", "compiled code may use 16-byte aligned SSE loads on the stack"),
        new("how", "call (pushes the return address)", "syscall (switches to the kernel)", "a call stays in the process; a syscall enters the kernel"),
    ];

    /// <summary>The table, ready to show as text or HTML (the same renderer as notebook 01's tables).</summary>
    public static TextTable Table()
    {
        var table = new TextTable("role", "function call (System V)", "syscall (Linux)", "why");
        foreach (var r in Rows) table.AddRow(r.Role, r.FunctionCall, r.Syscall, r.Why);
        return table;
    }

    /// <summary>The table as aligned plain text.</summary>
    public static string ToText() => Table().ToText();

    /// <summary>The table as an HTML fragment (for a notebook's display).</summary>
    public static string ToHtml() => Table().ToHtml();
}
