using System.Diagnostics;

namespace JitNotebooks.Compiler;

/// <summary>One engine's numbers from <see cref="EngineComparison.Measure"/>.</summary>
/// <param name="Engine">"interpreter", "our JIT" or "RyuJIT".</param>
/// <param name="CompileMicroseconds">Tree to callable code, including the first call (0 for the interpreter).</param>
/// <param name="NanosecondsPerEvaluation">One evaluation, best of several timed rounds.</param>
/// <param name="Checksum">Sum of all results: equal across engines, or the measurement would be meaningless.</param>
public sealed record EngineMeasurement(string Engine, double CompileMicroseconds, double NanosecondsPerEvaluation, long Checksum);

/// <summary>
/// A quick, in-process stopwatch comparison of the three engines, for notebook 08's charts (a
/// notebook cannot run BenchmarkDotNet; the README has its numbers). Rough but honest: warm-up
/// first, best of several rounds, and every engine must produce the same checksum.
/// </summary>
public static class EngineComparison
{
    public const string InterpreterName = "interpreter", OurJitName = "our JIT", RyuJitName = "RyuJIT";

    /// <summary>Compiles <paramref name="function"/> with both compilers and times all three engines on the same inputs.</summary>
    /// <param name="function">The function to measure.</param>
    /// <param name="arena">Where our JIT's code goes.</param>
    /// <param name="inputCount">How many random argument sets (inputs on which the function throws are skipped).</param>
    /// <param name="rounds">Timed rounds per engine; the fastest counts.</param>
    /// <exception cref="InvalidOperationException">The engines disagree, or no input evaluates without an exception.</exception>
    public static IReadOnlyList<EngineMeasurement> Measure(ParsedFunction function, CodeArena arena, int inputCount = 1000, int rounds = 5)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(arena);
        ArgumentOutOfRangeException.ThrowIfLessThan(inputCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        var inputs = Inputs(function, inputCount);

        var compileJit = Stopwatch.StartNew();
        var jit = new X64Compiler().Compile(function, arena);
        jit.Invoke(inputs[0]);
        compileJit.Stop();

        var compileReference = Stopwatch.StartNew();
        var reference = ExpressionTreeCompiler.Compile(function);
        reference.Invoke(inputs[0]);
        compileReference.Stop();

        var results = new[]
        {
            Time(InterpreterName, 0, inputs, rounds, a => Interpreter.Evaluate(function, a)),
            Time(OurJitName, compileJit.Elapsed.TotalMicroseconds, inputs, rounds, jit.Invoke),
            Time(RyuJitName, compileReference.Elapsed.TotalMicroseconds, inputs, rounds, reference.Invoke),
        };
        if (results.Select(r => r.Checksum).Distinct().Count() != 1)
            throw new InvalidOperationException(
                $"The engines disagree on {function}: {string.Join(", ", results.Select(r => $"{r.Engine} {r.Checksum}"))}.");
        return results;
    }

    private static EngineMeasurement Time(string engine, double compileMicroseconds, long[][] inputs, int rounds, Func<long[], long> evaluate)
    {
        long checksum = Sum(inputs, evaluate); // warm-up, and the checksum
        double best = double.MaxValue;
        for (int round = 0; round < rounds; round++)
        {
            var stopwatch = Stopwatch.StartNew();
            Sum(inputs, evaluate);
            best = Math.Min(best, stopwatch.Elapsed.TotalNanoseconds / inputs.Length);
        }
        return new EngineMeasurement(engine, compileMicroseconds, best, checksum);
    }

    private static long Sum(long[][] inputs, Func<long[], long> evaluate)
    {
        long sum = 0;
        foreach (var a in inputs) sum = unchecked(sum + evaluate(a));
        return sum;
    }

    private static long[][] Inputs(ParsedFunction function, int count)
    {
        var random = new Random(1234); // fixed: the same inputs every run
        var inputs = new List<long[]>(count);
        for (int attempt = 0; attempt < count * 10 && inputs.Count < count; attempt++)
        {
            var args = Enumerable.Range(0, function.Arity).Select(_ => (long)random.Next(-1000, 1000)).ToArray();
            try
            {
                Interpreter.Evaluate(function, args);
                inputs.Add(args);
            }
            catch (ArithmeticException) { } // this input divides by zero: not a timing input
        }
        return inputs.Count > 0
            ? [.. inputs]
            : throw new InvalidOperationException($"{function} throws on every input tried; nothing to time.");
    }
}
