namespace JitNotebooks.Emulation;

/// <summary>
/// One contiguous range of emulated memory: its bytes, a name, and a protection per 4 KiB page
/// (as mprotect sets them), plus optional spans marked as data so that running into them is
/// reported as "executing data" even inside an executable page.
/// </summary>
public sealed class MemoryRegion
{
    private readonly byte[] _backing;
    private readonly int _backingOffset;
    private readonly Protection[] _pages;
    private readonly List<(ulong Start, ulong End, string Name)> _dataSpans = [];

    internal MemoryRegion(ulong start, int length, Protection protection, string name, byte[]? backing = null, int backingOffset = 0)
    {
        Start = start;
        Length = length;
        Name = name;
        _backing = backing ?? new byte[length];
        _backingOffset = backingOffset;
        _pages = new Protection[PageIndex(start + (ulong)length - 1) + 1];
        Array.Fill(_pages, protection);
    }

    /// <summary>The first address.</summary>
    public ulong Start { get; }

    /// <summary>The first address after the region.</summary>
    public ulong End => Start + (ulong)Length;

    public int Length { get; }

    /// <summary>What the region holds, e.g. "the code", "the stack".</summary>
    public string Name { get; }

    /// <summary>
    /// For one view of an emulated shared file (the double-mapped arena under emulation): the file,
    /// as /proc/self/maps would name it. Two regions with the same file share their bytes.
    /// </summary>
    internal EmulatedFile? File { get; init; }

    /// <summary>A region showing the same bytes as this one at <paramref name="start"/> (a second view of a shared file), no access yet.</summary>
    internal MemoryRegion Alias(ulong start, string name) =>
        new(start, Length, Protection.None, name, _backing, _backingOffset) { File = File };

    /// <summary>True when <paramref name="address"/> lies inside.</summary>
    public bool Contains(ulong address) => address >= Start && address < End;

    /// <summary>The protection of the page holding <paramref name="address"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The address is outside the region.</exception>
    public Protection ProtectionAt(ulong address) => Contains(address)
        ? _pages[PageIndex(address)]
        : throw new ArgumentOutOfRangeException(nameof(address), $"0x{address:x} is outside {Name} (0x{Start:x}–0x{End:x}).");

    /// <summary>The runs of pages with one protection each, in address order (what /proc/self/maps lists).</summary>
    public IEnumerable<(ulong Start, ulong End, Protection Protection)> ProtectionRuns()
    {
        ulong pageBase = Start & ~(ulong)(EmulatedMemory.PageSize - 1);
        int i = 0;
        while (i < _pages.Length)
        {
            int j = i;
            while (j < _pages.Length && _pages[j] == _pages[i]) j++;
            ulong from = Math.Max(Start, pageBase + (ulong)i * EmulatedMemory.PageSize);
            ulong to = Math.Min(End, pageBase + (ulong)j * EmulatedMemory.PageSize);
            yield return (from, to, _pages[i]);
            i = j;
        }
    }

    /// <summary>Spans marked as data (from a <see cref="CodeBuilder"/>'s data roles).</summary>
    public IReadOnlyList<(ulong Start, ulong End, string Name)> DataSpans => _dataSpans;

    internal void MarkData(ulong start, ulong end, string name) => _dataSpans.Add((start, end, name));

    internal string? DataSpanAt(ulong address)
    {
        foreach (var span in _dataSpans)
            if (address >= span.Start && address < span.End) return span.Name;
        return null;
    }

    /// <summary>Changes the protection of every page touching [address, address + length).</summary>
    internal void Protect(ulong address, ulong length, Protection protection)
    {
        if (length == 0) return;
        for (int p = PageIndex(address), last = PageIndex(address + length - 1); p <= last; p++) _pages[p] = protection;
    }

    /// <summary>True when every page of [address, address + size) allows <paramref name="needed"/>.</summary>
    internal bool Allows(ulong address, int size, Protection needed)
    {
        for (int p = PageIndex(address), last = PageIndex(address + (ulong)size - 1); p <= last; p++)
            if ((_pages[p] & needed) != needed) return false;
        return true;
    }

    /// <summary>The first page of [address, address + size) that does not allow <paramref name="needed"/>.</summary>
    internal Protection FirstDenying(ulong address, int size, Protection needed)
    {
        for (int p = PageIndex(address), last = PageIndex(address + (ulong)size - 1); p <= last; p++)
            if ((_pages[p] & needed) != needed) return _pages[p];
        return needed;
    }

    internal bool AnyPageAllows(Protection needed) => _pages.Any(p => (p & needed) == needed);

    /// <summary>The bytes at [address, address + size); the caller has checked the range.</summary>
    internal Span<byte> Bytes(ulong address, int size) => _backing.AsSpan(_backingOffset + (int)(address - Start), size);

    private int PageIndex(ulong address) =>
        (int)((address >> EmulatedMemory.PageShift) - (Start >> EmulatedMemory.PageShift));

    public override string ToString() => $"{Name} 0x{Start:x}–0x{End:x} ({Length} bytes)";
}
