namespace JitNotebooks.Emulation;

/// <summary>The program ran more instructions than <see cref="EmulatorOptions.MaxSteps"/> allows.</summary>
public sealed class StepLimitExceededException(long limit) : EmulationException
{
    public long Limit { get; } = limit;

    public override string Problem => $"The program did not finish within {Limit:N0} instructions.";

    public override string OnRealHardware =>
        "a loop that never ends hangs the caller (an isolated run is killed at its time limit).";

    public override string Fix =>
        "check the loop's exit condition (does the counter reach the value the jcc tests?), or raise " +
        "EmulatorOptions.MaxSteps if the program really needs more steps.";
}
