using Iced.Intel;

namespace JitNotebooks.Emulation;

/// <summary>syscall and int3.</summary>
internal static class SystemInstructions
{
    /// <summary>
    /// <c>syscall</c>: the CPU saves the return address in rcx and RFLAGS in r11 (that is why
    /// the syscall convention passes argument 4 in r10, not rcx); the "kernel" then runs the call
    /// named by rax and leaves its result in rax.
    /// </summary>
    public static void Syscall(Machine m, in Instruction i)
    {
        long number = (long)m.Cpu.Gpr[(int)Reg64.Rax];
        var call = SyscallTable.Find(number) ?? throw new UnsupportedSyscallException(number);
        m.Cpu.Gpr[(int)Reg64.Rcx] = i.NextIP;
        m.Cpu.Gpr[(int)Reg64.R11] = m.Cpu.RFlags;
        call(m);
    }

    public static void Int3(Machine m, in Instruction i) => throw new BreakpointTrapException();
}

/// <summary>The Linux system calls the emulator provides, by number (what rax holds).</summary>
internal static class SyscallTable
{
    private const long EBADF = 9, EFAULT = 14;

    private static readonly Dictionary<long, Action<Machine>> Calls = new()
    {
        [Syscall.Write.Number] = Write,
        [Syscall.Exit.Number] = Exit,
        [231] = Exit, // exit_group: one thread is all there is
    };

    public const string Description = "write (1) to fd 1 or 2, exit (60) and exit_group (231)";

    public static Action<Machine>? Find(long number) => Calls.GetValueOrDefault(number);

    /// <summary>
    /// write(fd, buf, count): fd 1 and 2 are recorded as output. Like the kernel, a bad buffer is
    /// no crash but an error in rax (-EFAULT), and any other fd is closed (-EBADF).
    /// </summary>
    private static void Write(Machine m)
    {
        ulong fd = m.Cpu.Gpr[(int)Reg64.Rdi], buffer = m.Cpu.Gpr[(int)Reg64.Rsi], count = m.Cpu.Gpr[(int)Reg64.Rdx];
        ref ulong rax = ref m.Cpu.Gpr[(int)Reg64.Rax];
        if (fd is not (1 or 2)) { rax = unchecked((ulong)-EBADF); return; }
        if (count == 0) { rax = 0; return; }
        var bytes = m.Memory.TryReadForKernel(buffer, count);
        if (bytes is null) { rax = unchecked((ulong)-EFAULT); return; }
        m.RecordWrite((int)fd, bytes);
        rax = count;
    }

    /// <summary>exit(status): the run ends; the parent would see status &amp; 0xff.</summary>
    private static void Exit(Machine m) => m.Exit((int)(m.Cpu.Gpr[(int)Reg64.Rdi] & 0xFF));
}
