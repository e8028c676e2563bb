using BenchmarkDotNet.Attributes;
using JitNotebooks.Compiler;

namespace JitNotebooks.Benchmarks;

/// <summary>
/// From tree to callable code: our x64 compiler (code generation + copy into an arena, with its
/// mprotect flips) against <c>Expression.Compile()</c>. Compile() only emits IL; RyuJIT turns it
/// into machine code at the first call, so the "…AndFirstCall" rows are the fair comparison.
/// One operation is one function; each invocation compiles <see cref="Functions"/> of them into a
/// fresh arena (its mmap/munmap included).
/// </summary>
[ShortRunJob]
public class CompileLatencyBenchmarks
{
    private const int Functions = 32;

    [Params("small", "medium", "division")]
    public string Expression { get; set; } = "small";

    private ParsedFunction _function = null!;
    private readonly X64Compiler _compiler = new();

    [GlobalSetup]
    public void Setup()
    {
        _function = Parser.Parse(EvaluationBenchmarks.Sources[Expression], "a", "b", "c");
        _batch = Enumerable.Repeat(_function, Functions).ToArray();
    }

    private ParsedFunction[] _batch = null!;

    [Benchmark(OperationsPerInvoke = Functions)]
    public long OurJit_Compile()
    {
        using var arena = new CodeArena();
        long sum = 0;
        for (int i = 0; i < Functions; i++) sum += _compiler.Compile(_function, arena).Code.Length;
        return sum;
    }

    [Benchmark(OperationsPerInvoke = Functions)]
    public long OurJit_CompileAndFirstCall()
    {
        using var arena = new CodeArena();
        long sum = 0;
        for (int i = 0; i < Functions; i++) sum += _compiler.Compile(_function, arena).Invoke(i, 2, 3);
        return sum;
    }

    /// <summary>All 32 in one batch: one pair of mprotect calls instead of 32.</summary>
    [Benchmark(OperationsPerInvoke = Functions)]
    public long OurJit_CompileBatch()
    {
        using var arena = new CodeArena();
        return _compiler.CompileAll(_batch, arena).Count;
    }

    /// <summary>Code generation alone: tree to bytes, nothing mapped.</summary>
    [Benchmark(OperationsPerInvoke = Functions)]
    public long OurJit_GenerateOnly()
    {
        long sum = 0;
        for (int i = 0; i < Functions; i++) sum += _compiler.Generate(_function).Code.Position;
        return sum;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Functions)]
    public long ExpressionCompile()
    {
        long sum = 0;
        for (int i = 0; i < Functions; i++) sum += ExpressionTreeCompiler.Compile(_function).Arity;
        return sum;
    }

    [Benchmark(OperationsPerInvoke = Functions)]
    public long ExpressionCompile_AndFirstCall()
    {
        long sum = 0;
        for (int i = 0; i < Functions; i++) sum += ExpressionTreeCompiler.Compile(_function).Invoke(i, 2, 3);
        return sum;
    }
}
