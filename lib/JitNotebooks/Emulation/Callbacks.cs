namespace JitNotebooks.Emulation;

/// <summary>
/// A C# function emulated code may <c>call</c>: when rip reaches <see cref="Address"/>, the
/// emulator passes rdi, rsi, rdx, rcx, r8, r9 (the first <see cref="Arity"/> of them), puts the
/// result in rax and returns to the caller, as the function's own <c>ret</c> would.
/// </summary>
/// <remarks>
/// A real callee may leave anything in the other caller-saved registers (rcx, rdx, rsi, rdi,
/// r8–r11); the emulator leaves them unchanged, so code must not rely on them either way.
/// </remarks>
public sealed class EmulatedCallback
{
    private readonly Func<long[], long> _invoke;

    public EmulatedCallback(ulong address, string name, int arity, Func<long[], long> invoke)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(invoke);
        if (arity is < 0 or > 6)
            throw new ArgumentOutOfRangeException(nameof(arity), arity,
                "A callback takes 0 to 6 integer arguments (rdi, rsi, rdx, rcx, r8, r9); more would travel on the stack.");
        if (address == 0)
            throw new ArgumentException("A callback's address cannot be 0 (a null function pointer).", nameof(address));
        Address = address;
        Name = name;
        Arity = arity;
        _invoke = invoke;
    }

    /// <summary>The address code calls (the value a <c>movabs</c> loads before <c>call *%rax</c>).</summary>
    public ulong Address { get; }

    public string Name { get; }

    /// <summary>How many argument registers it reads.</summary>
    public int Arity { get; }

    /// <summary>Calls the function with the argument registers' values.</summary>
    public long Invoke(long[] arguments) => _invoke(arguments);

    public override string ToString() => $"{Name} at 0x{Address:x} ({Arity} argument{(Arity == 1 ? "" : "s")})";
}

/// <summary>The C# callbacks one emulator knows, by address.</summary>
public sealed class CallbackRegistry
{
    private readonly Dictionary<ulong, EmulatedCallback> _byAddress = [];

    public int Count => _byAddress.Count;

    public IReadOnlyCollection<EmulatedCallback> All => _byAddress.Values;

    /// <summary>Adds a callback.</summary>
    /// <exception cref="ArgumentException">Another callback already has that address.</exception>
    public CallbackRegistry Add(EmulatedCallback callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        if (!_byAddress.TryAdd(callback.Address, callback))
            throw new ArgumentException(
                $"0x{callback.Address:x} already belongs to {_byAddress[callback.Address]}; give each callback its own address.", nameof(callback));
        return this;
    }

    public CallbackRegistry Add(ulong address, string name, Func<long> f) => Add(new(address, name, 0, _ => f()));
    public CallbackRegistry Add(ulong address, string name, Func<long, long> f) => Add(new(address, name, 1, a => f(a[0])));
    public CallbackRegistry Add(ulong address, string name, Func<long, long, long> f) => Add(new(address, name, 2, a => f(a[0], a[1])));
    public CallbackRegistry Add(ulong address, string name, Func<long, long, long, long> f) => Add(new(address, name, 3, a => f(a[0], a[1], a[2])));

    public bool TryFind(ulong address, out EmulatedCallback callback) => _byAddress.TryGetValue(address, out callback!);
}

/// <summary>
/// Native function pointers the emulator may call on the host, e.g. notebook 07's
/// <c>[UnmanagedCallersOnly]</c> C# method: <see cref="SampleFunctions.CallBack"/> registers the
/// pointer it bakes into the code, so the emulated <c>call *%rax</c> reaches the real C# method.
/// Process-wide, for every emulator.
/// </summary>
/// <remarks>
/// The pointer is called as <c>long f(long, long, long, long, long, long)</c> with the host's own
/// calling convention; a function that takes fewer arguments ignores the extra ones, which every
/// supported ABI allows. Register only pointers that really are such functions.
/// </remarks>
public static class NativeCallbacks
{
    private static readonly Dictionary<ulong, EmulatedCallback> Registered = [];

    /// <summary>Lets emulated code call <paramref name="function"/> (same pointer twice: no-op).</summary>
    /// <exception cref="ArgumentException">The pointer is null, or the arity is not 0–6.</exception>
    public static EmulatedCallback Register(nint function, string name = "native callback", int arity = 1)
    {
        if (function == 0)
            throw new ArgumentException(
                "The function pointer is null. Pass the address of an [UnmanagedCallersOnly] method, " +
                "e.g. (nint)(delegate* unmanaged<long, long>)&MyMethod.", nameof(function));
        var callback = new EmulatedCallback((ulong)function, name, arity, args => CallNative(function, args));
        lock (Registered) Registered[(ulong)function] = callback;
        return callback;
    }

    internal static bool TryFind(ulong address, out EmulatedCallback callback)
    {
        lock (Registered) return Registered.TryGetValue(address, out callback!);
    }

    internal static bool Any
    {
        get { lock (Registered) return Registered.Count > 0; }
    }

    private static unsafe long CallNative(nint function, long[] a)
    {
        Span<long> six = stackalloc long[6];
        a.CopyTo(six);
        return ((delegate* unmanaged<long, long, long, long, long, long, long>)function)(six[0], six[1], six[2], six[3], six[4], six[5]);
    }
}
