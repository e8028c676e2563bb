using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using JitNotebooks;
using JitNotebooks.Compiler;

namespace JitNotebooks.Benchmarks;

/// <summary>
/// What a call costs: a managed, non-inlined add against the JIT'd add (notebook 07) called
/// through a function pointer, with and without the GC transition. Each operation is one call;
/// calls run in a loop of <see cref="Calls"/> so the loop's own cost is spread thin.
/// </summary>
[ShortRunJob]
[MinColumn, MedianColumn] // under load the minimum is the steadiest figure; the ratio column is of means
public unsafe class CallOverheadBenchmarks
{
    private const int Calls = 1000;
    private CodeArena _arena = null!;
    private nint _add;
    private CompiledFunction _compiled = null!;
    private DoubleMappedCodeArena _doubleMapped = null!;
    private CompiledFunction _lean = null!;

    [GlobalSetup]
    public void Setup()
    {
        _arena = new CodeArena();
        _add = _arena.Add(SampleFunctions.Add()).Address;
        _compiled = new X64Compiler().Compile(Parser.Parse("a + b", "a", "b"), _arena);
        _doubleMapped = new DoubleMappedCodeArena();
        _lean = new X64Compiler().Compile(Parser.Parse("a + b", "a", "b"), _doubleMapped);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _arena.Dispose();
        _doubleMapped.Dispose();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long ManagedAdd(long a, long b) => a + b;

    [Benchmark(Baseline = true, OperationsPerInvoke = Calls)]
    public long Managed_NoInlining()
    {
        long sum = 0;
        for (long i = 0; i < Calls; i++) sum = ManagedAdd(sum, i);
        return sum;
    }

    [Benchmark(OperationsPerInvoke = Calls)]
    public long Jit_FunctionPointer()
    {
        var add = (delegate* unmanaged<long, long, long>)_add;
        long sum = 0;
        for (long i = 0; i < Calls; i++) sum = add(sum, i);
        return sum;
    }

    [Benchmark(OperationsPerInvoke = Calls)]
    public long Jit_FunctionPointer_SuppressGCTransition()
    {
        var add = (delegate* unmanaged[SuppressGCTransition]<long, long, long>)_add;
        long sum = 0;
        for (long i = 0; i < Calls; i++) sum = add(sum, i);
        return sum;
    }

    /// <summary>The compiler's wrapper: arity and disposal checks, rax:rdx result, status check (SuppressGCTransition inside).</summary>
    [Benchmark(OperationsPerInvoke = Calls)]
    public long Jit_CompiledFunction_Invoke()
    {
        long sum = 0;
        for (long i = 0; i < Calls; i++) sum = _compiled.Invoke(sum, i);
        return sum;
    }

    /// <summary>The same wrapper on code the lean emitter wrote into a double-mapped arena (the call path is the same).</summary>
    [Benchmark(OperationsPerInvoke = Calls)]
    public long Jit_CompiledFunction_Invoke_DoubleMapped()
    {
        long sum = 0;
        for (long i = 0; i < Calls; i++) sum = _lean.Invoke(sum, i);
        return sum;
    }
}
