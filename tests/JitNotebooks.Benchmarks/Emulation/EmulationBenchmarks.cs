using BenchmarkDotNet.Attributes;
using JitNotebooks.Compiler;
using JitNotebooks.Emulation;
using JitNotebooks.Isolation;

namespace JitNotebooks.Benchmarks.Emulation;

/// <summary>
/// What running without the CPU costs: the emulator's speed on notebook 07's loop (sum_to(10,000):
/// 30,004 instructions), one fallback call of a compiled expression (notebook 08 in emulated mode),
/// a trace of hello world, and one isolated native run (a worker process forked, sandboxed, reaped).
/// </summary>
[ShortRunJob]
[MemoryDiagnoser]
public class EmulationBenchmarks
{
    private readonly CodeBuilder _sumTo = SampleFunctions.SumTo();
    private readonly CodeBuilder _hello = HelloWorldProgram.Packed();
    private CodeArena _arena = null!;
    private CompiledFunction _emulated = null!;

    [GlobalSetup]
    public void Setup()
    {
        using (NativePlatform.UseEmulator())
        {
            _arena = new CodeArena();
            _emulated = new X64Compiler().Compile(Parser.Parse("(a + 3) * (b - 7) - c % 5 - a", "a", "b", "c"), _arena);
        }
        IsolatedRunner.RunIsolated([0xc3]); // the server starts once, outside the measurement
    }

    [GlobalCleanup]
    public void Cleanup() => _arena.Dispose();

    /// <summary>30,004 emulated instructions; divide the time by that for the time per instruction.</summary>
    [Benchmark]
    public long SumTo10000Emulated() => Emulator.Run(_sumTo, 10_000).ReturnValue;

    [Benchmark]
    public long CompiledExpressionEmulatedCall() => _emulated.Invoke(10, 20, 30);

    [Benchmark]
    public int TraceHelloWorld() => Emulator.Trace(_hello).Steps.Count;

    [Benchmark]
    public object IsolatedNativeRun() => IsolatedRunner.RunIsolated(_sumTo, 1000);
}
