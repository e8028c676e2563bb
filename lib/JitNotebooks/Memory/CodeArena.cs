using System.Runtime.InteropServices;

namespace JitNotebooks;

/// <summary>
/// Many small JIT'd functions in shared executable pages, instead of one mapping (at least one
/// 4 KiB page) per function. Code is appended into chunks of pages; each batch is written while
/// the pages it touches are read-write and then flipped to read-execute, so no page is ever
/// writable and executable at once (W^X). <see cref="Dispose"/> unmaps every chunk.
/// </summary>
/// <remarks>
/// Adding is serialized by a lock, but calls are not: while a batch is written, the tail page
/// (which may hold earlier functions) is briefly not executable, so do not call this arena's
/// functions from another thread during <see cref="Add(byte[])"/> (the process would get SIGSEGV).
/// Use one arena per thread, or add everything before calling. Functions never move once added.
/// <see cref="DoubleMappedCodeArena"/> avoids both the flips and this restriction by mapping the
/// same memory twice, once writable and once executable.
/// </remarks>
public sealed class CodeArena : IDisposable
{
    /// <summary>Every function starts on this boundary (what compilers use: a cache-line friendly start).</summary>
    public const int FunctionAlignment = 16;

    private readonly List<Chunk> _chunks = [];
    private readonly nuint _chunkBytes;
    private bool _disposed;

    /// <summary>Creates an empty arena; nothing is mapped until the first function is added.</summary>
    /// <param name="pagesPerChunk">How many pages each mapping holds (a function larger than that gets a chunk of its own).</param>
    public CodeArena(int pagesPerChunk = 16)
    {
        NativePlatform.EnterCallPath(); // emulated mappings where the CPU cannot run the code
        if (pagesPerChunk < 1)
            throw new ArgumentOutOfRangeException(nameof(pagesPerChunk), pagesPerChunk, "A chunk needs at least one page.");
        _chunkBytes = (nuint)pagesPerChunk * (nuint)Mman.PageSize;
    }

    /// <summary>How many mappings (mmap calls) the arena holds.</summary>
    public int MappingCount { get { ThrowIfDisposed(); return _chunks.Count; } }

    /// <summary>How many pages are mapped in total.</summary>
    public long PagesMapped { get { ThrowIfDisposed(); return _chunks.Sum(c => (long)c.Length) / Mman.PageSize; } }

    /// <summary>How many pages hold at least one byte of code.</summary>
    public long PagesUsed { get { ThrowIfDisposed(); return _chunks.Sum(c => (c.Used + Mman.PageSize - 1) / Mman.PageSize); } }

    /// <summary>Bytes of code and alignment padding written so far.</summary>
    public long BytesUsed { get { ThrowIfDisposed(); return _chunks.Sum(c => c.Used); } }

    /// <summary>How many functions were added.</summary>
    public int FunctionCount { get; private set; }

    public bool IsDisposed => _disposed;

    /// <summary>Ended by <see cref="Dispose"/>; every function of this arena shares it.</summary>
    internal CodeLifetime Lifetime { get; } = new();

    /// <summary>
    /// The pages holding code, per mapping, as (address, length, protection): for checking against
    /// /proc/self/maps. The rest of each mapping is not accessible (---) until code reaches it.
    /// </summary>
    public IReadOnlyList<(nint Address, long Length, Protection Protection)> Mappings
    {
        get
        {
            ThrowIfDisposed();
            return _chunks.Where(c => c.Used > 0)
                .Select(c => (c.Address, (long)(c.Used + Mman.PageSize - 1) / Mman.PageSize * Mman.PageSize, Protection.Read | Protection.Execute))
                .ToArray();
        }
    }

    /// <summary>Adds one function (a batch of one). The builder is patched first if it was not.</summary>
    public ArenaFunction Add(CodeBuilder code)
    {
        ArgumentNullException.ThrowIfNull(code);
        if (!code.IsPatched) code.Patch();
        return Add(code.ToArray());
    }

    /// <summary>Adds one function's bytes (a batch of one).</summary>
    public ArenaFunction Add(byte[] code) => AddBatch([code])[0];

    /// <summary>
    /// Adds several functions with one read-write → read-execute flip per chunk touched: the way
    /// to add many functions cheaply.
    /// </summary>
    /// <exception cref="ArgumentException">A function is empty.</exception>
    /// <exception cref="ObjectDisposedException">The arena was disposed.</exception>
    public IReadOnlyList<ArenaFunction> AddBatch(IReadOnlyList<byte[]> functions)
    {
        lock (_chunks) return AddBatchLocked(functions);
    }

    private IReadOnlyList<ArenaFunction> AddBatchLocked(IReadOnlyList<byte[]> functions)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(functions);
        if (functions.Any(f => f is null || f.Length == 0))
            throw new ArgumentException("Every function needs at least one byte of code (a ret, at least).", nameof(functions));

        // Plan first: where each function goes, and which byte range of which chunk the batch writes.
        var placements = new List<(Chunk Chunk, int Start, byte[] Code)>(functions.Count);
        var written = new Dictionary<Chunk, (int From, int To)>();
        foreach (var code in functions)
        {
            var chunk = ChunkWithRoom(code.Length);
            int start = Align(chunk.Used);
            // From the end of the previous function: the padding may lie on an earlier page than the start.
            written[chunk] = (written.TryGetValue(chunk, out var range) ? range.From : chunk.Used, start + code.Length);
            placements.Add((chunk, start, code));
            chunk.Used = start + code.Length;
        }

        // Only the pages the batch touches become writable, and only for the time of the copy.
        foreach (var (chunk, (from, to)) in written) Protect(chunk, from, to, Protection.Read | Protection.Write);
        var result = new List<ArenaFunction>(functions.Count);
        try
        {
            int previousEnd = -1;
            Chunk? previousChunk = null;
            foreach (var (chunk, start, code) in placements)
            {
                int padFrom = chunk == previousChunk ? previousEnd : written[chunk].From;
                unsafe
                {
                    // Fill the gap before the function with int3, so a stray jump traps instead of running garbage.
                    new Span<byte>((void*)(chunk.Address + padFrom), start - padFrom).Fill(0xCC);
                    code.CopyTo(new Span<byte>((void*)(chunk.Address + start), code.Length));
                }
                result.Add(new ArenaFunction(this, chunk.Address + start, code.Length));
                (previousChunk, previousEnd) = (chunk, start + code.Length);
            }
        }
        finally
        {
            // Flip back even if something failed halfway: never leave a page writable.
            foreach (var (chunk, (from, to)) in written) Protect(chunk, from, to, Protection.Read | Protection.Execute);
        }
        FunctionCount += result.Count;
        return result;
    }

    /// <summary>Unmaps every chunk. Functions from this arena then refuse to run (ObjectDisposedException).</summary>
    public void Dispose()
    {
        lock (_chunks) DisposeLocked();
    }

    private void DisposeLocked()
    {
        if (_disposed) return;
        _disposed = true;
        Lifetime.End();
        foreach (var chunk in _chunks) Mman.Unmap(chunk.Address, chunk.Length);
        _chunks.Clear();
    }

    internal void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    private Chunk ChunkWithRoom(int length)
    {
        var last = _chunks.Count > 0 ? _chunks[^1] : null;
        if (last is not null && (nuint)(Align(last.Used) + length) <= last.Length) return last;
        nuint size = Math.Max(_chunkBytes, Mman.RoundToPages(length));
        // Mapped with no access at all: a page becomes read-write only while a batch is copied into
        // it, then read-execute. Pages not reached yet fault if anything touches them.
        var chunk = new Chunk(Mman.MapAnonymousPages(size, Protection.None), size);
        _chunks.Add(chunk);
        return chunk;
    }

    private static void Protect(Chunk chunk, int from, int to, Protection protection)
    {
        int firstPage = from / Mman.PageSize * Mman.PageSize;
        int endPage = (to + Mman.PageSize - 1) / Mman.PageSize * Mman.PageSize;
        Mman.Protect(chunk.Address + firstPage, (nuint)(endPage - firstPage), protection);
    }

    private static int Align(int offset) => (offset + FunctionAlignment - 1) / FunctionAlignment * FunctionAlignment;

    private sealed class Chunk(nint address, nuint length)
    {
        public nint Address { get; } = address;
        public nuint Length { get; } = length;
        public int Used { get; set; }
    }
}
