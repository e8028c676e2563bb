using BenchmarkDotNet.Attributes;
using JitNotebooks.Compiler;

namespace JitNotebooks.Benchmarks;

/// <summary>
/// The same expression evaluated by the three engines over the same 256 inputs: the tree-walking
/// interpreter, our x64 JIT and .NET's compiler (Expression.Compile, i.e. RyuJIT). One operation
/// is one evaluation.
/// </summary>
[ShortRunJob]
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
    private CodeArena _arena = null!;
    private CompiledFunction _jit = null!;
    private ReferenceFunction _reference = null!;
    private long[][] _args = null!;

    [GlobalSetup]
    public void Setup()
    {
        _function = Parser.Parse(Sources[Expression], "a", "b", "c");
        _arena = new CodeArena();
        _jit = new X64Compiler().Compile(_function, _arena);
        _reference = ExpressionTreeCompiler.Compile(_function);
        var random = new Random(42);
        _args = Enumerable.Range(0, Inputs).Select(_ => new long[] { random.Next(-100_000, 100_000), random.Next(-100_000, 100_000), random.Next(1, 100_000) }).ToArray();
    }

    [GlobalCleanup]
    public void Cleanup() => _arena.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = Inputs)]
    public long Interpreter_()
    {
        long sum = 0;
        foreach (var a in _args) sum += Interpreter.Evaluate(_function, a);
        return sum;
    }

    [Benchmark(OperationsPerInvoke = Inputs)]
    public long OurJit()
    {
        long sum = 0;
        foreach (var a in _args) sum += _jit.Invoke(a[0], a[1], a[2]);
        return sum;
    }

    [Benchmark(OperationsPerInvoke = Inputs)]
    public long RyuJit()
    {
        long sum = 0;
        foreach (var a in _args) sum += _reference.Invoke(a[0], a[1], a[2]);
        return sum;
    }
}
