using JitNotebooks.Compiler;

namespace JitNotebooks.Tests.Compiler;

/// <summary>Notebook 09's measurements: they run, check their results, and the prose comes from them.</summary>
public class SpeedMeasurementsTests
{
    [Fact]
    public void Both_measurements_run_and_give_positive_times()
    {
        var compile = SpeedMeasurements.Compile(functions: 5);
        var evaluation = SpeedMeasurements.Evaluate(rows: 8);
        Assert.True(compile.ListingAndMprotect > 0 && compile.LeanAndDoubleMapped > 0 && compile.ExpressionCompile > 0);
        Assert.True(evaluation.OneCallPerRow > 0 && evaluation.Batch > 0 && evaluation.RyuJitLoop > 0);
    }

    [Fact]
    public void The_summary_states_the_ratios_of_these_numbers()
    {
        string text = SpeedMeasurements.Summary(new CompileTimes(10, 1, 40, true), new EvaluationTimes(4, 2, 1, true));
        Assert.StartsWith("Measured in this run, on this machine's CPU", text);
        Assert.Contains("compiles 10.0× faster than the listing emitter", text);
        Assert.Contains("40.0× faster than Expression.Compile()", text);
        Assert.Contains("2.0× faster per row", text);
        Assert.Contains("2.00× the time of RyuJIT's loop", text);
        Assert.Contains("emulator", SpeedMeasurements.Summary(new CompileTimes(10, 1, 40, false), new EvaluationTimes(4, 2, 1, true)));
    }
}
