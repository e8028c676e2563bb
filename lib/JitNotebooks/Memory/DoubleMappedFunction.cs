namespace JitNotebooks;

/// <summary>
/// One function in a <see cref="DoubleMappedCodeArena"/>: the same bytes seen at two addresses,
/// <see cref="WritableAddress"/> (read-write view, where they were written) and
/// <see cref="Address"/> (read-execute view, where the CPU runs them). Calls use the System V
/// convention and refuse to run once the function is freed or the arena disposed.
/// </summary>
/// <remarks>
/// These calls make the normal GC transition, so they are safe for any code, including code that
/// calls back into C#.
/// </remarks>
public sealed unsafe class DoubleMappedFunction : IArenaFunction
{
    internal DoubleMappedFunction(DoubleMappedCodeArena arena, long offset, int length, nint address, nint writableAddress)
    {
        Arena = arena;
        Offset = offset;
        Length = length;
        Address = address;
        WritableAddress = writableAddress;
    }

    public DoubleMappedCodeArena Arena { get; }

    /// <summary>Where the code is in the arena's memfd file (the same in both views).</summary>
    public long Offset { get; }

    /// <summary>Bytes of code.</summary>
    public int Length { get; }

    /// <summary>Where the first instruction is in the read-execute view: what a function pointer holds.</summary>
    public nint Address { get; }

    /// <summary>The same bytes in the read-write view. Never call this address: it is not executable.</summary>
    public nint WritableAddress { get; }

    /// <summary>True once <see cref="DoubleMappedCodeArena.Free(DoubleMappedFunction)"/> gave its bytes back.</summary>
    public bool IsFreed { get; internal set; }

    /// <summary>True while the code may be called: not freed, arena not disposed.</summary>
    public bool IsCallable => !Lifetime.Ended;

    internal CodeLifetime Lifetime { get; } = new();

    /// <summary>The address, after checking the code is still there.</summary>
    /// <exception cref="ObjectDisposedException">The function was freed or the arena disposed.</exception>
    public nint Pointer
    {
        get
        {
            if (Lifetime.Ended) ThrowGone();
            return Address;
        }
    }

    /// <summary>The bytes as the CPU sees them, read through the read-execute view.</summary>
    public byte[] ReadBytes() => Arena.IsEmulated
        ? Emulation.EmulatedAddressSpace.Read(Pointer, Length) // an address only the emulator has
        : new ReadOnlySpan<byte>((void*)Pointer, Length).ToArray();

    /// <summary>The same bytes read through the read-write view (equal to <see cref="ReadBytes"/>: one file, two views).</summary>
    public byte[] ReadWritableViewBytes()
    {
        _ = Pointer;
        return new ReadOnlySpan<byte>((void*)WritableAddress, Length).ToArray();
    }

    /// <summary>
    /// Overwrites bytes of the function through the read-write view; the read-execute view runs
    /// them from the next call on, with no mprotect (the two views are the same memory). Do it only
    /// while no thread is running this function.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The bytes do not fit inside the function.</exception>
    /// <exception cref="ObjectDisposedException">The function was freed or the arena disposed.</exception>
    public void Patch(int offset, ReadOnlySpan<byte> bytes)
    {
        _ = Pointer;
        if (offset < 0 || (long)offset + bytes.Length > Length)
            throw new ArgumentOutOfRangeException(nameof(offset), offset,
                $"Writing {bytes.Length} bytes at offset {offset} does not fit in the function's {Length} bytes.");
        bytes.CopyTo(new Span<byte>((void*)(WritableAddress + offset), bytes.Length));
    }

    public long Call() => Emulated ? RunEmulated() : ((delegate* unmanaged<long>)Pointer)();

    public long Call(long a) => Emulated ? RunEmulated(a) : ((delegate* unmanaged<long, long>)Pointer)(a);

    public long Call(long a, long b) => Emulated ? RunEmulated(a, b) : ((delegate* unmanaged<long, long, long>)Pointer)(a, b);

    public long Call(long a, long b, long c) => Emulated ? RunEmulated(a, b, c) : ((delegate* unmanaged<long, long, long, long>)Pointer)(a, b, c);

    // An emulated arena's code runs in the emulator where it is, whatever the mode is now. A real
    // arena's code under emulation (one made before emulation was switched on) runs from a copy:
    // the course's functions do not depend on where they sit.
    private bool Emulated => Arena.IsEmulated || NativePlatform.EnterCallPath() == ExecutionMode.Emulated;

    private long RunEmulated(long a = 0, long b = 0, long c = 0) => Arena.IsEmulated
        ? Emulation.EmulatedExecution.Call(Pointer, a, b, c).Rax
        : Emulation.EmulatedExecution.CallCopy(ReadBytes(), a, b, c).Rax;

    public override string ToString() =>
        $"0x{Address:x} ({Length} bytes; written at 0x{WritableAddress:x}){(IsFreed ? ", freed" : Arena.IsDisposed ? ", arena disposed" : "")}";

    internal void ThrowGone() => throw new ObjectDisposedException(nameof(DoubleMappedFunction), IsFreed
        ? $"The function at 0x{Address:x} was freed: its bytes may now belong to another function. Compile it again to call it."
        : $"The arena holding the function at 0x{Address:x} was disposed, which unmapped its code. Compile it again into a live arena.");
}
