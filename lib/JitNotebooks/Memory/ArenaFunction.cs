using JitNotebooks.Emulation;

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
        Emulated = EmulatedExecution.Owns(address);
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

    // Each call goes to the emulator when the arena's pages are emulated (see NativePlatform.Mode).
    public long Call() => Emulated ? EmulatedExecution.Call(Pointer).Rax : ((delegate* unmanaged<long>)Pointer)();

    public long Call(long a) => Emulated ? EmulatedExecution.Call(Pointer, a).Rax : ((delegate* unmanaged<long, long>)Pointer)(a);

    public long Call(long a, long b) => Emulated ? EmulatedExecution.Call(Pointer, a, b).Rax : ((delegate* unmanaged<long, long, long>)Pointer)(a, b);

    public long Call(long a, long b, long c) => Emulated ? EmulatedExecution.Call(Pointer, a, b, c).Rax : ((delegate* unmanaged<long, long, long, long>)Pointer)(a, b, c);

    /// <summary>True when the code lives in emulated memory: calls go to the emulator.</summary>
    internal bool Emulated { get; }

    public override string ToString() => $"0x{Address:x} ({Length} bytes)";
}
