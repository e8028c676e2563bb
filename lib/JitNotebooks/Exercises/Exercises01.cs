namespace JitNotebooks.Exercises;

/// <summary>Notebook 01's exercises: the Linux x86-64 syscall register table.</summary>
public static class Exercises01
{
    /// <summary>Which register carries write's third argument, the byte count?</summary>
    public static CheckResult CountRegister(Reg64? answer) =>
        RegisterFor(answer, SyscallConvention.ArgumentRegister(3), "write's byte count (its third argument)");

    /// <summary>Which register carries a syscall's fourth argument? (Not the one a C call uses.)</summary>
    public static CheckResult FourthArgumentRegister(Reg64? answer) => Check.Safely(() =>
    {
        if (answer == Reg64.Rcx)
            return CheckResult.NotYet("rcx is the fourth argument of an ordinary C call, but syscall overwrites rcx " +
                                      "(it saves the return address there), so the kernel takes argument 4 elsewhere.");
        return RegisterFor(answer, SyscallConvention.ArgumentRegister(4), "a syscall's fourth argument");
    });

    /// <summary>The number that goes in rax to call <c>exit</c>.</summary>
    public static CheckResult ExitSyscallNumber(int answer) => Check.Safely(() =>
    {
        int expected = Syscall.Exit.Number;
        if (answer == expected)
            return CheckResult.Correct($"exit is syscall {expected}: mov $0x{expected:x},%rax before syscall.");
        if (answer == Syscall.Write.Number)
            return CheckResult.NotYet("1 is write. Look up exit in the syscall table above.");
        return CheckResult.NotYet("find the row named exit in SyscallConvention.SyscallTable(); its rax column is the number.");
    });

    private static CheckResult RegisterFor(Reg64? answer, Reg64 expected, string what) => Check.Safely(() =>
    {
        if (answer is null)
            return CheckResult.NotYet($"no register yet: which one carries {what}? Set your answer to a Reg64 value such as Reg64.Rdi.");
        if (answer == expected)
            return CheckResult.Correct($"{what} goes in {expected.IntelName()}.");
        return CheckResult.NotYet($"{answer.Value.IntelName()} is {SyscallConvention.RoleOf(answer.Value)}; " +
                                  $"for {what}, count along rdi, rsi, rdx, r10, r8, r9.");
    });
}
