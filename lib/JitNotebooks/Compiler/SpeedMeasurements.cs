using System.Diagnostics;
using System.Globalization;

namespace JitNotebooks.Compiler;

/// <summary>Time to compile one function, tree to a called function, three ways (µs each), from <see cref="SpeedMeasurements.Compile"/>.</summary>
/// <param name="ListingAndMprotect">The course's first compiler: CodeBuilder with listing metadata, a CodeArena (two mprotect calls per function).</param>
/// <param name="LeanAndDoubleMapped">The lean emitter writing straight into a double-mapped arena (no mprotect).</param>
/// <param name="ExpressionCompile">Expression.Compile() and the first call (RyuJIT).</param>
/// <param name="Native">False when the code ran in the course's emulator.</param>
public sealed record CompileTimes(double ListingAndMprotect, double LeanAndDoubleMapped, double ExpressionCompile, bool Native);

/// <summary>Time per evaluation of one expression (ns), from <see cref="SpeedMeasurements.Evaluate"/>.</summary>
/// <param name="OneCallPerRow">CompiledFunction.Invoke once per row.</param>
/// <param name="Batch">All rows in one native call (a loop in the generated code).</param>
/// <param name="RyuJitLoop">The same loop compiled by RyuJIT.</param>
/// <param name="Native">False when the code ran in the course's emulator.</param>
public sealed record EvaluationTimes(double OneCallPerRow, double Batch, double RyuJitLoop, bool Native);

/// <summary>
/// Notebook 09's before/after measurements, made in the notebook's own run: warm-up first, the
/// best of several rounds, results checked. BenchmarkDotNet's numbers are in the README.
/// </summary>
public static class SpeedMeasurements
{
    /// <summary>The expression notebook 09 measures (the README's "medium").</summary>
    public const string Source = "(a + 3) * (b - 7) - c * a + (b * c - 11) * 5 - (a - b) * (c + 2)";

    /// <summary>Compiles <paramref name="functions"/> copies of <see cref="Source"/> each way, each called once.</summary>
    public static CompileTimes Compile(int functions = 200)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(functions, 1);
        bool native = NativePlatform.IsNative;
        int count = native ? functions : Math.Min(functions, 20);
        var f = Parser.Parse(Source, "a", "b", "c");
        var compiler = new X64Compiler();
        long expected = Interpreter.Evaluate(f, 1, 2, 3);
        using var arena = new CodeArena();
        using var doubleMapped = new DoubleMappedCodeArena();
        double listing = PerItem(count, () => Check(compiler.Compile(f, arena).Invoke(1, 2, 3), expected));
        double lean = PerItem(count, () =>
        {
            var fn = compiler.Compile(f, doubleMapped);
            Check(fn.Invoke(1, 2, 3), expected);
            doubleMapped.Free(fn.Code); // the arena reuses the space: compiling many stays in the same pages
        });
        double expression = PerItem(count, () => Check(ExpressionTreeCompiler.Compile(f).Invoke(1, 2, 3), expected));
        return new CompileTimes(listing, lean, expression, native);
    }

    /// <summary>Evaluates <see cref="Source"/> on <paramref name="rows"/> rows: one call per row, one batch call, RyuJIT's loop.</summary>
    public static EvaluationTimes Evaluate(int rows = 256)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        bool native = NativePlatform.IsNative;
        int count = native ? rows : Math.Min(rows, 16);
        var f = Parser.Parse(Source, "a", "b", "c");
        var random = new Random(42);
        long[] flat = Enumerable.Range(0, count * 3).Select(_ => (long)random.Next(-100_000, 100_000)).ToArray();
        long[] expected = Enumerable.Range(0, count).Select(i => Interpreter.Evaluate(f, flat[3 * i], flat[3 * i + 1], flat[3 * i + 2])).ToArray();
        var results = new long[count];
        using var arena = new DoubleMappedCodeArena();
        var compiler = new X64Compiler();
        var one = compiler.Compile(f, arena);
        var batch = compiler.CompileBatch(f, arena);
        var reference = ExpressionTreeCompiler.CompileBatch(f);
        int rounds = native ? 7 : 1;
        double perCall = BatchComparison.Best(rounds, count, () => { for (int i = 0; i < count; i++) results[i] = one.Invoke(flat[3 * i], flat[3 * i + 1], flat[3 * i + 2]); }, results, expected, "our JIT, one call per row");
        double batched = BatchComparison.Best(rounds, count, () => batch.Invoke(flat, results), results, expected, "our JIT's batch");
        double ryu = BatchComparison.Best(rounds, count, () => reference.Invoke(flat, results), results, expected, "RyuJIT's loop");
        return new EvaluationTimes(perCall, batched, ryu, native);
    }

    /// <summary>The lesson's sentence about the two measurements, written from them.</summary>
    public static string Summary(CompileTimes compile, EvaluationTimes evaluation)
    {
        ArgumentNullException.ThrowIfNull(compile);
        ArgumentNullException.ThrowIfNull(evaluation);
        var c = CultureInfo.InvariantCulture;
        string where = compile.Native && evaluation.Native
            ? "Measured in this run, on this machine's CPU"
            : "Measured in this run, with our code in the course's emulator (so the times are the emulator's)";
        return $"{where}: the lean emitter with the double-mapped arena compiles " +
               $"{(compile.ListingAndMprotect / compile.LeanAndDoubleMapped).ToString("0.0", c)}× faster than the listing emitter with mprotect, " +
               $"and {(compile.ExpressionCompile / compile.LeanAndDoubleMapped).ToString("0.0", c)}× faster than Expression.Compile(); " +
               $"one batch call evaluates {(evaluation.OneCallPerRow / evaluation.Batch).ToString("0.0", c)}× faster per row than one call per row, " +
               $"at {(evaluation.Batch / evaluation.RyuJitLoop).ToString("0.00", c)}× the time of RyuJIT's loop.";
    }

    private static void Check(long actual, long expected)
    {
        if (actual != expected) throw new InvalidOperationException($"A compiled function returned {actual}, expected {expected}; the measurement would be meaningless.");
    }

    private static double PerItem(int count, Action one)
    {
        one(); // warm-up: the compilers' own code gets jitted here, not in the timing
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < count; i++) one();
        return clock.Elapsed.TotalMicroseconds / count;
    }
}
