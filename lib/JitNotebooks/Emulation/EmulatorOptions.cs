namespace JitNotebooks.Emulation;

/// <summary>
/// Where an <see cref="Emulator"/> puts things and how far it lets a program run. The defaults
/// suit the course: code at 0x400000 (where Linux loads classic executables), a 64 KiB stack,
/// a million steps.
/// </summary>
public sealed class EmulatorOptions
{
    /// <summary>Where <see cref="Emulator.Load(ReadOnlySpan{byte})"/> maps the code (page-aligned, not 0).</summary>
    public ulong CodeAddress { get; init; } = 0x40_0000;

    /// <summary>The first address above the stack (16-aligned); the stack grows down from here.</summary>
    public ulong StackEnd { get; init; } = 0x7fff_0000_0000;

    /// <summary>The stack's size in bytes (whole pages, at least one).</summary>
    public int StackSize { get; init; } = 64 * 1024;

    /// <summary>How many instructions a run may execute before <see cref="StepLimitExceededException"/>.</summary>
    public long MaxSteps { get; init; } = 1_000_000;

    /// <summary>
    /// The return address the caller pushes. When the program's final <c>ret</c> jumps there, the
    /// run has returned. It is never mapped, so it looks like what it stands for: the caller, outside the program.
    /// </summary>
    public ulong ReturnAddress { get; init; } = 0xdead_0000;

    /// <summary>Refuse a <c>call</c> when rsp is not a multiple of 16 (the System V rule).</summary>
    public bool CheckStackAlignment { get; init; } = true;

    /// <summary>C# functions the code may call, by address.</summary>
    public CallbackRegistry Callbacks { get; init; } = new();

    /// <summary>
    /// Also treat the process-wide <see cref="NativeCallbacks"/> as callable (what the course's
    /// fallback needs: notebook 07's callback). Turn it off to run code that must never reach a
    /// pointer registered elsewhere in the process, such as generated or random programs whose
    /// memory may sit where a registered function used to be.
    /// </summary>
    public bool UseRegisteredNativeCallbacks { get; init; } = true;

    internal void Validate()
    {
        if (CodeAddress == 0)
            throw new ArgumentException("CodeAddress is 0, the null pointer, which Linux never maps. Use e.g. 0x400000.", nameof(CodeAddress));
        if (CodeAddress % EmulatedMemory.PageSize != 0)
            throw new ArgumentException(
                $"CodeAddress 0x{CodeAddress:x} is not a multiple of the page size ({EmulatedMemory.PageSize}): mmap only " +
                "returns whole pages, so code starts on a page boundary. Use e.g. 0x400000.", nameof(CodeAddress));
        if (StackSize < EmulatedMemory.PageSize || StackSize % EmulatedMemory.PageSize != 0)
            throw new ArgumentException(
                $"StackSize {StackSize} is not a whole number of {EmulatedMemory.PageSize}-byte pages (at least one). Use e.g. 65536.", nameof(StackSize));
        if (StackEnd % 16 != 0 || StackEnd < (ulong)StackSize)
            throw new ArgumentException(
                $"StackEnd 0x{StackEnd:x} must be a multiple of 16 and at least StackSize ({StackSize}) above 0.", nameof(StackEnd));
        if (MaxSteps < 1)
            throw new ArgumentException($"MaxSteps is {MaxSteps}; a run needs at least one step.", nameof(MaxSteps));
        if (Callbacks is null)
            throw new ArgumentException("Callbacks is null; leave it out for none, or pass a CallbackRegistry.", nameof(Callbacks));
    }
}
