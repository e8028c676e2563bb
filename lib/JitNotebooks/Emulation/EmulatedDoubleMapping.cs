namespace JitNotebooks.Emulation;

/// <summary>
/// The double-mapped arena's system calls where bytes run in the emulator (every machine but Linux
/// x86-64, and <c>--emulate</c>): the "file" and its two views live in the emulated address space.
/// The read-write view is host memory (the library writes code through a pointer, as on Linux); the
/// read-execute view is a second region over the same bytes at another address, which the emulator
/// runs and enforces: writing there faults, running the read-write view faults.
/// </summary>
/// <remarks>
/// Same calls, same order, same return convention as <see cref="DoubleMappingSyscalls"/> on Linux,
/// so the arena's logic (growth, free list, disposal) is the one the real kernel path uses.
/// </remarks>
internal sealed class EmulatedDoubleMapping : DoubleMappingSyscalls
{
    public static readonly EmulatedDoubleMapping Instance = new();

    private readonly object _gate = new();
    private readonly Dictionary<int, (EmulatedFile File, nint ReadWrite, long Size)> _files = [];
    private int _nextFd = 1000; // descriptors of their own: never closed by mistake as a real one

    public override bool IsEmulated => true;

    public override int MemfdCreate(string name)
    {
        lock (_gate)
        {
            int fd = _nextFd++;
            _files[fd] = (new EmulatedFile($"/memfd:{name} (emulated)", (ulong)fd), 0, 0);
            return fd;
        }
    }

    /// <summary>The first view is reserved as host memory, the second as its alias.</summary>
    public override nint ReserveView(nuint length, int fd, bool executable)
    {
        lock (_gate)
        {
            var entry = _files[fd];
            if (executable) return EmulatedAddressSpace.ReserveAlias(entry.ReadWrite);
            nint address = EmulatedAddressSpace.ReserveShared(length, entry.File);
            _files[fd] = entry with { ReadWrite = address };
            return address;
        }
    }

    public override nint Reserve(nuint length) =>
        throw new InvalidOperationException("An emulated view is reserved for a file: call ReserveView.");

    /// <summary>Growing the file clears its new part (as ftruncate gives zeros).</summary>
    public override int Truncate(int fd, long length)
    {
        lock (_gate)
        {
            var entry = _files[fd];
            if (length > entry.Size) EmulatedAddressSpace.Clear(entry.ReadWrite + (nint)entry.Size, (nuint)(length - entry.Size));
            _files[fd] = entry with { Size = length };
            return 0;
        }
    }

    public override int Allocate(int fd, long offset, long length) => 0;

    /// <summary>The views were reserved whole: mapping a part opens its pages.</summary>
    public override nint MapShared(nint address, nuint length, Protection protection, int fd, long offset)
    {
        EmulatedAddressSpace.Protect(address, length, protection);
        return address;
    }

    public override nint Unreserve(nint address, nuint length)
    {
        EmulatedAddressSpace.Protect(address, length, Protection.None);
        return address;
    }

    public override int Unmap(nint address, nuint length)
    {
        EmulatedAddressSpace.Unmap(address, length);
        return 0;
    }

    public override int Close(int fd)
    {
        lock (_gate) _files.Remove(fd);
        return 0;
    }
}
