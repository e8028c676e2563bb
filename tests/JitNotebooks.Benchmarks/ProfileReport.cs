using System.Diagnostics;
using System.Runtime.CompilerServices;
using JitNotebooks.Compiler;

namespace JitNotebooks.Benchmarks;

/// <summary>
/// Not BenchmarkDotNet: a stopwatch breakdown of where the time goes in the rows of the README's
/// goal table, step by step (run with <c>-- --profile</c>). Each figure is the best of 200 short
/// rounds (about 0.2 ms each, the mean over as many repetitions as fit), so rounds in which another
/// process took the CPU do not count: on a loaded machine that is the steadiest estimate of the
/// quiet cost.
/// </summary>
public static unsafe class ProfileReport
{
    private const int Rounds = 200;
    private static readonly TimeSpan RoundLength = TimeSpan.FromMicroseconds(200);

    public static void Run()
    {
        Console.WriteLine("Best of 200 rounds of ~0.2 ms; ns per operation. Load average now: " + File.ReadAllText("/proc/loadavg").Trim());
        foreach (var (name, source) in EvaluationBenchmarks.Sources) CompileSteps(name, Parser.Parse(source, "a", "b", "c"));
        CallSteps();
        foreach (var (name, source) in EvaluationBenchmarks.Sources) EvaluationSteps(name, Parser.Parse(source, "a", "b", "c"));
        DivisionSteps();
    }

    /// <summary>
    /// The division expression without, then with, each of its parts, in batch code: what each
    /// costs per row. The two divisions by a variable (idiv) are most of it, whichever engine runs them.
    /// </summary>
    private static void DivisionSteps()
    {
        Console.WriteLine("\nWhere the division expression's time goes (our batch code, per row):");
        using var arena = new DoubleMappedCodeArena();
        var random = new Random(42);
        var rows = Enumerable.Range(0, 256 * 3).Select(i => (long)(i % 3 == 2 ? random.Next(1, 100_000) : random.Next(-100_000, 100_000))).ToArray();
        var results = new long[256];
        foreach (var source in new[] { "(a * a + b * b) + a - b", "(a * a + b * b) % 1000 + a - b", "(a * a + b * b) % 1000 + a / c - b",
                                       EvaluationBenchmarks.Sources["division"], "a / c", "b % (c + 7)", "a * c" })
        {
            var batch = new X64Compiler().CompileBatch(Parser.Parse(source, "a", "b", "c"), arena);
            Row(source, Best(5000, () => batch.Invoke(rows, results)) / 256);
        }
    }

    /// <summary>Best mean time per operation, in ns, over rounds of about <see cref="RoundLength"/>.</summary>
    private static double Best(int warmUp, Action operation)
    {
        // Warm up like BenchmarkDotNet: run long enough for tiered compilation to promote every method
        // involved, give its background thread time to install the optimized code, run again.
        var warm = Stopwatch.StartNew();
        for (int i = 0; i < warmUp || warm.ElapsedMilliseconds < 250; i++) operation();
        Thread.Sleep(300);
        warm.Restart();
        while (warm.ElapsedMilliseconds < 50) operation();
        var calibrate = Stopwatch.StartNew();
        int repetitions = 0;
        while (calibrate.Elapsed < RoundLength) { operation(); repetitions++; }
        double best = double.MaxValue;
        for (int round = 0; round < Rounds; round++)
        {
            var watch = Stopwatch.StartNew();
            for (int i = 0; i < repetitions; i++) operation();
            best = Math.Min(best, watch.Elapsed.TotalNanoseconds / repetitions);
        }
        return best;
    }

    private static void Row(string what, double ns, double? reference = null) =>
        Console.WriteLine($"  {what,-62} {ns,10:F1} ns{(reference is { } r ? $"   ({r / ns:F1}x faster than Expression.Compile + first call)" : "")}");

    private static void CompileSteps(string name, ParsedFunction function)
    {
        Console.WriteLine($"\nCompile latency, {name}: {function}");
        var compiler = new X64Compiler();
        using var arena = new DoubleMappedCodeArena();
        for (int i = 0; i < 2000; i++) arena.Free(compiler.Compile(function, arena).Code); // tier up everything involved
        double expression = Best(200, () => ExpressionTreeCompiler.Compile(function));
        double expressionCall = Best(200, () => ExpressionTreeCompiler.Compile(function).Invoke(1, 2, 3));
        double generateListing = Best(2000, () => compiler.Generate(function));
        double generateLean = Best(20000, () => compiler.GenerateLean(function));
        long bound = X64Compiler.MaxCodeBytes(function);
        int length = compiler.GenerateLean(function).Length;
        double place = Best(20000, () => arena.Free(arena.Commit(arena.Reserve(bound), length)));
        double compile = Best(20000, () => arena.Free(compiler.Compile(function, arena).Code));
        double compileCall = Best(20000, () =>
        {
            var f = compiler.Compile(function, arena);
            f.Invoke(1, 2, 3);
            arena.Free(f.Code);
        });
        Row("Expression.Compile()", expression);
        Row("Expression.Compile() + first call (RyuJIT compiles the IL)", expressionCall);
        Row("our code generation through CodeBuilder (listing metadata)", generateListing);
        Row("our lean code generation into a new array", generateLean);
        Row("arena: reserve the bound, commit, free (no generation)", place);
        Row("lean compile into the double-mapped arena, then free", compile, expressionCall);
        Row("lean compile + first call + free", compileCall, expressionCall);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long ManagedAdd(long a, long b) => a + b;

    private static void CallSteps()
    {
        Console.WriteLine("\nCall overhead, a + b, per call (1000 calls per repetition):");
        using var arena = new DoubleMappedCodeArena();
        var compiled = new X64Compiler().Compile(Parser.Parse("a + b", "a", "b"), arena);
        var pointer = (delegate* unmanaged[SuppressGCTransition]<long, long, long>)compiled.Code.Address;
        double managed = Best(20000, () => { long s = 0; for (long i = 0; i < 1000; i++) s = ManagedAdd(s, i); }) / 1000;
        double raw = Best(20000, () => { long s = 0; for (long i = 0; i < 1000; i++) s = pointer(s, i); }) / 1000;
        double invoke = Best(20000, () => { long s = 0; for (long i = 0; i < 1000; i++) s = compiled.Invoke(s, i); }) / 1000;
        Row("managed [NoInlining] add", managed);
        Row($"function pointer, SuppressGCTransition ({raw / managed:F2}x managed)", raw);
        Row($"CompiledFunction.Invoke(a, b) ({invoke / managed:F2}x managed)", invoke);
        Row("  of which the wrapper (one field compared, the entry loaded)", invoke - raw);
    }

    private static void EvaluationSteps(string name, ParsedFunction function)
    {
        Console.WriteLine($"\nEvaluation, {name}, per evaluation (256 rows per repetition):");
        using var arena = new DoubleMappedCodeArena();
        var random = new Random(42);
        var args = Enumerable.Range(0, 256).Select(_ => new long[] { random.Next(-100_000, 100_000), random.Next(-100_000, 100_000), random.Next(1, 100_000) }).ToArray();
        var rows = args.SelectMany(a => a).ToArray();
        var results = new long[256];
        var jit = new X64Compiler().Compile(function, arena);
        var batch = new X64Compiler().CompileBatch(function, arena);
        var reference = (Func<long, long, long, long>)ExpressionTreeCompiler.Compile(function).Delegate;
        var referenceBatch = ExpressionTreeCompiler.CompileBatch(function);
        double interpreter = Best(200, () => { for (int i = 0; i < 256; i++) results[i] = Interpreter.Evaluate(function, args[i]); }) / 256;
        double perCall = Best(2000, () => { for (int i = 0; i < 256; i++) results[i] = jit.Invoke(rows[3 * i], rows[3 * i + 1], rows[3 * i + 2]); }) / 256;
        double batched = Best(5000, () => batch.Invoke(rows, results)) / 256;
        double ryuPerCall = Best(2000, () => { for (int i = 0; i < 256; i++) results[i] = reference(rows[3 * i], rows[3 * i + 1], rows[3 * i + 2]); }) / 256;
        double ryuLoop = Best(5000, () => referenceBatch.Invoke(rows, results)) / 256;
        Row("interpreter", interpreter);
        Row($"our JIT, one Invoke per row ({interpreter / perCall:F1}x the interpreter)", perCall);
        Row($"our JIT, batch code ({interpreter / batched:F1}x the interpreter, {batched / ryuLoop:F2}x RyuJIT's loop)", batched);
        Row("RyuJIT, C# loop calling the compiled delegate", ryuPerCall);
        Row("RyuJIT, Expression.Compile of the loop", ryuLoop);
    }
}
