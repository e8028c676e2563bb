namespace JitNotebooks;

/// <summary>
/// One function in a <see cref="CodeArena"/>: its address and length, and calls through a
/// function pointer with the System V convention (integer arguments in rdi, rsi, rdx, rcx, r8, r9;
/// result in rax). Calls refuse to run once the arena is disposed, instead of jumping into
/// unmapped memory.
/// </summary>
/// <remarks>
/// These calls make the normal GC transition (the thread tells the GC it is in native code), so
/// they are safe for any code, including code that calls back into C#.
/// </remarks>
public sealed unsafe class ArenaFunction : IArenaFunction
{
    internal ArenaFunction(CodeArena arena, nint address, int length)
    {
        Arena = arena;
        Address = address;
        Length = length;
    }

    public CodeArena Arena { get; }

    /// <summary>Where the first instruction is.</summary>
    public nint Address { get; }

    public int Length { get; }

    /// <summary>True until the arena is disposed.</summary>
    public bool IsCallable => !Arena.IsDisposed;

    internal CodeLifetime Lifetime => Arena.Lifetime;

    /// <summary>The address, after checking the arena is still alive.</summary>
    /// <exception cref="ObjectDisposedException">The arena was disposed: the code is gone.</exception>
    public nint Pointer
    {
        get
        {
            Arena.ThrowIfDisposed();
            return Address;
        }
    }

    /// <summary>The bytes as they sit in executable memory.</summary>
    public byte[] ReadBytes() => new ReadOnlySpan<byte>((void*)Pointer, Length).ToArray();

    public long Call() => ((delegate* unmanaged<long>)Pointer)();

    public long Call(long a) => ((delegate* unmanaged<long, long>)Pointer)(a);

    public long Call(long a, long b) => ((delegate* unmanaged<long, long, long>)Pointer)(a, b);

    public long Call(long a, long b, long c) => ((delegate* unmanaged<long, long, long, long>)Pointer)(a, b, c);

    public override string ToString() => $"0x{Address:x} ({Length} bytes)";
}
