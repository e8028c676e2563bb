namespace JitNotebooks.Compiler;

/// <summary>
/// A function compiled by <see cref="X64Compiler"/> and placed in a <see cref="CodeArena"/>,
/// callable with up to six longs. Reads the <see cref="JitResult"/> the code returns in rax:rdx
/// and turns an error status into the exception .NET itself would throw.
/// </summary>
/// <remarks>
/// Calls use <c>SuppressGCTransition</c>: the thread does not tell the GC it is leaving managed
/// code, saving the transition (several nanoseconds, more than this code takes to run). That is
/// safe here because the generated code is short, never blocks, never allocates and never calls
/// back into .NET. It would not be safe for code that calls back (see notebook 07's callback) or
/// runs long: the GC could not suspend this thread meanwhile.
/// </remarks>
public sealed unsafe class CompiledFunction
{
    internal CompiledFunction(X64Program program, ArenaFunction code)
    {
        Program = program;
        Code = code;
        Arity = program.Function.Arity;
    }

    /// <summary>The generated program (listing, registers, spills).</summary>
    public X64Program Program { get; }

    /// <summary>Where the code sits in the arena.</summary>
    public ArenaFunction Code { get; }

    public ParsedFunction Function => Program.Function;

    public int Arity { get; }

    /// <summary>Calls with any number of arguments (must equal <see cref="Arity"/>).</summary>
    /// <exception cref="DivideByZeroException">A divisor was zero.</exception>
    /// <exception cref="OverflowException"><c>long.MinValue / -1</c> or <c>% -1</c>.</exception>
    /// <exception cref="ObjectDisposedException">The arena was disposed.</exception>
    public long Invoke(params long[] arguments) => Unwrap(InvokeRaw(arguments));

    /// <summary>Calls and returns the raw rax:rdx pair, error status included (nothing thrown for it).</summary>
    public JitResult InvokeRaw(params long[] arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        Function.CheckArgumentCount(arguments.Length);
        Span<long> a = stackalloc long[ExpressionLimits.MaxParameters];
        arguments.CopyTo(a);
        return Call(a[0], a[1], a[2], a[3], a[4], a[5]);
    }

    public long Invoke() => Unwrap(Call(0, 0, 0, 0, 0, 0, given: 0));
    public long Invoke(long a) => Unwrap(Call(a, 0, 0, 0, 0, 0, given: 1));
    public long Invoke(long a, long b) => Unwrap(Call(a, b, 0, 0, 0, 0, given: 2));
    public long Invoke(long a, long b, long c) => Unwrap(Call(a, b, c, 0, 0, 0, given: 3));
    public long Invoke(long a, long b, long c, long d) => Unwrap(Call(a, b, c, d, 0, 0, given: 4));
    public long Invoke(long a, long b, long c, long d, long e) => Unwrap(Call(a, b, c, d, e, 0, given: 5));
    public long Invoke(long a, long b, long c, long d, long e, long f) => Unwrap(Call(a, b, c, d, e, f, given: 6));

    private JitResult Call(long a, long b, long c, long d, long e, long f, int given)
    {
        if (given != Arity) Function.CheckArgumentCount(given);
        return Call(a, b, c, d, e, f);
    }

    // Every function is called as if it took six arguments: the ones it does not use arrive in
    // registers it never reads, which the System V convention allows.
    private JitResult Call(long a, long b, long c, long d, long e, long f) =>
        Code.Emulated ? CallEmulated(a, b, c, d, e, f) :
        ((delegate* unmanaged[SuppressGCTransition]<long, long, long, long, long, long, JitResult>)Code.Pointer)(a, b, c, d, e, f);

    // Where the code lives in emulated memory (see NativePlatform.Mode): the emulator returns rax:rdx.
    private JitResult CallEmulated(long a, long b, long c, long d, long e, long f)
    {
        var (value, status) = Emulation.EmulatedExecution.Call(Code.Pointer, a, b, c, d, e, f);
        return new JitResult(value, (JitStatus)status);
    }

    private static long Unwrap(JitResult result) => result.Status switch
    {
        JitStatus.Ok => result.Value,
        // The same exceptions, with the same messages, as C#'s / and % on long.
        JitStatus.DivideByZero => throw new DivideByZeroException(),
        JitStatus.Overflow => throw new OverflowException(),
        _ => throw new InvalidOperationException($"The generated code returned unknown status {(long)result.Status}."),
    };

    public override string ToString() => $"{Function} at {Code}";
}
