namespace JitNotebooks;

/// <summary>
/// The free space inside a <see cref="DoubleMappedCodeArena"/>: byte ranges of freed functions,
/// sorted by offset. Neighbouring ranges merge when freed, so freeing many small functions in a
/// row gives back one large range; taking uses the first range that is big enough (first fit).
/// </summary>
internal sealed class FreeList
{
    // Sorted by Offset; no two ranges touch (they would have been merged).
    private readonly List<(long Offset, long Length)> _ranges = [];

    public int Count => _ranges.Count;

    public long TotalBytes { get; private set; }

    public IReadOnlyList<(long Offset, long Length)> Ranges => _ranges;

    /// <summary>Gives a range back, merging it with the ranges just before and after it.</summary>
    /// <exception cref="InvalidOperationException">It overlaps a range that is already free (a double free).</exception>
    public void Add(long offset, long length)
    {
        if (length <= 0) return;
        int i = FirstEndingAfter(offset);
        if (i < _ranges.Count && _ranges[i].Offset < offset + length)
            throw new InvalidOperationException($"Bytes 0x{offset:x}..0x{offset + length:x} are already free.");
        TotalBytes += length;
        bool mergesBefore = i > 0 && _ranges[i - 1].Offset + _ranges[i - 1].Length == offset;
        bool mergesAfter = i < _ranges.Count && _ranges[i].Offset == offset + length;
        if (mergesBefore && mergesAfter)
        {
            _ranges[i - 1] = (_ranges[i - 1].Offset, _ranges[i - 1].Length + length + _ranges[i].Length);
            _ranges.RemoveAt(i);
        }
        else if (mergesBefore) _ranges[i - 1] = (_ranges[i - 1].Offset, _ranges[i - 1].Length + length);
        else if (mergesAfter) _ranges[i] = (offset, length + _ranges[i].Length);
        else _ranges.Insert(i, (offset, length));
    }

    /// <summary>Takes <paramref name="length"/> bytes from the start of the first range that has them.</summary>
    public bool TryTake(long length, out long offset)
    {
        for (int i = 0; i < _ranges.Count; i++)
        {
            var (start, size) = _ranges[i];
            if (size < length) continue;
            if (size == length) _ranges.RemoveAt(i);
            else _ranges[i] = (start + length, size - length);
            TotalBytes -= length;
            offset = start;
            return true;
        }
        offset = 0;
        return false;
    }

    /// <summary>Removes the range that ends exactly at <paramref name="end"/>, if there is one, and returns its start.</summary>
    public bool TryTakeEndingAt(long end, out long start)
    {
        if (_ranges.Count > 0 && _ranges[^1].Offset + _ranges[^1].Length == end)
        {
            start = _ranges[^1].Offset;
            TotalBytes -= _ranges[^1].Length;
            _ranges.RemoveAt(_ranges.Count - 1);
            return true;
        }
        start = end;
        return false;
    }

    // Binary search: the first range whose end lies after offset.
    private int FirstEndingAfter(long offset)
    {
        int lo = 0, hi = _ranges.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) / 2;
            if (_ranges[mid].Offset + _ranges[mid].Length <= offset) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
}
