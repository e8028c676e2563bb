namespace JitNotebooks.Isolation;

/// <summary>
/// The Linux signals a wrong byte of machine code can earn (numbers as on x86-64 Linux).
/// Each one's default action kills the process, which in a notebook means the kernel.
/// </summary>
public enum LinuxSignal
{
    /// <summary>Illegal instruction: bytes the CPU cannot decode (#UD).</summary>
    SIGILL = 4,
    /// <summary>Trace/breakpoint trap: <c>int3</c> (0xcc) ran (#BP).</summary>
    SIGTRAP = 5,
    /// <summary>Bus error: a misaligned or otherwise impossible memory access.</summary>
    SIGBUS = 7,
    /// <summary>Arithmetic exception: <c>idiv</c> by zero, or a quotient that does not fit (#DE).</summary>
    SIGFPE = 8,
    /// <summary>Killed: cannot be caught.</summary>
    SIGKILL = 9,
    /// <summary>Segmentation fault: memory that is not mapped, or not readable/writable/executable (#PF, #GP).</summary>
    SIGSEGV = 11,
    /// <summary>Alarm clock: the isolated run's time limit expired.</summary>
    SIGALRM = 14,
    /// <summary>Bad system call: the isolated run's seccomp filter refused a system call.</summary>
    SIGSYS = 31,
}

/// <summary>What each signal means, in a sentence a learner can act on.</summary>
public static class LinuxSignalFacts
{
    private static readonly Dictionary<LinuxSignal, string> Meanings = new()
    {
        [LinuxSignal.SIGILL] = "the CPU met bytes that are not a valid instruction (#UD)",
        [LinuxSignal.SIGTRAP] = "an int3 (0xcc) breakpoint ran (#BP)",
        [LinuxSignal.SIGBUS] = "a memory access the hardware cannot perform (bus error)",
        [LinuxSignal.SIGFPE] = "idiv divided by zero, or the quotient did not fit in the destination (#DE)",
        [LinuxSignal.SIGKILL] = "the process was killed",
        [LinuxSignal.SIGSEGV] = "the code touched memory that is not mapped, or not mapped for that kind of access (#PF/#GP)",
        [LinuxSignal.SIGALRM] = "the time limit expired",
        [LinuxSignal.SIGSYS] = "a system call outside the allowed set (write, exit, exit_group)",
    };

    /// <summary>A short explanation; numbers the table does not know get a generic sentence.</summary>
    public static string Meaning(this LinuxSignal signal) =>
        Meanings.TryGetValue(signal, out var m) ? m : $"signal {(int)signal}";

    /// <summary>"SIGSEGV (11)" style.</summary>
    public static string Name(this LinuxSignal signal) =>
        Enum.IsDefined(signal) ? $"{signal} ({(int)signal})" : $"signal {(int)signal}";
}
