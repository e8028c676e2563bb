using JitNotebooks.Compiler;

namespace JitNotebooks.Tests.Compiler;

/// <summary>The notebook's measurement helper: shape and agreement only (no timing assertions).</summary>
public class EngineComparisonTests
{
    [Fact]
    public void Measures_the_three_engines_with_one_checksum()
    {
        using var arena = new CodeArena();
        var f = Parser.Parse("a * b - c / (a + 1)", "a", "b", "c");
        var results = EngineComparison.Measure(f, arena, inputCount: 200, rounds: 2);
        Assert.Equal([EngineComparison.InterpreterName, EngineComparison.OurJitName, EngineComparison.RyuJitName], results.Select(r => r.Engine));
        Assert.Single(results.Select(r => r.Checksum).Distinct());
        Assert.All(results, r => Assert.True(r.NanosecondsPerEvaluation > 0));
        Assert.Equal(0, results[0].CompileMicroseconds);
        Assert.All(results.Skip(1), r => Assert.True(r.CompileMicroseconds > 0));
    }

    [Fact]
    public void A_function_that_always_throws_cannot_be_timed()
    {
        using var arena = new CodeArena();
        var e = Assert.Throws<InvalidOperationException>(() => EngineComparison.Measure(Parser.Parse("a / 0", "a"), arena, 10, 1));
        Assert.Contains("throws on every input", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => EngineComparison.Measure(Parser.Parse("a", "a"), arena, 0));
    }
}
