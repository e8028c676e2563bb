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
/// <para>The typed overloads (<c>Invoke(a, b)</c>) decide with one comparison: a field holds the
/// arity while the code is callable and cannot fail (no division by a variable, by 0 or by -1),
/// -1 otherwise (the arena disposing or freeing the code sets it). Such code is called as
/// returning just rax: its status in rdx is always Ok. Code that can fail has a second field and
/// a call that reads rax:rdx and checks the status. A wrong arity or code that is gone falls
/// through both to the slow path, which throws.</para>
/// </remarks>
public sealed unsafe class CompiledFunction : ICodeWatcher
{
    private readonly nint _entry;
    private readonly CodeLifetime _lifetime;
    private readonly X64Compiler _compiler;
    private X64Program? _program;
    private int _fastArity;     // Arity while callable and unable to fail, else -1
    private int _checkedArity;  // Arity while callable and able to fail, else -1
    private readonly bool _emulated; // the bytes run in the emulator (NativePlatform.Mode): every call takes the checked path

    internal CompiledFunction(ParsedFunction function, IArenaFunction code, CodeLifetime lifetime, X64Program? program, X64Compiler compiler, bool canFail)
    {
        Function = function;
        Code = code;
        Arity = function.Arity;
        CanFail = canFail;
        _entry = code.Address;
        _lifetime = lifetime;
        _program = program;
        _compiler = compiler;
        _emulated = NativePlatform.IsEmulated || Emulation.EmulatedExecution.Owns(_entry);
        _fastArity = canFail || _emulated ? -1 : Arity;
        _checkedArity = canFail && !_emulated ? Arity : -1;
        lifetime.Watch(this); // from now on, ending the lifetime closes the fast path
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

    /// <summary>True when the code can report an error (it divides by a variable, by 0 or by -1).</summary>
    public bool CanFail { get; }

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
        return CallSix(a[0], a[1], a[2], a[3], a[4], a[5]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long Invoke() =>
        _fastArity == 0 ? ((delegate* unmanaged[SuppressGCTransition]<long>)_entry)()
        : _checkedArity == 0 ? Unwrap(((delegate* unmanaged[SuppressGCTransition]<JitResult>)_entry)())
        : Checked(0, 0, 0, 0, 0, 0, given: 0);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long Invoke(long a) =>
        _fastArity == 1 ? ((delegate* unmanaged[SuppressGCTransition]<long, long>)_entry)(a)
        : _checkedArity == 1 ? Unwrap(((delegate* unmanaged[SuppressGCTransition]<long, JitResult>)_entry)(a))
        : Checked(a, 0, 0, 0, 0, 0, given: 1);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long Invoke(long a, long b) =>
        _fastArity == 2 ? ((delegate* unmanaged[SuppressGCTransition]<long, long, long>)_entry)(a, b)
        : _checkedArity == 2 ? Unwrap(((delegate* unmanaged[SuppressGCTransition]<long, long, JitResult>)_entry)(a, b))
        : Checked(a, b, 0, 0, 0, 0, given: 2);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long Invoke(long a, long b, long c) =>
        _fastArity == 3 ? ((delegate* unmanaged[SuppressGCTransition]<long, long, long, long>)_entry)(a, b, c)
        : _checkedArity == 3 ? Unwrap(((delegate* unmanaged[SuppressGCTransition]<long, long, long, JitResult>)_entry)(a, b, c))
        : Checked(a, b, c, 0, 0, 0, given: 3);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long Invoke(long a, long b, long c, long d) =>
        _fastArity == 4 ? ((delegate* unmanaged[SuppressGCTransition]<long, long, long, long, long>)_entry)(a, b, c, d)
        : _checkedArity == 4 ? Unwrap(((delegate* unmanaged[SuppressGCTransition]<long, long, long, long, JitResult>)_entry)(a, b, c, d))
        : Checked(a, b, c, d, 0, 0, given: 4);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long Invoke(long a, long b, long c, long d, long e) =>
        _fastArity == 5 ? ((delegate* unmanaged[SuppressGCTransition]<long, long, long, long, long, long>)_entry)(a, b, c, d, e)
        : _checkedArity == 5 ? Unwrap(((delegate* unmanaged[SuppressGCTransition]<long, long, long, long, long, JitResult>)_entry)(a, b, c, d, e))
        : Checked(a, b, c, d, e, 0, given: 5);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long Invoke(long a, long b, long c, long d, long e, long f) =>
        _fastArity == 6 ? ((delegate* unmanaged[SuppressGCTransition]<long, long, long, long, long, long, long>)_entry)(a, b, c, d, e, f)
        : _checkedArity == 6 ? Unwrap(((delegate* unmanaged[SuppressGCTransition]<long, long, long, long, long, long, JitResult>)_entry)(a, b, c, d, e, f))
        : Checked(a, b, c, d, e, f, given: 6);

    /// <summary>
    /// The slow path, for a wrong arity or code that is gone: checks the arity, then that the code is
    /// still there (both throw), then calls reading rax:rdx and turns the status into .NET's exception. Every function may be called as if it took six
    /// arguments: the ones it does not use arrive in registers it never reads (System V allows it).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private long Checked(long a, long b, long c, long d, long e, long f, int given)
    {
        if (given != Arity) Function.CheckArgumentCount(given);
        return Unwrap(CallSix(a, b, c, d, e, f));
    }

    // Every function may be called as if it took six arguments: the ones it does not use
    // arrive in registers it never reads, which the System V convention allows.
    private JitResult CallSix(long a, long b, long c, long d, long e, long f)
    {
        var entry = Entry;
        if (!_emulated)
            return ((delegate* unmanaged[SuppressGCTransition]<long, long, long, long, long, long, JitResult>)entry)(a, b, c, d, e, f);
        NativePlatform.EnterCallPath(); // says once that the bytes run in the emulator
        // Code in emulated memory (a CodeArena off Linux x86-64) runs where it is; code in a real
        // mapping (the double-mapped arena under --emulate) runs from a copy of its bytes.
        var (rax, rdx) = Emulation.EmulatedExecution.Owns(entry)
            ? Emulation.EmulatedExecution.Call(entry, a, b, c, d, e, f)
            : Emulation.EmulatedExecution.CallCopy(Code.ReadBytes(), a, b, c, d, e, f);
        return new JitResult(rax, (JitStatus)rdx);
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

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long Throw(JitStatus status) => status switch
    {
        // The same exceptions, with the same messages, as C#'s / and % on long.
        JitStatus.DivideByZero => throw new DivideByZeroException(),
        JitStatus.Overflow => throw new OverflowException(),
        _ => throw new InvalidOperationException($"The generated code returned unknown status {(long)status}."),
    };

    void ICodeWatcher.CodeGone() => _fastArity = _checkedArity = -1;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowGone()
    {
        _ = Code.Pointer; // throws the arena's own ObjectDisposedException, which says why
        throw new ObjectDisposedException(nameof(CompiledFunction), "The function's code is gone. Compile it again into a live arena.");
    }

    public override string ToString() => $"{Function} at {Code}";
}
