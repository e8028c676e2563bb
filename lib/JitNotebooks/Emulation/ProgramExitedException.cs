namespace JitNotebooks.Emulation;

/// <summary>
/// Emulated code called as a function made the <c>exit</c> system call, so the call has no value
/// to return. (A native call would have ended the whole process, notebook kernel included.)
/// </summary>
public sealed class ProgramExitedException(int status) : EmulationException
{
    /// <summary>The exit status (the low byte of exit's argument).</summary>
    public int Status { get; } = status;

    public override string Problem => $"The code called exit({Status}) instead of returning.";

    public override string OnRealHardware => "exit ends the whole process: in a notebook, the kernel with every variable in it.";

    public override string Fix =>
        "end a function with ret. To watch a program that exits, run it with Emulator.Run (its result says how it " +
        "ended) or Isolation.RunIsolated.";
}
