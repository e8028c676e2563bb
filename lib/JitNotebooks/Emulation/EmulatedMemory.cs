using System.Buffers.Binary;

namespace JitNotebooks.Emulation;

/// <summary>
/// The emulated address space: a few named regions (the code, the stack, mappings) and nothing
/// in between. The CPU's accesses go through <see cref="Load"/> and <see cref="Store"/>, which
/// check page protections; the public <see cref="ReadBytes"/> and <see cref="WriteBytes"/> are a
/// debugger's view and ignore them.
/// </summary>
public sealed class EmulatedMemory
{
    /// <summary>x86-64 Linux's page size, whatever the machine running the emulator uses.</summary>
    public const int PageSize = 4096;
    internal const int PageShift = 12;

    private MemoryRegion[] _regions = []; // sorted by Start, never overlapping
    private MemoryRegion? _lastHit;

    /// <summary>Set when a write lands on an executable page, so decoded instructions are re-read.</summary>
    internal Action? ExecutableWritten;

    /// <summary>An empty address space.</summary>
    public EmulatedMemory() { }

    /// <summary>An address space made of regions that live elsewhere (the fallback's shared mappings and stack).</summary>
    internal EmulatedMemory(MemoryRegion[] regions)
    {
        Array.Sort(regions, (x, y) => x.Start.CompareTo(y.Start));
        for (int i = 1; i < regions.Length; i++)
            if (regions[i].Start < regions[i - 1].End)
                throw new ArgumentException($"Cannot map {regions[i]}: it overlaps {regions[i - 1]}.");
        _regions = regions;
    }

    /// <summary>Every region, in address order.</summary>
    public IReadOnlyList<MemoryRegion> Regions => _regions;

    /// <summary>Maps <paramref name="length"/> zero bytes at <paramref name="address"/>.</summary>
    /// <exception cref="ArgumentException">The range is empty, wraps around, or overlaps a region.</exception>
    public MemoryRegion Map(ulong address, int length, Protection protection, string name) =>
        Attach(new MemoryRegion(address, CheckLength(length), protection, CheckName(name)));

    /// <summary>Maps a copy of <paramref name="contents"/> at <paramref name="address"/>.</summary>
    /// <exception cref="ArgumentException">The contents are empty, or the range overlaps a region.</exception>
    public MemoryRegion Map(ulong address, ReadOnlySpan<byte> contents, Protection protection, string name)
    {
        var region = new MemoryRegion(address, CheckLength(contents.Length), protection, CheckName(name));
        contents.CopyTo(region.Bytes(address, contents.Length));
        return Attach(region);
    }

    /// <summary>Adds a region whose bytes live elsewhere (shared with the host: the emulated mappings of the fallback).</summary>
    internal MemoryRegion Attach(MemoryRegion region)
    {
        if (region.End < region.Start || region.End == 0 && region.Length > 0)
            throw new ArgumentException($"{region} wraps around the end of the address space.");
        var clash = _regions.FirstOrDefault(r => r.Start < region.End && region.Start < r.End);
        if (clash is not null)
            throw new ArgumentException(
                $"Cannot map {region}: it overlaps {clash}. Choose an address outside the regions already mapped.");
        _regions = [.. _regions.Append(region).OrderBy(r => r.Start)];
        return region;
    }

    /// <summary>The region holding <paramref name="address"/>, or null.</summary>
    public MemoryRegion? Find(ulong address)
    {
        var last = _lastHit;
        if (last is not null && last.Contains(address)) return last;
        var regions = _regions;
        int lo = 0, hi = regions.Length - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            var r = regions[mid];
            if (address < r.Start) hi = mid - 1;
            else if (address >= r.End) lo = mid + 1;
            else return _lastHit = r;
        }
        return null;
    }

    /// <summary>Copies bytes out, ignoring page protections (a debugger's view).</summary>
    /// <exception cref="ArgumentException">Part of the range is not mapped.</exception>
    public byte[] ReadBytes(ulong address, int length) => Whole(address, length).Bytes(address, length).ToArray();

    /// <summary>Copies bytes in, ignoring page protections (a debugger's view).</summary>
    /// <exception cref="ArgumentException">Part of the range is not mapped.</exception>
    public void WriteBytes(ulong address, ReadOnlySpan<byte> bytes) => bytes.CopyTo(Whole(address, bytes.Length).Bytes(address, bytes.Length));

    /// <summary>Reads a little-endian 8-byte value, ignoring page protections.</summary>
    public ulong ReadUInt64(ulong address) => BinaryPrimitives.ReadUInt64LittleEndian(Whole(address, 8).Bytes(address, 8));

    /// <summary>"the code 0x400000–0x401000, the stack …" for messages.</summary>
    public string Describe() => _regions.Length == 0 ? "nothing" : string.Join(", ", _regions.Select(r => r.ToString()));

    // ---- the CPU's accesses ------------------------------------------------------------------

    /// <summary>Reads 1, 2, 4 or 8 bytes for the CPU; faults like the hardware would.</summary>
    internal ulong Load(ulong address, int size)
    {
        var bytes = Checked(address, size, MemoryAccess.Read);
        return size switch
        {
            1 => bytes[0],
            2 => BinaryPrimitives.ReadUInt16LittleEndian(bytes),
            4 => BinaryPrimitives.ReadUInt32LittleEndian(bytes),
            _ => BinaryPrimitives.ReadUInt64LittleEndian(bytes),
        };
    }

    /// <summary>Writes the low 1, 2, 4 or 8 bytes of <paramref name="value"/> for the CPU; returns what was there.</summary>
    internal ulong Store(ulong address, int size, ulong value)
    {
        var bytes = Checked(address, size, MemoryAccess.Write);
        ulong old;
        switch (size)
        {
            case 1: old = bytes[0]; bytes[0] = (byte)value; break;
            case 2: old = BinaryPrimitives.ReadUInt16LittleEndian(bytes); BinaryPrimitives.WriteUInt16LittleEndian(bytes, (ushort)value); break;
            case 4: old = BinaryPrimitives.ReadUInt32LittleEndian(bytes); BinaryPrimitives.WriteUInt32LittleEndian(bytes, (uint)value); break;
            default: old = BinaryPrimitives.ReadUInt64LittleEndian(bytes); BinaryPrimitives.WriteUInt64LittleEndian(bytes, value); break;
        }
        return old;
    }

    /// <summary>A readable span for a system call's buffer; null when the kernel would answer EFAULT.</summary>
    internal byte[]? TryReadForKernel(ulong address, ulong length)
    {
        if (length > int.MaxValue || address + length < address) return null;
        var region = Find(address);
        if (region is null || address + length > region.End || !region.Allows(address, (int)length, Protection.Read)) return null;
        return region.Bytes(address, (int)length).ToArray();
    }

    private Span<byte> Checked(ulong address, int size, MemoryAccess access)
    {
        var region = Find(address);
        if (region is null || address + (ulong)size > region.End || address + (ulong)size < address)
            throw new UnmappedMemoryException(region is null ? address : region.End, size, access, Describe());
        var needed = access == MemoryAccess.Write ? Protection.Write : Protection.Read;
        if (!region.Allows(address, size, needed))
            throw new ProtectionFaultException(address, size, access, region.Name, region.FirstDenying(address, size, needed));
        if (access == MemoryAccess.Write && ExecutableWritten is not null && region.AnyPageAllows(Protection.Execute))
            ExecutableWritten();
        return region.Bytes(address, size);
    }

    private MemoryRegion Whole(ulong address, int length)
    {
        var region = Find(address);
        if (length < 0 || region is null || address + (ulong)length > region.End)
            throw new ArgumentException(
                $"[0x{address:x}, +{length}) is not inside one mapped region. Mapped: {Describe()}.");
        return region;
    }

    private static int CheckLength(int length) => length > 0 ? length
        : throw new ArgumentException($"A region needs at least one byte; got {length}.", nameof(length));

    private static string CheckName(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return name;
    }
}
