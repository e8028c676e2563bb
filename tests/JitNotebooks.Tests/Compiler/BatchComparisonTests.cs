using JitNotebooks.Compiler;

namespace JitNotebooks.Tests.Compiler;

/// <summary>Notebook 08's measurement: every engine checked, and the prose written from the numbers.</summary>
public class BatchComparisonTests
{
    [Fact]
    public void Measures_every_workload_with_positive_times()
    {
        var measured = BatchComparison.Measure(rows: 8, rounds: 1);
        Assert.Equal(BatchComparison.Workloads.Select(w => w.Name), measured.Select(m => m.Name));
        Assert.All(measured, m => Assert.True(m.Interpreter > 0 && m.OurJit > 0 && m.RyuJit > 0));
    }

    [Fact]
    public void The_summary_states_the_measured_ranges_and_the_mode()
    {
        var measured = new[]
        {
            new BatchMeasurement("small", "a", 40, 1, 2, true),
            new BatchMeasurement("division", "b", 180, 7, 7, true),
        };
        string text = BatchComparison.Summary(measured);
        Assert.Contains("26–40× faster than the interpreter", text);
        Assert.Contains("0.50–1.00× RyuJIT's time", text);
        Assert.Contains("faster than RyuJIT's loop on small", text);
        Assert.Contains("this machine's CPU", text);
        Assert.Contains("emulator", BatchComparison.Summary([measured[0] with { Native = false }]));
        Assert.Contains("slower than RyuJIT's loop on small", BatchComparison.Summary([measured[0] with { OurJit = 3 }]));
        Assert.Throws<ArgumentException>(() => BatchComparison.Summary([]));
    }
}
