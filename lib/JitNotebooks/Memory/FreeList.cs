using System.Numerics;

namespace JitNotebooks;

/// <summary>
/// The free space inside a <see cref="DoubleMappedCodeArena"/>: byte ranges of freed functions.
/// Two ideas from malloc keep every operation fast however many ranges there are:
/// <list type="bullet">
/// <item>Boundary tags: each range is found by its start and by its end, so a range being freed
/// merges with the free ranges just before and just after it in O(1). Freeing many functions in a
/// row gives back one large range.</item>
/// <item>Size classes: ranges are kept in lists by size, class k holding lengths from 16·2^k up to
/// (not including) 16·2^(k+1). Any range of a class above the request's is long enough, so taking
/// looks at a few ranges of the request's own class and then at most one per class above.</item>
/// </list>
/// Offsets and lengths are multiples of 16 (the arena's function alignment).
/// </summary>
internal sealed class FreeList
{
    private const int Granule = 16;
    private const int ClassCount = 48;
    private const int OwnClassLooks = 4;

    private readonly Dictionary<long, long> _lengthAt = [];       // start → length
    private readonly Dictionary<long, long> _startEndingAt = [];  // end → start
    private readonly List<long>[] _classes = Enumerable.Range(0, ClassCount).Select(_ => new List<long>()).ToArray();
    private readonly Dictionary<long, int> _slot = [];            // start → its index in its class's list

    /// <summary>How many separate free ranges there are.</summary>
    public int Count => _lengthAt.Count;

    public long TotalBytes { get; private set; }

    /// <summary>The ranges in address order (for tests and displays; not fast).</summary>
    public IReadOnlyList<(long Offset, long Length)> Ranges => _lengthAt.OrderBy(r => r.Key).Select(r => (r.Key, r.Value)).ToArray();

    /// <summary>Gives a range back, merging it with the free ranges that touch it.</summary>
    /// <exception cref="InvalidOperationException">A free range starts at the same offset (a double free).</exception>
    public void Add(long offset, long length)
    {
        if (length <= 0) return;
        if (_lengthAt.ContainsKey(offset) || _startEndingAt.ContainsKey(offset + length))
            throw new InvalidOperationException($"Bytes 0x{offset:x}..0x{offset + length:x} are already free.");
        TotalBytes += length;
        if (_startEndingAt.TryGetValue(offset, out long before))
        {
            length += offset - before;
            offset = before;
            Remove(before);
        }
        if (_lengthAt.TryGetValue(offset + length, out long after))
        {
            Remove(offset + length);
            length += after;
        }
        Insert(offset, length);
    }

    /// <summary>Takes <paramref name="length"/> bytes from the start of a free range long enough, if there is one.</summary>
    public bool TryTake(long length, out long offset)
    {
        int own = ClassOf(length);
        var candidates = _classes[own];
        for (int i = candidates.Count - 1; i >= Math.Max(0, candidates.Count - OwnClassLooks); i--)
            if (_lengthAt[candidates[i]] >= length) return Take(candidates[i], length, out offset);
        for (int k = own + 1; k < ClassCount; k++)
            if (_classes[k].Count > 0) return Take(_classes[k][^1], length, out offset);
        offset = 0;
        return false;
    }

    /// <summary>Removes the range that ends exactly at <paramref name="end"/>, if there is one, and returns its start.</summary>
    public bool TryTakeEndingAt(long end, out long start)
    {
        if (!_startEndingAt.TryGetValue(end, out start))
        {
            start = end;
            return false;
        }
        TotalBytes -= end - start;
        Remove(start);
        return true;
    }

    private bool Take(long start, long length, out long offset)
    {
        long available = _lengthAt[start];
        Remove(start);
        if (available > length) Insert(start + length, available - length);
        TotalBytes -= length;
        offset = start;
        return true;
    }

    private void Insert(long start, long length)
    {
        _lengthAt[start] = length;
        _startEndingAt[start + length] = start;
        var list = _classes[ClassOf(length)];
        _slot[start] = list.Count;
        list.Add(start);
    }

    private void Remove(long start)
    {
        long length = _lengthAt[start];
        _lengthAt.Remove(start);
        _startEndingAt.Remove(start + length);
        // Swap with the last entry of its class: O(1) removal from the middle of a list.
        var list = _classes[ClassOf(length)];
        _slot.Remove(start, out int index);
        long last = list[^1];
        list.RemoveAt(list.Count - 1);
        if (last != start)
        {
            list[index] = last;
            _slot[last] = index;
        }
    }

    private static int ClassOf(long length) => Math.Min(ClassCount - 1, BitOperations.Log2((ulong)Math.Max(1, length / Granule)));
}
