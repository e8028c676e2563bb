namespace JitNotebooks.Emulation;

/// <summary>A C# callback the emulated code called threw an exception.</summary>
public sealed class CallbackFailedException(string callback, Exception inner) : EmulationException(inner)
{
    /// <summary>The callback's name.</summary>
    public string Callback { get; } = callback;

    public override string Problem => $"The C# callback {Callback} threw {InnerException!.GetType().Name}: {InnerException.Message}";

    public override string OnRealHardware =>
        "an exception cannot cross native code: leaving an [UnmanagedCallersOnly] method with one ends the process.";

    public override string Fix => "catch exceptions inside the callback and return an error value instead.";
}
