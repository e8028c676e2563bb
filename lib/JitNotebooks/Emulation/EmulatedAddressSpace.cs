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
    public static unsafe nint Map(nuint length, Protection protection)
    {
        if (length == 0 || length > int.MaxValue - EmulatedMemory.PageSize)
            throw new NativeMemoryException("mmap", 22, $"Could not map {length} bytes: the emulated mmap takes 1 byte to 2 GiB.");
        // One page more than asked, so a page-aligned start fits inside; pinned, so the address stays.
        var buffer = GC.AllocateArray<byte>((int)length + EmulatedMemory.PageSize, pinned: true);
        nint raw = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));
        nint start = (raw + EmulatedMemory.PageSize - 1) & ~(nint)(EmulatedMemory.PageSize - 1);
        var region = new MemoryRegion((ulong)start, (int)length, protection, "an emulated mapping", buffer, (int)(start - raw));
        lock (Gate) _regions = [.. _regions.Append(region).OrderBy(r => r.Start)];
        return start;
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
    public static void Unmap(nint address, nuint length)
    {
        lock (Gate)
        {
            var region = _regions.FirstOrDefault(r => r.Start == (ulong)address);
            if (region is null || (nuint)region.Length != length)
                throw new NativeMemoryException("munmap", 22,
                    $"0x{address:x} (+{length} bytes) is not exactly one emulated mapping; the emulated munmap removes whole mappings.");
            _regions = _regions.Where(r => r != region).ToArray();
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
                string head = $"{start:x}-{end:x} {Mman.Describe(protection)}p 00000000 00:00 0";
                lines.Add(ProcMaps.Parse(head.PadRight(73) + EmulatedPath));
            }
        return lines;
    }

    /// <summary>The "path" of every emulated line in <see cref="MapsView"/>.</summary>
    public const string EmulatedPath = "[emulated]";
}
