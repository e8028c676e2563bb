using BenchmarkDotNet.Attributes;
using JitNotebooks;

namespace JitNotebooks.Benchmarks.Calling;

/// <summary>
/// What calling JIT'd code costs: the raw function pointer, the notebook-friendly wrapper,
/// a managed add for scale, and the one-off costs of mapping and of capturing stdout.
/// </summary>
[MemoryDiagnoser]
public unsafe class CallBenchmarks
{
    private static readonly byte[] AddBytes = [0x48, 0x8d, 0x04, 0x37, 0xc3]; // lea (%rdi,%rsi),%rax; ret
    private ExecutableMemory _add = null!;
    private ExecutableMemory _hello = null!;
    private delegate* unmanaged<long, long, long> _addPointer;
    private long _a = 40, _b = 2;

    [GlobalSetup]
    public void Setup()
    {
        _add = ExecutableMemory.Create(AddBytes);
        _hello = ExecutableMemory.Create(HelloWorldProgram.Packed());
        _addPointer = (delegate* unmanaged<long, long, long>)_add.Address;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _add.Dispose();
        _hello.Dispose();
    }

    [Benchmark]
    public long ManagedAdd() => _a + _b;

    [Benchmark]
    public long FunctionPointerCall() => _addPointer(_a, _b);

    [Benchmark]
    public long WrapperCall() => _add.Call(_a, _b);

    [Benchmark]
    public void CreateAndDispose()
    {
        using var memory = ExecutableMemory.Create(AddBytes);
    }

    [Benchmark]
    public int RunHelloWorldCapturingStdout() => _hello.RunCapturingStdout().Length;
}
