using JitNotebooks.Compiler;

namespace JitNotebooks.Tests.Compiler;

/// <summary>Runs one function on all three engines and reports each outcome: a value or an exception type.</summary>
internal static class EngineHarness
{
    public readonly record struct Outcome(long? Value, Type? Exception)
    {
        public override string ToString() => Exception is null ? $"{Value}" : Exception.Name;
    }

    public static Outcome Run(Func<long> call)
    {
        try { return new Outcome(call(), null); }
        catch (Exception e) { return new Outcome(null, e.GetType()); }
    }

    /// <summary>(interpreter, our JIT, .NET) for one input.</summary>
    public static (Outcome Interpreter, Outcome Jit, Outcome Reference) All(
        ParsedFunction function, CompiledFunction jit, ReferenceFunction reference, long[] args) =>
        (Run(() => Interpreter.Evaluate(function, args)), Run(() => jit.Invoke(args)), Run(() => reference.Invoke(args)));
}
