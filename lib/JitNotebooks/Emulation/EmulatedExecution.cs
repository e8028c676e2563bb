namespace JitNotebooks.Emulation;

/// <summary>
/// The fallback: calls into emulated memory (<see cref="ExecutionMode.Emulated"/>) run here, in an
/// emulator that sees every emulated mapping with its current protections, a private stack per
/// thread, and the C# callbacks registered with <see cref="NativeCallbacks"/>. What the code
/// writes to fd 1 and 2 goes where <see cref="StdoutCapture"/> or the console takes it.
/// </summary>
public static class EmulatedExecution
{
    private const int StackSize = 1 << 20;
    private const int CallerFrame = 64;

    /// <summary>
    /// The return address a fallback call pushes; reaching it means the code returned. Never
    /// mapped: it lies in the first 64 KiB, which no system maps.
    /// </summary>
    private const ulong ReturnAddress = 0xdead;

    [ThreadStatic] private static MemoryRegion? t_stack;

    /// <summary>
    /// How many instructions one fallback call may run before <see cref="StepLimitExceededException"/>
    /// (a runaway loop then stops after a few seconds instead of hanging the notebook).
    /// </summary>
    public static long StepLimit { get; set; } = 100_000_000;

    /// <summary>True when <paramref name="address"/> lies in emulated memory: the call must go to the emulator.</summary>
    internal static bool Owns(nint address) => EmulatedAddressSpace.Owns(address);

    /// <summary>
    /// Calls the emulated code at <paramref name="entry"/> as <c>f(a, b, c, d, e, f)</c> under System V
    /// and returns rax and rdx (a function returning one long ignores rdx).
    /// </summary>
    /// <exception cref="EmulationException">The code faulted; the message says where and why.</exception>
    /// <exception cref="ProgramExitedException">The code called exit.</exception>
    internal static (long Rax, long Rdx) Call(nint entry, long a = 0, long b = 0, long c = 0, long d = 0, long e = 0, long f = 0)
    {
        NativePlatform.EnterCallPath();
        var stack = t_stack ??= NewStack();
        return Run(new EmulatedMemory([.. EmulatedAddressSpace.Snapshot(), stack]), stack, entry, a, b, c, d, e, f);
    }

    /// <summary>
    /// Calls a copy of <paramref name="code"/> (position-independent, as the compiler's functions are)
    /// in the emulator, for code that sits in real memory the emulator does not own (the double-mapped
    /// arena's views under emulation). Writes to fds 1 and 2 go where <see cref="Call"/>'s go.
    /// </summary>
    internal static (long Rax, long Rdx) CallCopy(ReadOnlySpan<byte> code, long a = 0, long b = 0, long c = 0, long d = 0, long e = 0, long f = 0)
    {
        const ulong At = 0x40_0000;
        NativePlatform.EnterCallPath();
        var stack = t_stack ??= NewStack();
        var memory = new EmulatedMemory([stack]);
        memory.Map(At, code, Protection.Read | Protection.Execute, "the function (a copy)");
        return Run(memory, stack, (nint)At, a, b, c, d, e, f);
    }

    private static (long Rax, long Rdx) Run(EmulatedMemory memory, MemoryRegion stack, nint entry, long a, long b, long c, long d, long e, long f)
    {
        var machine = new Machine(memory, new CallbackRegistry())
        {
            ProgramStart = (ulong)entry, // offsets in messages count from the function called
            ReturnAddress = ReturnAddress,
            WriteListener = EmulatedOutput.Write,
        };
        var cpu = machine.Cpu;
        ReadOnlySpan<long> arguments = [a, b, c, d, e, f];
        for (int i = 0; i < arguments.Length; i++) cpu[SysVConvention.ArgumentRegisters[i]] = (ulong)arguments[i];
        ulong rsp = stack.End - CallerFrame - 8;
        memory.WriteBytes(rsp, BitConverter.GetBytes(ReturnAddress));
        cpu[Reg64.Rsp] = rsp;
        cpu.Rip = (ulong)entry;
        while (cpu.Rip != ReturnAddress)
        {
            if (machine.Steps >= StepLimit)
            {
                var limit = new StepLimitExceededException(StepLimit);
                limit.Locate(machine.Locate(cpu.Rip));
                throw limit;
            }
            machine.Step();
            if (machine.Ending == RunEnding.Exited)
            {
                var exited = new ProgramExitedException(machine.ExitStatus);
                exited.Locate(machine.Locate(cpu.Rip));
                throw exited;
            }
        }
        return ((long)cpu[Reg64.Rax], (long)cpu[Reg64.Rdx]);
    }

    private static MemoryRegion NewStack()
    {
        // Pinned like the mappings, so its (real, unique) address never collides with one of them;
        // page-aligned, so rsp starts 16-aligned as System V promises.
        var buffer = GC.AllocateArray<byte>(StackSize + EmulatedMemory.PageSize, pinned: true);
        unsafe
        {
            nint raw = (nint)System.Runtime.CompilerServices.Unsafe.AsPointer(ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(buffer));
            nint start = (raw + EmulatedMemory.PageSize - 1) & ~(nint)(EmulatedMemory.PageSize - 1);
            return new MemoryRegion((ulong)start, StackSize, Protection.Read | Protection.Write, "the stack (emulated)", buffer, (int)(start - raw));
        }
    }
}
