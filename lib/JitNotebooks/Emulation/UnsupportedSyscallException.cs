namespace JitNotebooks.Emulation;

/// <summary>A <c>syscall</c> whose number (rax) the emulator does not provide.</summary>
public sealed class UnsupportedSyscallException(long number) : EmulationException
{
    /// <summary>The value of rax at the syscall.</summary>
    public long Number { get; } = number;

    private string Name => Syscall.All.FirstOrDefault(s => s.Number == Number)?.Name is { } n ? $" ({n})" : "";

    public override string Problem => $"syscall {Number}{Name} is not one the emulator provides.";

    public override string OnRealHardware => "the kernel would carry out the system call (or return -ENOSYS).";

    public override string Fix =>
        $"the emulator provides {SyscallTable.Description}. Check rax: it must hold the syscall's number when syscall runs.";
}
