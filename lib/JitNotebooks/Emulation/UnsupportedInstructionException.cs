namespace JitNotebooks.Emulation;

/// <summary>
/// A valid instruction outside the course's subset. The emulator stops rather than skip it:
/// a skipped instruction would make every later result wrong.
/// </summary>
public sealed class UnsupportedInstructionException(string instruction, string reason) : EmulationException
{
    /// <summary>The instruction in AT&amp;T syntax.</summary>
    public string Instruction { get; } = instruction;

    /// <summary>Why it is outside the subset (which part of it the emulator does not model).</summary>
    public string Reason { get; } = reason;

    public override string Problem => $"`{Instruction}` is outside the instructions the emulator models: {Reason}.";

    public override string OnRealHardware => "the CPU would run it.";

    public override string Fix =>
        $"use the course's instructions ({InstructionTable.SubsetDescription}), or run the bytes natively " +
        "on Linux x86-64 (Isolation.RunIsolated keeps a crash away from the notebook).";
}
