using BenchmarkDotNet.Attributes;
using JitNotebooks;

namespace JitNotebooks.Benchmarks.Calling;

/// <summary>
/// The costs around part 1's calls: the notebook-friendly wrapper <c>ExecutableMemory.Call</c>, and the
/// one-off costs of mapping and of capturing stdout, reported as absolute times. (The raw function
/// pointer against a non-inlined managed call is CallOverheadBenchmarks' job: a managed add here
/// would be inlined away and make a meaningless baseline.)
/// </summary>
[ShortRunJob]
[MemoryDiagnoser]
public class CallBenchmarks
{
    private static readonly byte[] AddBytes = [0x48, 0x8d, 0x04, 0x37, 0xc3]; // lea (%rdi,%rsi),%rax; ret
    private ExecutableMemory _add = null!;
    private ExecutableMemory _hello = null!;
    private long _a = 40, _b = 2;

    [GlobalSetup]
    public void Setup()
    {
        _add = ExecutableMemory.Create(AddBytes);
        _hello = ExecutableMemory.Create(HelloWorldProgram.Packed());
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _add.Dispose();
        _hello.Dispose();
    }

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
