using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace JitNotebooks.Emulation;

/// <summary>
/// The process's simulated mmap when bytes run in the emulator: each mapping is a pinned managed
/// buffer whose (page-aligned) address never changes, so the library's code that copies bytes
/// through a pointer works unchanged, while each page's protection is tracked here and enforced
/// by the emulator: W^X holds, writing to r-x code faults, running rw- data faults.
/// </summary>
/// <remarks>The host CPU never executes these bytes; to it they are ordinary read-write heap memory.</remarks>
internal static class EmulatedAddressSpace
{
    private static readonly object Gate = new();
    private static MemoryRegion[] _regions = [];

    /// <summary>True while at least one emulated mapping exists (a cheap test for the call paths).</summary>
    public static bool Any => Volatile.Read(ref _regions).Length > 0;

    /// <summary>Maps <paramref name="length"/> zeroed bytes (a whole number of pages) with <paramref name="protection"/>.</summary>
    public static nint Map(nuint length, Protection protection)
    {
        var (buffer, start) = PinnedPages(length, cleared: true);
        Add(new MemoryRegion((ulong)start, (int)length, protection, "an emulated mapping", buffer, (int)(start - BufferStart(buffer))));
        return start;
    }

    /// <summary>
    /// Reserves <paramref name="length"/> bytes (whole pages) for the first view of an emulated
    /// shared file: host memory, so the library writes through a pointer as it does on Linux, with
    /// no access for the emulated code until <see cref="Protect"/> opens pages. The bytes are not
    /// cleared here: the file clears each part as it grows (<see cref="Clear"/>), as ftruncate does.
    /// </summary>
    public static nint ReserveShared(nuint length, EmulatedFile file)
    {
        var (buffer, start) = PinnedPages(length, cleared: false);
        Add(new MemoryRegion((ulong)start, (int)length, Protection.None, $"the read-write view of {file.Path}", buffer, (int)(start - BufferStart(buffer))) { File = file });
        return start;
    }

    /// <summary>A pinned buffer (its address never changes) with a page-aligned start inside: one page more than asked.</summary>
    private static (byte[] Buffer, nint Start) PinnedPages(nuint length, bool cleared)
    {
        if (length == 0 || length > int.MaxValue - EmulatedMemory.PageSize)
            throw new NativeMemoryException("mmap", 22, $"Could not map {length} bytes: an emulated mapping holds 1 byte to 2 GiB.");
        int size = (int)length + EmulatedMemory.PageSize;
        var buffer = cleared ? GC.AllocateArray<byte>(size, pinned: true) : GC.AllocateUninitializedArray<byte>(size, pinned: true);
        return (buffer, (BufferStart(buffer) + EmulatedMemory.PageSize - 1) & ~(nint)(EmulatedMemory.PageSize - 1));
    }

    private static unsafe nint BufferStart(byte[] buffer) => (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));

    /// <summary>
    /// A second view of the bytes reserved at <paramref name="firstView"/>, at another address, no
    /// access yet. The host cannot show one memory at two addresses without the kernel, so the
    /// emulator alone sees the bytes there: read them on the host with <see cref="Read"/>. The
    /// addresses are set aside in the host's own address space (never touched, so they cost no
    /// memory), so that nothing else of the process can ever sit at them.
    /// </summary>
    public static unsafe nint ReserveAlias(nint firstView)
    {
        lock (Gate)
        {
            var first = _regions.FirstOrDefault(r => r.Start == (ulong)firstView && r.File is not null)
                ?? throw new InvalidOperationException($"0x{firstView:x} is not the first view of an emulated shared file.");
            nint start = (nint)NativeMemory.AlignedAlloc((nuint)first.Length, EmulatedMemory.PageSize);
            try { AddLocked(first.Alias((ulong)start, $"the read-execute view of {first.File!.Path}")); }
            catch
            {
                NativeMemory.AlignedFree((void*)start);
                throw;
            }
            HostReserved.Add((ulong)start);
            return start;
        }
    }

    // The second views' address ranges, set aside with NativeMemory; freed when the view is unmapped.
    private static readonly HashSet<ulong> HostReserved = [];

    /// <summary>Clears [address, address + length), which must lie in one emulated mapping (a file growing).</summary>
    public static void Clear(nint address, nuint length)
    {
        var region = Find(address);
        if (region is null || (ulong)address + length > region.End)
            throw new NativeMemoryException("ftruncate", 22, $"0x{address:x} (+{length} bytes) is not inside one emulated mapping.");
        region.Bytes((ulong)address, (int)length).Clear();
    }

    /// <summary>The bytes at [address, address + length), which must lie in one emulated mapping, whatever its protection.</summary>
    public static byte[] Read(nint address, int length)
    {
        var region = Find(address);
        if (region is null || (ulong)address + (ulong)length > region.End)
            throw new NativeMemoryException("read", 14, $"0x{address:x} (+{length} bytes) is not inside one emulated mapping.");
        return region.Bytes((ulong)address, length).ToArray();
    }

    private static void Add(MemoryRegion region)
    {
        lock (Gate) AddLocked(region);
    }

    private static void AddLocked(MemoryRegion region)
    {
        // A pinned buffer can never land on a second view's addresses in practice; if it ever did,
        // two regions would claim one address: refuse rather than run the wrong bytes.
        if (_regions.Any(r => r.Start < region.End && region.Start < r.End))
            throw new InvalidOperationException($"Emulated memory at 0x{region.Start:x}–0x{region.End:x} would overlap another emulated mapping.");
        _regions = [.. _regions.Append(region).OrderBy(r => r.Start)];
    }

    /// <summary>The mapping holding <paramref name="address"/>, or null.</summary>
    public static MemoryRegion? Find(nint address)
    {
        foreach (var r in Volatile.Read(ref _regions))
            if (r.Contains((ulong)address)) return r;
        return null;
    }

    public static bool Owns(nint address) => Any && Find(address) is not null;

    /// <summary>mprotect: changes every page of the range (which must lie in one mapping).</summary>
    public static void Protect(nint address, nuint length, Protection protection)
    {
        var region = Find(address);
        if (region is null || (ulong)address + length > region.End)
            throw new NativeMemoryException("mprotect", 12, $"0x{address:x} (+{length} bytes) is not inside one emulated mapping.");
        lock (Gate) region.Protect((ulong)address, length, protection);
    }

    /// <summary>munmap of a whole mapping (the only kind the library makes).</summary>
    public static unsafe void Unmap(nint address, nuint length)
    {
        lock (Gate)
        {
            var region = _regions.FirstOrDefault(r => r.Start == (ulong)address);
            if (region is null || (nuint)region.Length != length)
                throw new NativeMemoryException("munmap", 22,
                    $"0x{address:x} (+{length} bytes) is not exactly one emulated mapping; the emulated munmap removes whole mappings.");
            _regions = _regions.Where(r => r != region).ToArray();
            if (HostReserved.Remove((ulong)address)) NativeMemory.AlignedFree((void*)address);
        }
    }

    /// <summary>Every mapping now, for an emulator run (they share the bytes and the protections).</summary>
    public static MemoryRegion[] Snapshot() => Volatile.Read(ref _regions);

    /// <summary>
    /// What /proc/self/maps would list for the emulated mappings: one line per run of pages with the
    /// same protection, each marked <c>[emulated]</c> where the kernel would name a file.
    /// </summary>
    public static IReadOnlyList<ProcMapsEntry> MapsView()
    {
        var lines = new List<ProcMapsEntry>();
        foreach (var region in Snapshot())
            foreach (var (start, end, protection) in region.ProtectionRuns())
            {
                // A view of a shared file names the file, as the kernel does for a memfd; the rest is anonymous.
                string head = region.File is { } file && protection != Protection.None
                    ? $"{start:x}-{end:x} {Mman.Describe(protection)}s {start - region.Start:x8} 00:01 {file.Inode}"
                    : $"{start:x}-{end:x} {Mman.Describe(protection)}p 00000000 00:00 0";
                string path = region.File is { } f && protection != Protection.None ? f.Path : EmulatedPath;
                lines.Add(ProcMaps.Parse(head.PadRight(73) + path));
            }
        return lines;
    }

    /// <summary>The "path" of every emulated line in <see cref="MapsView"/>.</summary>
    public const string EmulatedPath = "[emulated]";
}

/// <summary>An in-memory file of the emulated address space, as /proc/self/maps names it.</summary>
/// <param name="Path">e.g. <c>/memfd:jitnotebooks-code-42-1 (emulated)</c>.</param>
/// <param name="Inode">A number shared by every view of the file.</param>
internal sealed record EmulatedFile(string Path, ulong Inode);
