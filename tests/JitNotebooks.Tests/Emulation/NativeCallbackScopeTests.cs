using JitNotebooks.Emulation;

namespace JitNotebooks.Tests.Emulation;

/// <summary>
/// Process-wide native callbacks reach emulated code only when the options allow it: generated and
/// random programs must never call a pointer some other code registered (its memory may be reused).
/// </summary>
public class NativeCallbackScopeTests
{
    private static byte[] CallSquare() => SampleFunctions.CallBack(SampleCallbacks.SquareAddress).ToArray(); // registers Square

    [Fact]
    public void By_default_a_registered_native_callback_is_called()
    {
        var result = Emulator.Run(CallSquare(), 7);
        Assert.Equal(7 * 7 + 7, result.ReturnValue);
    }

    [Fact]
    public void Without_registered_callbacks_the_call_is_a_fault_not_a_native_call()
    {
        var code = CallSquare();
        var options = new EmulatorOptions { UseRegisteredNativeCallbacks = false };
        Assert.ThrowsAny<EmulationException>(() => Emulator.Run(code, options, 7));
    }
}
