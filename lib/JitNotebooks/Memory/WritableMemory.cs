namespace JitNotebooks;

/// <summary>
/// The writable stage of <see cref="ExecutableMemory"/>: freshly mapped read-write pages
/// (<c>rw-p</c>) that code is copied into. <see cref="MakeExecutable"/> flips them to read-execute
/// and hands them over; from then on this object can no longer write (W^X by construction).
/// </summary>
/// <example>
/// <code>
/// var staging = ExecutableMemory.MapWritable(code.Length);   // rw-p
/// staging.Write(code);
/// var memory = staging.MakeExecutable();                       // r-xp
/// </code>
/// </example>
public sealed class WritableMemory : IDisposable
{
    private readonly nint _address;
    private bool _written;
    private bool _madeExecutable;
    private bool _disposed;

    private WritableMemory(nint address, int length, long mappedSize)
    {
        _address = address;
        Length = length;
        MappedSize = mappedSize;
    }

    internal static WritableMemory Map(int size)
    {
        if (size <= 0)
            throw new ArgumentOutOfRangeException(nameof(size), size,
                "The size is the number of code bytes to make room for; it must be at least 1.");
        NativePlatform.EnterCallPath(); // emulated mappings where the CPU cannot run the code
        nuint mapped = Mman.RoundToPages(size);
        return new WritableMemory(Mman.MapAnonymousPages(mapped, Protection.Read | Protection.Write), size, (long)mapped);
    }

    /// <summary>Where the pages start.</summary>
    public nint Address { get { ThrowIfUnusable(); return _address; } }

    /// <summary>How many bytes of code there is room for (the size asked for).</summary>
    public int Length { get; }

    /// <summary><see cref="Length"/> rounded up to whole pages.</summary>
    public long MappedSize { get; }

    /// <summary>How many pages are mapped.</summary>
    public int PageCount => (int)(MappedSize / PageSize);

    /// <summary>The size of one page.</summary>
    public int PageSize => Mman.PageSize;

    /// <summary>Read|Write while writable; None once handed over or disposed.</summary>
    public Protection Protection => IsWritable ? Protection.Read | Protection.Write : Protection.None;

    /// <summary>True until <see cref="MakeExecutable"/> or <see cref="Dispose"/>.</summary>
    public bool IsWritable => !_madeExecutable && !_disposed;

    /// <summary>True once <see cref="MakeExecutable"/> has handed the pages to an <see cref="ExecutableMemory"/>.</summary>
    public bool IsMadeExecutable => _madeExecutable;

    /// <summary>True once disposed.</summary>
    public bool IsDisposed => _disposed;

    /// <summary>Copies <paramref name="bytes"/> into the pages at <paramref name="offset"/>.</summary>
    /// <returns>This object, so stages chain: <c>MapWritable(n).Write(code).MakeExecutable()</c>.</returns>
    /// <exception cref="InvalidOperationException">After <see cref="MakeExecutable"/>: the pages are executable now.</exception>
    /// <exception cref="ObjectDisposedException">After <see cref="Dispose"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The bytes do not fit inside <see cref="Length"/>.</exception>
    public WritableMemory Write(ReadOnlySpan<byte> bytes, int offset = 0)
    {
        ThrowIfUnusable();
        if (offset < 0 || (long)offset + bytes.Length > Length)
            throw new ArgumentOutOfRangeException(nameof(offset), offset,
                $"Writing {bytes.Length} bytes at offset {offset} does not fit in the {Length} bytes mapped " +
                "for code. Map a larger region with ExecutableMemory.MapWritable(size).");
        unsafe { bytes.CopyTo(new Span<byte>((void*)(_address + offset), bytes.Length)); }
        _written = true;
        return this;
    }

    /// <summary>A copy of the <see cref="Length"/> bytes as they sit in the pages now.</summary>
    public byte[] ToArray()
    {
        ThrowIfUnusable();
        unsafe { return new ReadOnlySpan<byte>((void*)_address, Length).ToArray(); }
    }

    /// <summary>The /proc/self/maps line covering the pages right now (re-read on every call).</summary>
    public ProcMapsEntry? ReadMapsEntry() => ProcMaps.Find(Address);

    /// <summary>
    /// mprotect's the pages to read-execute and returns them as <see cref="ExecutableMemory"/>,
    /// which now owns them. This object cannot write any more, and its Dispose does nothing.
    /// </summary>
    /// <exception cref="InvalidOperationException">Nothing was written yet, or this was already done.</exception>
    /// <exception cref="NativeMemoryException">mprotect failed (the pages stay writable and owned here).</exception>
    public ExecutableMemory MakeExecutable()
    {
        ThrowIfUnusable();
        if (!_written)
            throw new InvalidOperationException(
                "Nothing has been written yet, so there is no code to execute. Call Write(code) first.");
        Mman.Protect(_address, (nuint)MappedSize, Protection.Read | Protection.Execute);
        _madeExecutable = true;
        return new ExecutableMemory(_address, Length, MappedSize, Protection.Read | Protection.Execute);
    }

    /// <summary>Unmaps the pages unless <see cref="MakeExecutable"/> handed them over. Safe to call twice.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (!_madeExecutable) Mman.Unmap(_address, (nuint)MappedSize);
    }

    public override string ToString() =>
        _madeExecutable ? $"WritableMemory (handed over to ExecutableMemory at 0x{_address:x})"
        : _disposed ? "WritableMemory (disposed)"
        : $"WritableMemory at 0x{_address:x}: {Length} bytes in {PageCount} page(s) of {PageSize}, rw-";

    private void ThrowIfUnusable()
    {
        // Checked first: after the hand-over the pages live on, executable, so "disposed" would mislead.
        if (_madeExecutable)
            throw new InvalidOperationException(
                "These pages were made executable by MakeExecutable() and now belong to the ExecutableMemory it " +
                "returned; they can no longer be written or used through this object (W^X: " +
                "never writable and executable at once). To change the code, map a new region with " +
                "ExecutableMemory.MapWritable(size) or ExecutableMemory.Create(code).");
        ObjectDisposedException.ThrowIf(_disposed, this);
    }
}
