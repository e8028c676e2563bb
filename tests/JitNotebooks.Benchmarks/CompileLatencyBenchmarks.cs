using BenchmarkDotNet.Attributes;
using JitNotebooks.Compiler;

namespace JitNotebooks.Benchmarks;

/// <summary>
/// From tree to callable code, one function at a time: our x64 compiler against
/// <c>Expression.Compile()</c>. Compile() only emits IL; RyuJIT turns it into machine code at the
/// first call, so the "…AndFirstCall" rows are the fair comparison. One operation is one function.
/// <list type="bullet">
/// <item>mprotect arena (<see cref="CodeArena"/>, through CodeBuilder): each invocation compiles
/// <see cref="Functions"/> functions into a fresh arena (its mmap/munmap included), one mprotect pair each
/// (or one pair for all, <c>CompileBatch</c>).</item>
/// <item>Lean emitter into a long-lived <see cref="DoubleMappedCodeArena"/>: compile, (first call,)
/// then free, so the arena's memory is reused as a JIT's would be; freeing is included in the time.
/// <c>…FreshArena</c> also creates and disposes an arena per <see cref="Functions"/> functions.</item>
/// </list>
/// </summary>
[ShortRunJob]
[MinColumn, MedianColumn] // under load the minimum is the steadiest figure; the ratio column is of means
public class CompileLatencyBenchmarks
{
    private const int Functions = 32;

    [Params("small", "medium", "division")]
    public string Expression { get; set; } = "small";

    private ParsedFunction _function = null!;
    private ParsedFunction[] _batch = null!;
    private readonly X64Compiler _compiler = new();
    private DoubleMappedCodeArena _arena = null!;

    [GlobalSetup]
    public void Setup()
    {
        _function = Parser.Parse(EvaluationBenchmarks.Sources[Expression], "a", "b", "c");
        _batch = Enumerable.Repeat(_function, Functions).ToArray();
        _arena = new DoubleMappedCodeArena();
    }

    [GlobalCleanup]
    public void Cleanup() => _arena.Dispose();

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

    /// <summary>Code generation alone through CodeBuilder: tree to bytes, nothing mapped.</summary>
    [Benchmark(OperationsPerInvoke = Functions)]
    public long OurJit_GenerateOnly()
    {
        long sum = 0;
        for (int i = 0; i < Functions; i++) sum += _compiler.Generate(_function).Code.Position;
        return sum;
    }

    /// <summary>The lean emitter straight into a double-mapped arena, then freed: no mprotect, no listing metadata.</summary>
    [Benchmark(OperationsPerInvoke = Functions)]
    public long OurJit_Lean_Compile()
    {
        long sum = 0;
        for (int i = 0; i < Functions; i++)
        {
            var f = _compiler.Compile(_function, _arena);
            sum += f.Code.Length;
            _arena.Free(f.Code);
        }
        return sum;
    }

    [Benchmark(OperationsPerInvoke = Functions)]
    public long OurJit_Lean_CompileAndFirstCall()
    {
        long sum = 0;
        for (int i = 0; i < Functions; i++)
        {
            var f = _compiler.Compile(_function, _arena);
            sum += f.Invoke(i, 2, 3);
            _arena.Free(f.Code);
        }
        return sum;
    }

    /// <summary>As above, with a new arena (memfd_create, two reservations, first growth, then unmap and close) per 32 functions.</summary>
    [Benchmark(OperationsPerInvoke = Functions)]
    public long OurJit_Lean_CompileAndFirstCall_FreshArena()
    {
        using var arena = new DoubleMappedCodeArena();
        long sum = 0;
        for (int i = 0; i < Functions; i++) sum += _compiler.Compile(_function, arena).Invoke(i, 2, 3);
        return sum;
    }

    /// <summary>The lean emitter alone, into a managed array: tree to bytes, nothing mapped.</summary>
    [Benchmark(OperationsPerInvoke = Functions)]
    public long OurJit_Lean_GenerateOnly()
    {
        long sum = 0;
        for (int i = 0; i < Functions; i++) sum += _compiler.GenerateLean(_function).Length;
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
