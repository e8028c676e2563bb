namespace JitNotebooks.Tests.Functions;

/// <summary>The library's callback, called from JIT'd code as notebook 07 calls it (natively, or emulated elsewhere).</summary>
public class SampleCallbacksTests
{
    [Fact]
    public void Machine_code_calls_Square_and_adds_x()
    {
        using var arena = new CodeArena();
        var f = arena.Add(SampleFunctions.CallBack(SampleCallbacks.SquareAddress));
        int before = SampleCallbacks.Calls;
        Assert.Equal(7 * 7 + 7, f.Call(7));
        Assert.Equal(9 - 3, f.Call(-3));
        Assert.True(SampleCallbacks.Calls >= before + 2);
    }

    [Fact]
    public void Reset_sets_the_count_to_zero()
    {
        // Tests of one class run one after another, so nothing else calls Square meanwhile.
        using var arena = new CodeArena();
        var f = arena.Add(SampleFunctions.CallBack(SampleCallbacks.SquareAddress));
        SampleCallbacks.ResetCalls();
        Assert.Equal(0, SampleCallbacks.Calls);
        f.Call(5);
        Assert.Equal(1, SampleCallbacks.Calls);
    }
}
