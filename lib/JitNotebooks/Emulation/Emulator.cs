namespace JitNotebooks.Emulation;

/// <summary>
/// An x86-64 emulator for the course's instruction subset, built on Iced's decoder: the code is
/// decoded, never hand-parsed, and each instruction runs by the semantics in
/// <see cref="InstructionTable"/>. It runs anywhere .NET runs, and anything the code does wrong
/// stops the run with a typed <see cref="EmulationException"/> instead of killing the process.
/// </summary>
/// <example>
/// <code>
/// Emulator.Run(HelloWorldProgram.Packed()).OutputText        // "Hello World!"
/// Emulator.Run(SampleFunctions.Add(), 2, 40).ReturnValue     // 42
/// Emulator.Trace(SampleFunctions.SumTo(), 3)                 // one row per instruction
/// </code>
/// For more control: <c>new Emulator(options)</c>, <see cref="Load(CodeBuilder)"/>,
/// <see cref="PrepareCall(long[])"/>, then <see cref="Step"/> or <see cref="Continue"/>.
/// </example>
public sealed class Emulator
{
    /// <summary>The caller's frame above the return address: 64 bytes the program may read, like a real caller's.</summary>
    private const int CallerFrame = 64;

    private readonly Machine _machine;
    private MemoryRegion? _program;

    /// <summary>An emulator with nothing loaded.</summary>
    /// <exception cref="ArgumentException">An option is out of range (the message says which and why).</exception>
    public Emulator(EmulatorOptions? options = null)
    {
        Options = options ?? new EmulatorOptions();
        Options.Validate();
        _machine = new Machine(new EmulatedMemory(), Options.Callbacks)
        {
            CheckStackAlignment = Options.CheckStackAlignment,
            ReturnAddress = Options.ReturnAddress,
            UseNativeCallbacks = Options.UseRegisteredNativeCallbacks,
        };
    }

    internal Machine Machine => _machine;

    public EmulatorOptions Options { get; }

    /// <summary>The registers (read and write them between steps).</summary>
    public CpuState Cpu => _machine.Cpu;

    /// <summary>The address space.</summary>
    public EmulatedMemory Memory => _machine.Memory;

    /// <summary>Where the loaded program starts (offsets count from here).</summary>
    public ulong ProgramStart => _machine.ProgramStart;

    /// <summary>Instructions run since <see cref="PrepareCall(long[])"/>.</summary>
    public long Steps => _machine.Steps;

    /// <summary>The write system calls so far.</summary>
    public IReadOnlyList<OutputWrite> Writes => _machine.Writes;

    /// <summary>True once the program returned to its caller or exited.</summary>
    public bool IsFinished => _machine.Ending is not null;

    // ---- loading -------------------------------------------------------------------------------

    /// <summary>Maps <paramref name="code"/> read-execute at <see cref="EmulatorOptions.CodeAddress"/> (whole pages, zero-filled).</summary>
    /// <exception cref="ArgumentException">The code is empty.</exception>
    /// <exception cref="InvalidOperationException">A program is already loaded.</exception>
    public MemoryRegion Load(ReadOnlySpan<byte> code)
    {
        if (_program is not null)
            throw new InvalidOperationException(
                $"This emulator already holds a program at 0x{_program.Start:x}; an emulator runs one program. Create a new Emulator for another.");
        ExecutableMemory.ThrowIfEmpty(code);
        int mapped = (code.Length + EmulatedMemory.PageSize - 1) / EmulatedMemory.PageSize * EmulatedMemory.PageSize;
        var padded = new byte[mapped];
        code.CopyTo(padded);
        _program = Memory.Map(Options.CodeAddress, padded, Protection.Read | Protection.Execute, "the code");
        _machine.ProgramStart = Options.CodeAddress;
        return _program;
    }

    /// <summary>
    /// Loads a program built with <see cref="CodeBuilder"/>; its data (e.g. "Hello World!") is
    /// marked, so running into it stops with <see cref="ExecutingDataException"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The program still has unpatched placeholders, or a program is already loaded.</exception>
    public MemoryRegion Load(CodeBuilder program)
    {
        ArgumentNullException.ThrowIfNull(program);
        if (!program.IsPatched && program.Fixups.Count > 0)
            throw new InvalidOperationException(
                $"The program still has {program.Fixups.Count} zero placeholder(s) waiting for an address. " +
                "Call program.Patch() first, then load it.");
        var region = Load(program.ToArray());
        foreach (var span in program.Roles.Where(r => r.Role == ByteRole.Data))
            region.MarkData(region.Start + (ulong)span.Start, region.Start + (ulong)(span.Start + span.Length), span.Owner);
        return region;
    }

    // ---- running -------------------------------------------------------------------------------

    /// <summary>
    /// Sets up a call of the loaded program as <c>long f(…)</c> under System V: arguments in rdi,
    /// rsi, rdx, rcx, r8, r9, the return address pushed, rsp ≡ 8 (mod 16). Other registers keep
    /// their values (zero in a new emulator).
    /// </summary>
    /// <exception cref="InvalidOperationException">Nothing is loaded.</exception>
    /// <exception cref="ArgumentException">More than six arguments.</exception>
    public void PrepareCall(params long[] arguments) =>
        PrepareCall(_program is null ? throw NothingLoaded() : ProgramStart, arguments);

    /// <summary>Sets up a call of the code at <paramref name="entry"/> (see <see cref="PrepareCall(long[])"/>).</summary>
    public void PrepareCall(ulong entry, params long[] arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        if (arguments.Length > SysVConvention.ArgumentRegisters.Count)
            throw new ArgumentException(
                $"{arguments.Length} arguments given; registers carry at most {SysVConvention.ArgumentRegisters.Count} " +
                "(rdi, rsi, rdx, rcx, r8, r9). The course's functions take at most six.", nameof(arguments));
        var stack = Memory.Find(Options.StackEnd - 1) ??
                    Memory.Map(Options.StackEnd - (ulong)Options.StackSize, Options.StackSize, Protection.Read | Protection.Write, "the stack");
        ulong rsp = stack.End - CallerFrame - 8;
        for (int i = 0; i < arguments.Length; i++) Cpu[SysVConvention.ArgumentRegisters[i]] = (ulong)arguments[i];
        Memory.WriteBytes(rsp, BitConverter.GetBytes(Options.ReturnAddress));
        Cpu[Reg64.Rsp] = rsp;
        Start(entry);
    }

    /// <summary>
    /// Starts a run at <paramref name="entry"/> with the registers and memory exactly as they are
    /// (for a caller that set up the stack itself); reaching <see cref="EmulatorOptions.ReturnAddress"/> ends it.
    /// </summary>
    public void Start(ulong entry)
    {
        if (_machine.ProgramStart == 0) _machine.ProgramStart = entry;
        Cpu.Rip = entry;
        _machine.Steps = 0;
        _machine.Ending = null;
        _machine.Writes.Clear();
    }

    /// <summary>Runs one instruction. Returns false (and runs nothing) once the program has finished.</summary>
    /// <exception cref="EmulationException">The instruction faulted; nothing of it was committed.</exception>
    public bool Step()
    {
        if (IsFinished) return false;
        if (Steps >= Options.MaxSteps)
        {
            var limit = new StepLimitExceededException(Options.MaxSteps);
            limit.Locate(_machine.Locate(Cpu.Rip));
            throw limit;
        }
        _machine.Step();
        if (_machine.Ending is null && Cpu.Rip == Options.ReturnAddress) _machine.Ending = RunEnding.Returned;
        return true;
    }

    /// <summary>Runs until the program returns or exits.</summary>
    /// <exception cref="EmulationException">Something stopped the run (its message says what, where and how to fix it).</exception>
    public EmulationResult Continue()
    {
        while (Step()) { }
        return Result;
    }

    /// <summary>How the finished run ended.</summary>
    /// <exception cref="InvalidOperationException">The run has not finished.</exception>
    public EmulationResult Result => _machine.Ending is { } ending
        ? new EmulationResult(ending, _machine.ExitStatus, Cpu.Snapshot(), [.. _machine.Writes], Steps)
        : throw new InvalidOperationException("The program has not finished yet; call Continue() (or Step() until it returns false) first.");

    /// <summary>Runs to the end, recording one row per instruction (see <see cref="ExecutionTrace"/>). Errors end the trace instead of throwing.</summary>
    public ExecutionTrace Trace() => ExecutionTrace.Record(this);

    private static InvalidOperationException NothingLoaded() =>
        new("No program is loaded. Call Load(code) first, or use Emulator.Run(code, arguments) to do everything at once.");

    // ---- all at once ---------------------------------------------------------------------------

    /// <summary>Loads <paramref name="code"/>, calls it with <paramref name="arguments"/> and runs it to the end.</summary>
    public static EmulationResult Run(ReadOnlySpan<byte> code, params long[] arguments) => Run(code, null, arguments);

    /// <summary>As <see cref="Run(ReadOnlySpan{byte}, long[])"/>, with options.</summary>
    public static EmulationResult Run(ReadOnlySpan<byte> code, EmulatorOptions? options, params long[] arguments)
    {
        var emulator = new Emulator(options);
        emulator.Load(code);
        emulator.PrepareCall(arguments);
        return emulator.Continue();
    }

    /// <summary>Loads a <see cref="CodeBuilder"/> program, calls it and runs it to the end.</summary>
    public static EmulationResult Run(CodeBuilder program, params long[] arguments) => Run(program, null, arguments);

    public static EmulationResult Run(CodeBuilder program, EmulatorOptions? options, params long[] arguments)
    {
        var emulator = new Emulator(options);
        emulator.Load(program);
        emulator.PrepareCall(arguments);
        return emulator.Continue();
    }

    /// <summary>Runs <paramref name="code"/> and records every step (see <see cref="ExecutionTrace"/>).</summary>
    public static ExecutionTrace Trace(ReadOnlySpan<byte> code, params long[] arguments) => Trace(code, null, arguments);

    public static ExecutionTrace Trace(ReadOnlySpan<byte> code, EmulatorOptions? options, params long[] arguments)
    {
        var emulator = new Emulator(options);
        emulator.Load(code);
        emulator.PrepareCall(arguments);
        return emulator.Trace();
    }

    /// <summary>Runs a <see cref="CodeBuilder"/> program and records every step.</summary>
    public static ExecutionTrace Trace(CodeBuilder program, params long[] arguments) => Trace(program, null, arguments);

    public static ExecutionTrace Trace(CodeBuilder program, EmulatorOptions? options, params long[] arguments)
    {
        var emulator = new Emulator(options);
        emulator.Load(program);
        emulator.PrepareCall(arguments);
        return emulator.Trace();
    }
}
