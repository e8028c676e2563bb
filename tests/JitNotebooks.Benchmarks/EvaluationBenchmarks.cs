using BenchmarkDotNet.Attributes;
using JitNotebooks.Compiler;

namespace JitNotebooks.Benchmarks;

/// <summary>
/// The same expression evaluated by the three engines over the same 256 rows of inputs (a, b, c),
/// each result stored into the same results array. One operation is one evaluation.
/// <list type="bullet">
/// <item>One call per evaluation: the interpreter (baseline), our JIT through
/// <c>CompiledFunction.Invoke(a, b, c)</c>, RyuJIT through <c>ReferenceFunction.Invoke(a, b, c)</c>
/// (Expression.Compile's delegate).</item>
/// <item>One call per batch of 256: our JIT's batch code (the loop is in the generated code), against
/// RyuJIT compiling the same loop (Expression.Compile of a lambda whose loop has the expression
/// inlined), and against a C# loop calling RyuJIT's compiled delegate once per row.</item>
/// </list>
/// </summary>
[ShortRunJob]
[MinColumn, MedianColumn] // under load the minimum is the steadiest figure; the ratio column is of means
public class EvaluationBenchmarks
{
    private const int Inputs = 256;

    [Params("small", "medium", "division")]
    public string Expression { get; set; } = "small";

    /// <summary>The expressions, by name (also used by the README).</summary>
    public static readonly Dictionary<string, string> Sources = new()
    {
        ["small"] = "a * b + c",
        ["medium"] = "(a + 3) * (b - 7) - c * a + (b * c - 11) * 5 - (a - b) * (c + 2)",
        ["division"] = "(a * a + b * b) % 1000 + a / c - b % (c + 7)",
    };

    private ParsedFunction _function = null!;
    private DoubleMappedCodeArena _arena = null!;
    private CompiledFunction _jit = null!;
    private CompiledBatchFunction _jitBatch = null!;
    private ReferenceFunction _reference = null!;
    private Func<long, long, long, long> _referenceDelegate = null!;
    private ReferenceBatchFunction _referenceBatch = null!;
    private long[][] _args = null!;
    private long[] _rows = null!;
    private readonly long[] _results = new long[Inputs];

    [GlobalSetup]
    public void Setup()
    {
        _function = Parser.Parse(Sources[Expression], "a", "b", "c");
        _arena = new DoubleMappedCodeArena();
        _jit = new X64Compiler().Compile(_function, _arena);
        _jitBatch = new X64Compiler().CompileBatch(_function, _arena);
        _reference = ExpressionTreeCompiler.Compile(_function);
        _referenceDelegate = (Func<long, long, long, long>)_reference.Delegate;
        _referenceBatch = ExpressionTreeCompiler.CompileBatch(_function);
        var random = new Random(42);
        _args = Enumerable.Range(0, Inputs).Select(_ => new long[] { random.Next(-100_000, 100_000), random.Next(-100_000, 100_000), random.Next(1, 100_000) }).ToArray();
        _rows = _args.SelectMany(a => a).ToArray();
        // Every engine must compute the same results, or the comparison would be meaningless.
        var expected = _args.Select(a => Interpreter.Evaluate(_function, a)).ToArray();
        foreach (var run in new Action[] { () => Interpreter_(), () => OurJit(), () => RyuJit(), () => OurJit_Batch(), () => RyuJit_BatchLoop(), () => RyuJit_CSharpLoopOverDelegate() })
        {
            Array.Clear(_results);
            run();
            if (!_results.SequenceEqual(expected)) throw new InvalidOperationException($"An engine disagrees on {_function}.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _arena.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = Inputs)]
    public long Interpreter_()
    {
        var args = _args;
        for (int i = 0; i < args.Length; i++) _results[i] = Interpreter.Evaluate(_function, args[i]);
        return _results[^1];
    }

    [Benchmark(OperationsPerInvoke = Inputs)]
    public long OurJit()
    {
        var rows = _rows;
        for (int i = 0; i < Inputs; i++) _results[i] = _jit.Invoke(rows[3 * i], rows[3 * i + 1], rows[3 * i + 2]);
        return _results[^1];
    }

    [Benchmark(OperationsPerInvoke = Inputs)]
    public long RyuJit()
    {
        var rows = _rows;
        for (int i = 0; i < Inputs; i++) _results[i] = _reference.Invoke(rows[3 * i], rows[3 * i + 1], rows[3 * i + 2]);
        return _results[^1];
    }

    /// <summary>All 256 rows in one native call: the loop is in our generated code.</summary>
    [Benchmark(OperationsPerInvoke = Inputs)]
    public long OurJit_Batch()
    {
        _jitBatch.Invoke(_rows, _results);
        return _results[^1];
    }

    /// <summary>The same loop compiled by RyuJIT: Expression.Compile of a lambda with the expression inlined in its loop.</summary>
    [Benchmark(OperationsPerInvoke = Inputs)]
    public long RyuJit_BatchLoop()
    {
        _referenceBatch.Invoke(_rows, _results);
        return _results[^1];
    }

    /// <summary>A C# loop calling RyuJIT's compiled delegate once per row (the delegate cannot be inlined).</summary>
    [Benchmark(OperationsPerInvoke = Inputs)]
    public long RyuJit_CSharpLoopOverDelegate()
    {
        var rows = _rows;
        var f = _referenceDelegate;
        for (int i = 0; i < Inputs; i++) _results[i] = f(rows[3 * i], rows[3 * i + 1], rows[3 * i + 2]);
        return _results[^1];
    }
}
