using System.Runtime.CompilerServices;

namespace JitNotebooks.Compiler;

/// <summary>
/// A function compiled by <see cref="X64Compiler"/> and placed in an arena (a
/// <see cref="CodeArena"/> or a <see cref="DoubleMappedCodeArena"/>), callable with up to six
/// longs. Reads the <see cref="JitResult"/> the code returns in rax:rdx and turns an error status
/// into the exception .NET itself would throw.
/// </summary>
/// <remarks>
/// <para>Calls use <c>SuppressGCTransition</c>: the thread does not tell the GC it is leaving managed
/// code, saving the transition (several nanoseconds, more than this code takes to run). That is
/// safe here because the generated code is short, never blocks, never allocates and never calls
/// back into .NET. It would not be safe for code that calls back (see notebook 07's callback) or
/// runs long: the GC could not suspend this thread meanwhile.</para>
/// <para>The typed overloads (<c>Invoke(a, b)</c>) are the fast path: one check that the code is
/// still there, one that the arity matches, a call passing exactly that many arguments, one
/// check of the status.</para>
/// </remarks>
public sealed unsafe class CompiledFunction
{
    private readonly nint _entry;
    private readonly CodeLifetime _lifetime;
    private readonly X64Compiler _compiler;
    private X64Program? _program;

    internal CompiledFunction(ParsedFunction function, IArenaFunction code, CodeLifetime lifetime, X64Program? program, X64Compiler compiler)
    {
        Function = function;
        Code = code;
        Arity = function.Arity;
        _entry = code.Address;
        _lifetime = lifetime;
        _program = program;
        _compiler = compiler;
    }

    /// <summary>
    /// The generated program (listing, registers, spills). For code from the lean emitter
    /// (<see cref="DoubleMappedCodeArena"/>) it is generated again through <see cref="CodeBuilder"/>
    /// on first use: the same bytes, now with every byte's role.
    /// </summary>
    public X64Program Program => _program ??= _compiler.Generate(Function);

    /// <summary>Where the code sits in its arena.</summary>
    public IArenaFunction Code { get; }

    public ParsedFunction Function { get; }

    public int Arity { get; }

    /// <summary>The code as it sits in executable memory, decoded by Iced (works for lean code too: no metadata needed).</summary>
    public Listing Disassemble(ListingSyntax syntax = ListingSyntax.Att) => Listing.Disassemble(Code.ReadBytes(), syntax: syntax);

    /// <summary>Calls with any number of arguments (must equal <see cref="Arity"/>).</summary>
    /// <exception cref="DivideByZeroException">A divisor was zero.</exception>
    /// <exception cref="OverflowException"><c>long.MinValue / -1</c> or <c>% -1</c>.</exception>
    /// <exception cref="ObjectDisposedException">The arena was disposed (or the function freed).</exception>
    public long Invoke(params long[] arguments) => Unwrap(InvokeRaw(arguments));

    /// <summary>Calls and returns the raw rax:rdx pair, error status included (nothing thrown for it).</summary>
    public JitResult InvokeRaw(params long[] arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        Function.CheckArgumentCount(arguments.Length);
        Span<long> a = stackalloc long[ExpressionLimits.MaxParameters];
        arguments.CopyTo(a);
        // Every function may be called as if it took six arguments: the ones it does not use
        // arrive in registers it never reads, which the System V convention allows.
        return ((delegate* unmanaged[SuppressGCTransition]<long, long, long, long, long, long, JitResult>)Entry)(a[0], a[1], a[2], a[3], a[4], a[5]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long Invoke()
    {
        if (Arity != 0) ThrowArity(0);
        return Unwrap(((delegate* unmanaged[SuppressGCTransition]<JitResult>)Entry)());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long Invoke(long a)
    {
        if (Arity != 1) ThrowArity(1);
        return Unwrap(((delegate* unmanaged[SuppressGCTransition]<long, JitResult>)Entry)(a));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long Invoke(long a, long b)
    {
        if (Arity != 2) ThrowArity(2);
        return Unwrap(((delegate* unmanaged[SuppressGCTransition]<long, long, JitResult>)Entry)(a, b));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long Invoke(long a, long b, long c)
    {
        if (Arity != 3) ThrowArity(3);
        return Unwrap(((delegate* unmanaged[SuppressGCTransition]<long, long, long, JitResult>)Entry)(a, b, c));
    }

    public long Invoke(long a, long b, long c, long d)
    {
        if (Arity != 4) ThrowArity(4);
        return Unwrap(((delegate* unmanaged[SuppressGCTransition]<long, long, long, long, JitResult>)Entry)(a, b, c, d));
    }

    public long Invoke(long a, long b, long c, long d, long e)
    {
        if (Arity != 5) ThrowArity(5);
        return Unwrap(((delegate* unmanaged[SuppressGCTransition]<long, long, long, long, long, JitResult>)Entry)(a, b, c, d, e));
    }

    public long Invoke(long a, long b, long c, long d, long e, long f)
    {
        if (Arity != 6) ThrowArity(6);
        return Unwrap(((delegate* unmanaged[SuppressGCTransition]<long, long, long, long, long, long, JitResult>)Entry)(a, b, c, d, e, f));
    }

    /// <summary>The entry point, after checking the code is still mapped (arena alive, function not freed).</summary>
    private nint Entry
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            if (_lifetime.Ended) ThrowGone();
            return _entry;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long Unwrap(JitResult result) => result.Status == JitStatus.Ok ? result.Value : Throw(result.Status);

    // Cold paths stay out of line, so the fast path inlines into the caller.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long Throw(JitStatus status) => status switch
    {
        // The same exceptions, with the same messages, as C#'s / and % on long.
        JitStatus.DivideByZero => throw new DivideByZeroException(),
        JitStatus.Overflow => throw new OverflowException(),
        _ => throw new InvalidOperationException($"The generated code returned unknown status {(long)status}."),
    };

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowArity(int given) => Function.CheckArgumentCount(given);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowGone()
    {
        _ = Code.Pointer; // throws the arena's own ObjectDisposedException, which says why
        throw new ObjectDisposedException(nameof(CompiledFunction), "The function's code is gone. Compile it again into a live arena.");
    }

    public override string ToString() => $"{Function} at {Code}";
}
