using System.Diagnostics;
using System.Globalization;

namespace JitNotebooks.Compiler;

/// <summary>One expression's time per evaluation in each engine, from <see cref="BatchComparison.Measure"/>.</summary>
/// <param name="Name">The expression's name ("small", ...).</param>
/// <param name="Source">Its text.</param>
/// <param name="Interpreter">ns per evaluation: the tree walked for each row.</param>
/// <param name="OurJit">ns per evaluation: our generated loop over all rows in one native call.</param>
/// <param name="RyuJit">ns per evaluation: the same loop as an expression tree, compiled by RyuJIT.</param>
/// <param name="Native">False when our code ran in the course's emulator (then <see cref="OurJit"/> times the emulator).</param>
public sealed record BatchMeasurement(string Name, string Source, double Interpreter, double OurJit, double RyuJit, bool Native)
{
    /// <summary>How many times faster our code is than the interpreter.</summary>
    public double InterpreterOverOurs => Interpreter / OurJit;

    /// <summary>Our time ÷ RyuJIT's: below 1 means ours is faster.</summary>
    public double OursOverRyuJit => OurJit / RyuJit;
}

/// <summary>
/// Notebook 08's honest in-notebook measurement: the three engines evaluate the same rows, each the
/// way it runs fastest (the interpreter row by row; our code and RyuJIT's over the whole array in one
/// call, as <c>EvaluationBenchmarks.OurJit_Batch</c> and <c>RyuJit_BatchLoop</c> do), with warm-up,
/// the best of several rounds, and identical results required. BenchmarkDotNet's numbers are in the
/// README; these agree with them in direction and rough size on a quiet machine.
/// </summary>
public static class BatchComparison
{
    /// <summary>The three expressions of the README's benchmark table.</summary>
    public static IReadOnlyList<(string Name, string Source)> Workloads { get; } =
    [
        ("small", "a * b + c"),
        ("medium", "(a + 3) * (b - 7) - c * a + (b * c - 11) * 5 - (a - b) * (c + 2)"),
        ("division", "(a * a + b * b) % 1000 + a / c - b % (c + 7)"),
    ];

    /// <summary>Measures every workload. Rows default to 256 natively and 16 under emulation (emulated code is ~1000× slower).</summary>
    /// <exception cref="InvalidOperationException">An engine disagrees with the interpreter.</exception>
    public static IReadOnlyList<BatchMeasurement> Measure(int? rows = null, int rounds = 7)
    {
        bool native = NativePlatform.IsNative;
        int count = rows ?? (native ? 256 : 16);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        using var arena = new CodeArena(); // the arena notebook 08 teaches (mprotect); the double-mapped one holds the same bytes
        return Workloads.Select(w => MeasureOne(w.Name, w.Source, arena, count, native ? rounds : 1, native)).ToList();
    }

    private static BatchMeasurement MeasureOne(string name, string source, CodeArena arena, int count, int rounds, bool native)
    {
        var function = Parser.Parse(source, "a", "b", "c");
        var random = new Random(42); // the benchmark's inputs: the same every run
        var args = Enumerable.Range(0, count).Select(_ => new long[] { random.Next(-100_000, 100_000), random.Next(-100_000, 100_000), random.Next(1, 100_000) }).ToArray();
        long[] rowsFlat = args.SelectMany(a => a).ToArray();
        var expected = args.Select(a => Interpreter.Evaluate(function, a)).ToArray();
        var ours = new X64Compiler().CompileBatch(function, arena);
        var reference = ExpressionTreeCompiler.CompileBatch(function);
        var results = new long[count];

        double interpreter = Best(rounds, count, () => { for (int i = 0; i < args.Length; i++) results[i] = Interpreter.Evaluate(function, args[i]); }, results, expected, "the interpreter");
        double jit = Best(rounds, count, () => ours.Invoke(rowsFlat, results), results, expected, "our JIT");
        double ryu = Best(rounds, count, () => reference.Invoke(rowsFlat, results), results, expected, "RyuJIT");
        return new BatchMeasurement(name, source, interpreter, jit, ryu, native);
    }

    /// <summary>ns per row, the best of <paramref name="rounds"/>, after one run that must give <paramref name="expected"/>.</summary>
    internal static double Best(int rounds, int count, Action run, long[] results, long[] expected, string engine)
    {
        Array.Clear(results);
        run(); // warm-up, and the check
        if (!results.AsSpan().SequenceEqual(expected))
            throw new InvalidOperationException($"{engine} disagrees with the interpreter; the measurement would be meaningless.");
        // Enough repetitions per round that a round lasts ~1 ms natively (Stopwatch resolution is ~100 ns).
        int repeats = Math.Max(1, 4096 / count);
        double best = double.MaxValue;
        for (int round = 0; round < rounds; round++)
        {
            var clock = Stopwatch.StartNew();
            for (int r = 0; r < repeats; r++) run();
            best = Math.Min(best, clock.Elapsed.TotalNanoseconds / (repeats * (double)count));
        }
        return best;
    }

    /// <summary>
    /// The lesson's sentence about these numbers, written from them (so the prose always states
    /// what this run measured): ranges of both ratios and which engine is faster.
    /// </summary>
    public static string Summary(IReadOnlyList<BatchMeasurement> measured)
    {
        ArgumentNullException.ThrowIfNull(measured);
        if (measured.Count == 0) throw new ArgumentException("There are no measurements to summarise.", nameof(measured));
        var c = CultureInfo.InvariantCulture;
        string Range(Func<BatchMeasurement, double> f, string format) =>
            measured.Min(f).ToString(format, c) + (measured.Count > 1 ? "–" + measured.Max(f).ToString(format, c) : "");
        var faster = measured.Where(m => m.OursOverRyuJit < 0.95).Select(m => m.Name).ToList();
        var slower = measured.Where(m => m.OursOverRyuJit > 1.05).Select(m => m.Name).ToList();
        string versus = (faster.Count, slower.Count) switch
        {
            (0, 0) => "level with RyuJIT's loop on every expression (within 5 %)",
            (_, 0) => $"faster than RyuJIT's loop on {string.Join(", ", faster)}, and level or faster on the rest",
            (0, _) => $"slower than RyuJIT's loop on {string.Join(", ", slower)}, and level on the rest",
            _ => $"faster than RyuJIT's loop on {string.Join(", ", faster)} and slower on {string.Join(", ", slower)}",
        };
        string where = measured.All(m => m.Native)
            ? "Measured in this run, on this machine's CPU"
            : "Measured in this run, with our code in the course's emulator (so our column times the emulator, not the CPU)";
        return $"{where}: our compiled code evaluates {Range(m => m.InterpreterOverOurs, "0")}× faster than the interpreter, " +
               $"and takes {Range(m => m.OursOverRyuJit, "0.00")}× RyuJIT's time: {versus}.";
    }
}
