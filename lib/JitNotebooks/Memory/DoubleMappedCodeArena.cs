namespace JitNotebooks;

/// <summary>
/// W^X without mprotect: one in-memory file (<c>memfd_create</c>) mapped twice, a read-write view
/// where code is written and a read-execute view, at another address, where the CPU runs it.
/// Writing through one view changes what the other shows (they share the same physical pages),
/// but no page is ever writable and executable at the same address, and adding code never
/// changes a page's protection, so it needs no <c>mprotect</c> and no TLB flush on every core.
/// .NET itself places its code this way since .NET 7; it is also the scheme that works under
/// SELinux policies forbidding anonymous executable memory.
/// </summary>
/// <remarks>
/// <para>Everywhere: where bytes run in the emulator (macOS, Windows, Linux on Arm, <c>--emulate</c>),
/// the file and its views are the emulator's memory (<see cref="Emulation.EmulatedDoubleMapping"/>):
/// the same two views at two addresses, one set of bytes, W^X enforced by the emulator, listed by
/// <see cref="ReadMapsEntries"/> as the kernel would list them. Only the kernel can make one memory
/// appear at two addresses for the host itself, so there the read-execute view exists for the
/// emulator only; the library reads it through <see cref="DoubleMappedFunction.ReadBytes"/>.</para>
/// <para>Layout: at creation the arena reserves <see cref="Capacity"/> bytes of address space for
/// each view (no memory, no access). As functions arrive the file grows in steps of
/// <see cref="GrowthBytes"/> and each new step is mapped into both reservations, right after the
/// previous one, so /proc/self/maps shows one <c>rw-s</c> and one <c>r-xs</c> line however often
/// it grew. <see cref="Free(DoubleMappedFunction)"/> gives a function's bytes back for reuse.</para>
/// <para>Threads: adding and freeing are serialized by a lock; code is written into bytes no
/// function owns yet, so calls on other threads are never disturbed. Free a function only once
/// nothing runs it: its bytes become <c>int3</c> and later belong to another function.</para>
/// </remarks>
public sealed unsafe class DoubleMappedCodeArena : IDisposable
{
    /// <summary>Every function starts on this boundary.</summary>
    public const int FunctionAlignment = 16;

    /// <summary>Address space reserved per view by default (256 MiB): costs no memory, only addresses.</summary>
    public const long DefaultCapacity = 256L << 20;

    /// <summary>How much the file grows at a time by default.</summary>
    public const int DefaultGrowthBytes = 64 << 10;

    /// <summary>The largest capacity accepted: 64 TiB per view (a process has 128 TiB of address space).</summary>
    public const long MaxCapacity = 1L << 46;

    /// <summary>
    /// Under emulation the read-write view is host memory set aside at creation, so a larger capacity
    /// is lowered to this (64 MiB: far more code than the emulator could run in a lesson).
    /// </summary>
    public const long MaxEmulatedCapacity = 64L << 20;

    private static int s_created;

    private readonly DoubleMappingSyscalls _os;
    private readonly object _lock = new();
    private readonly FreeList _free = new();
    private readonly HashSet<DoubleMappedFunction> _live = [];
    private readonly int _fd;
    private readonly nint _writable, _executable;
    private long _mapped;   // bytes of the file mapped into each view (= the file's size)
    private long _top;      // everything from here to the end of the capacity is unused
    private int _writers;   // reservations handed out and not yet committed or cancelled
    private bool _disposed, _unmapped;

    /// <summary>Creates the file and reserves both views; nothing is mapped until the first function.</summary>
    /// <param name="capacity">The most code the arena can ever hold (rounded up to whole pages).</param>
    /// <param name="growthBytes">How much the file grows at a time (rounded up to whole pages).</param>
    /// <exception cref="DoubleMappingNotSupportedException">memfd_create is missing or forbidden here.</exception>
    /// <exception cref="NativeMemoryException">The address space could not be reserved (ENOMEM), or another failure.</exception>
    public DoubleMappedCodeArena(long capacity = DefaultCapacity, int growthBytes = DefaultGrowthBytes)
        : this(capacity, growthBytes, NativePlatform.EnterCallPath() == ExecutionMode.Emulated
            ? Emulation.EmulatedDoubleMapping.Instance
            : DoubleMappingSyscalls.Linux) { }

    internal DoubleMappedCodeArena(long capacity, int growthBytes, DoubleMappingSyscalls os)
    {
        // memfd_create is Linux's; everywhere else bytes run in the emulator, and so does the arena.
        if (!os.IsEmulated && !OperatingSystem.IsLinux())
            throw new PlatformNotSupportedException(
                "DoubleMappedCodeArena maps one memfd_create file twice, and only Linux has memfd_create. " +
                "Create it where bytes run in the emulator (any machine but Linux x86-64), which provides the double mapping itself.");
        if (capacity < 1 || capacity > MaxCapacity)
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity,
                $"The capacity is the most code the arena can hold: from 1 byte (one page is used) to {MaxCapacity:N0} bytes.");
        if (growthBytes < 1)
            throw new ArgumentOutOfRangeException(nameof(growthBytes), growthBytes, "The file must grow by at least 1 byte (one page is used) at a time.");
        _os = os;
        Capacity = RoundToPages(os.IsEmulated ? Math.Min(capacity, MaxEmulatedCapacity) : capacity);
        GrowthBytes = Math.Min(RoundToPages(growthBytes), Capacity);
        Name = $"jitnotebooks-code-{Environment.ProcessId}-{Interlocked.Increment(ref s_created)}";

        int fd = os.MemfdCreate(Name);
        if (fd < 0) throw MemfdCreateFailed(-fd);
        _fd = fd;
        try
        {
            _writable = ReserveView("read-write", fd);
            try { _executable = ReserveView("read-execute", fd); }
            catch { os.Unmap(_writable, (nuint)Capacity); throw; }
        }
        catch
        {
            os.Close(fd);
            throw;
        }
    }

    /// <summary>The file's name, as /proc/self/maps shows it: <c>/memfd:NAME (deleted)</c> (under emulation <c>/memfd:NAME (emulated)</c>).</summary>
    public string Name { get; }

    /// <summary>The most bytes of code the arena can hold (address space reserved per view; under emulation at most <see cref="MaxEmulatedCapacity"/>).</summary>
    public long Capacity { get; }

    /// <summary>True when the file and its views are the emulator's memory (see the remarks on the class).</summary>
    public bool IsEmulated => _os.IsEmulated;

    /// <summary>How much the file grows at a time.</summary>
    public long GrowthBytes { get; }

    /// <summary>Where the read-write view starts (code is written here).</summary>
    public nint WritableViewAddress { get { ThrowIfDisposed(); return _writable; } }

    /// <summary>Where the read-execute view starts (code runs here).</summary>
    public nint ExecutableViewAddress { get { ThrowIfDisposed(); return _executable; } }

    /// <summary>Bytes of the file mapped into each view so far (it only grows).</summary>
    public long MappedBytes { get { lock (_lock) { ThrowIfDisposed(); return _mapped; } } }

    /// <summary>Bytes held by live functions, alignment padding included.</summary>
    public long BytesInUse { get { lock (_lock) { ThrowIfDisposed(); return _bytesInUse; } } }
    private long _bytesInUse;

    /// <summary>Bytes freed and not reused yet (below the highest function).</summary>
    public long FreeBytes { get { lock (_lock) { ThrowIfDisposed(); return _free.TotalBytes; } } }

    /// <summary>Functions added and not freed.</summary>
    public int FunctionCount { get { lock (_lock) return _live.Count; } }

    /// <summary>Functions added since creation, freed ones included.</summary>
    public long FunctionsAdded { get; private set; }

    public bool IsDisposed => _disposed;

    /// <summary>
    /// The two views' mapped parts as (address, length, protection): read-write first, then
    /// read-execute. Same length, same file offsets, different addresses.
    /// </summary>
    public IReadOnlyList<(nint Address, long Length, Protection Protection)> Views
    {
        get
        {
            lock (_lock)
            {
                ThrowIfDisposed();
                return _mapped == 0 ? [] :
                [
                    (_writable, _mapped, Protection.Read | Protection.Write),
                    (_executable, _mapped, Protection.Read | Protection.Execute),
                ];
            }
        }
    }

    /// <summary>
    /// The /proc/self/maps lines inside this arena's two reservations, re-read on every call:
    /// a <c>rw-s</c> and a <c>r-xs</c> line for the file (once something is mapped), and
    /// <c>---p</c> lines for the reserved rest.
    /// </summary>
    public IReadOnlyList<ProcMapsEntry> ReadMapsEntries()
    {
        ThrowIfDisposed();
        var maps = _os.IsEmulated ? Emulation.EmulatedAddressSpace.MapsView() : ProcMaps.ReadReal();
        return maps.Where(e => Overlaps(e, _writable) || Overlaps(e, _executable)).ToArray();
    }

    private bool Overlaps(ProcMapsEntry e, nint reservation) =>
        e.Start < (ulong)reservation + (ulong)Capacity && e.End > (ulong)reservation;

    // ---- adding and freeing -----------------------------------------------------------------

    /// <summary>Copies one function's bytes in through the writable view.</summary>
    /// <exception cref="ArgumentException">The code is empty.</exception>
    /// <exception cref="FunctionTooLargeException">Longer than the capacity.</exception>
    /// <exception cref="CodeArenaFullException">No room left.</exception>
    /// <exception cref="ObjectDisposedException">The arena was disposed.</exception>
    public DoubleMappedFunction Add(ReadOnlySpan<byte> code)
    {
        if (code.IsEmpty)
            throw new ArgumentException("Every function needs at least one byte of code (a ret, at least).", nameof(code));
        var reservation = Reserve(code.Length);
        try { code.CopyTo(new Span<byte>((void*)reservation.Writable, code.Length)); }
        catch
        {
            Cancel(reservation);
            throw;
        }
        return Commit(reservation, code.Length);
    }

    /// <summary>Adds a program laid out with <see cref="CodeBuilder"/> (patched first if it was not).</summary>
    public DoubleMappedFunction Add(CodeBuilder code)
    {
        ArgumentNullException.ThrowIfNull(code);
        if (!code.IsPatched) code.Patch();
        return Add(code.ToArray());
    }

    /// <summary>
    /// Gives the function's bytes back: they are overwritten with <c>int3</c> and reused by later
    /// functions. Calls through the function (or a CompiledFunction holding it) throw from now on.
    /// </summary>
    /// <exception cref="ArgumentException">The function belongs to another arena.</exception>
    /// <exception cref="InvalidOperationException">It was freed already.</exception>
    /// <exception cref="ObjectDisposedException">The arena was disposed (which freed everything).</exception>
    public void Free(DoubleMappedFunction function)
    {
        ArgumentNullException.ThrowIfNull(function);
        lock (_lock)
        {
            ThrowIfDisposed();
            if (!ReferenceEquals(function.Arena, this))
                throw new ArgumentException(
                    $"The function at 0x{function.Address:x} belongs to another arena ({function.Arena.Name}); free it there.", nameof(function));
            if (function.IsFreed)
                throw new InvalidOperationException(
                    $"The function at 0x{function.Address:x} was freed already. Freeing it twice would hand its bytes to two functions.");
            function.IsFreed = true;
            function.Lifetime.End();
            _live.Remove(function);
            long used = AlignUp(function.Length, FunctionAlignment);
            // A stale raw pointer now traps on int3 instead of running whatever comes next.
            new Span<byte>((void*)function.WritableAddress, (int)used).Fill(0xCC);
            _bytesInUse -= used;
            Release(function.Offset, used);
        }
    }

    /// <summary>Frees a function given as <see cref="IArenaFunction"/> (e.g. <c>CompiledFunction.Code</c>).</summary>
    /// <exception cref="ArgumentException">It is not a function of a double-mapped arena.</exception>
    public void Free(IArenaFunction function)
    {
        ArgumentNullException.ThrowIfNull(function);
        Free(function as DoubleMappedFunction ?? throw new ArgumentException(
            $"{function.GetType().Name} comes from a CodeArena, which frees its functions only all at once (Dispose).", nameof(function)));
    }

    /// <summary>Unmaps both views and closes the file. Functions of this arena then refuse to run.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
            foreach (var function in _live) function.Lifetime.End();
            _live.Clear();
            UnmapIfNoWriters();
        }
    }

    // ---- the compiler's way in: reserve, write through the writable view, commit -----------------

    /// <summary>Room for up to <see cref="Length"/> bytes, written at <see cref="Writable"/>.</summary>
    internal readonly record struct Reservation(long Offset, long Length, nint Writable);

    /// <summary>
    /// Sets aside <paramref name="maxBytes"/> bytes that only the caller writes (no lock held
    /// meanwhile). Follow with exactly one <see cref="Commit"/> or <see cref="Cancel"/>.
    /// </summary>
    internal Reservation Reserve(long maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        long length = AlignUp(maxBytes, FunctionAlignment);
        lock (_lock)
        {
            ThrowIfDisposed();
            if (length > Capacity) throw new FunctionTooLargeException(maxBytes, Capacity);
            if (!_free.TryTake(length, out long offset))
            {
                offset = _top;
                if (offset + length > Capacity)
                    throw new CodeArenaFullException(
                        $"The arena is full: {_bytesInUse:N0} of its {Capacity:N0} bytes hold live functions " +
                        $"({_free.TotalBytes:N0} more are free, in pieces too small) and the next function needs up to {length:N0}. " +
                        "Free functions you no longer call (arena.Free), or create the arena with a larger capacity.");
                Grow(offset + length);
                _top = offset + length;
            }
            _writers++;
            return new Reservation(offset, length, _writable + (nint)offset);
        }
    }

    /// <summary>Keeps the first <paramref name="length"/> bytes of the reservation as a function; the rest goes back.</summary>
    internal DoubleMappedFunction Commit(Reservation reservation, int length)
    {
        lock (_lock)
        {
            _writers--;
            if (_disposed)
            {
                UnmapIfNoWriters();
                ThrowIfDisposed();
            }
            if (length < 1 || length > reservation.Length)
                throw new InvalidOperationException($"{length} bytes were written into a reservation of {reservation.Length}.");
            long used = AlignUp(length, FunctionAlignment);
            // The padding up to the next function is int3, so a stray jump traps.
            new Span<byte>((void*)(reservation.Writable + length), (int)(used - length)).Fill(0xCC);
            Release(reservation.Offset + used, reservation.Length - used);
            var function = new DoubleMappedFunction(this, reservation.Offset, length,
                _executable + (nint)reservation.Offset, reservation.Writable);
            _live.Add(function);
            _bytesInUse += used;
            FunctionsAdded++;
            return function;
        }
    }

    /// <summary>Gives a whole reservation back (the write failed).</summary>
    internal void Cancel(Reservation reservation)
    {
        lock (_lock)
        {
            _writers--;
            if (_disposed)
            {
                UnmapIfNoWriters();
                return;
            }
            new Span<byte>((void*)reservation.Writable, checked((int)reservation.Length)).Fill(0xCC);
            Release(reservation.Offset, reservation.Length);
        }
    }

    // ---- inside --------------------------------------------------------------------------------

    /// <summary>Returns bytes to the free space; bytes at the top simply lower the top.</summary>
    private void Release(long offset, long length)
    {
        if (length == 0) return;
        if (offset + length != _top)
        {
            _free.Add(offset, length);
            return;
        }
        _top = offset;
        if (_free.TryTakeEndingAt(_top, out long start)) _top = start;
    }

    /// <summary>Grows the file and maps the new part into both views so that <paramref name="end"/> is mapped.</summary>
    private void Grow(long end)
    {
        if (end <= _mapped) return;
        long size = Math.Min(Capacity, AlignUp(end, GrowthBytes));
        long added = size - _mapped;
        int result = _os.Truncate(_fd, size);
        if (result < 0) throw GrowthFailed("ftruncate", -result, added);
        result = _os.Allocate(_fd, _mapped, added);
        if (result < 0 && -result is not (Errno.EOPNOTSUPP or Errno.ENOSYS)) throw GrowthFailed("fallocate", -result, added);

        nint mapped = _os.MapShared(_writable + (nint)_mapped, (nuint)added, Protection.Read | Protection.Write, _fd, _mapped);
        if (mapped < 0) throw MapFailed(-(int)mapped, "read-write", added);
        mapped = _os.MapShared(_executable + (nint)_mapped, (nuint)added, Protection.Read | Protection.Execute, _fd, _mapped);
        if (mapped < 0)
        {
            _os.Unreserve(_writable + (nint)_mapped, (nuint)added); // keep both views the same size
            throw MapFailed(-(int)mapped, "read-execute", added);
        }
        _mapped = size;
    }

    private nint ReserveView(string view, int fd)
    {
        nint address = _os.ReserveView((nuint)Capacity, fd, executable: view == "read-execute");
        if (address < 0)
            throw new NativeMemoryException("mmap", -(int)address,
                $"Could not reserve {Capacity:N0} bytes of address space for the arena's {view} view. " +
                $"Create the arena with a smaller capacity (the default is {DefaultCapacity:N0}).");
        return address;
    }

    private void UnmapIfNoWriters()
    {
        // A writer still copying into the writable view would fault if it vanished under it: the last one unmaps.
        if (_writers > 0 || _unmapped) return;
        _unmapped = true;
        _os.Unmap(_writable, (nuint)Capacity);
        _os.Unmap(_executable, (nuint)Capacity);
        _os.Close(_fd);
    }

    private void ThrowIfDisposed()
    {
        if (_disposed)
            throw new ObjectDisposedException(nameof(DoubleMappedCodeArena),
                "The arena was disposed: both views are unmapped and its functions are gone. Create a new DoubleMappedCodeArena.");
    }

    private static Exception MemfdCreateFailed(int errno) => errno switch
    {
        Errno.ENOSYS => new DoubleMappingNotSupportedException("memfd_create", errno,
            "this kernel has no memfd_create (it arrived in Linux 3.17), or a seccomp filter (a container's sandbox) hides it."),
        Errno.EPERM or Errno.EACCES => new DoubleMappingNotSupportedException("memfd_create", errno,
            "a security policy (seccomp, SELinux or the container runtime) forbids it."),
        Errno.EMFILE or Errno.ENFILE => new NativeMemoryException("memfd_create", errno,
            "Too many open files: each arena holds one. Dispose arenas you no longer use, or raise the limit (ulimit -n)."),
        _ => new NativeMemoryException("memfd_create", errno, "Could not create the arena's in-memory file."),
    };

    private static Exception GrowthFailed(string call, int errno, long bytes) => errno switch
    {
        Errno.ENOMEM or Errno.ENOSPC or Errno.EFBIG => new CodeArenaFullException(
            $"The kernel could not give the arena {bytes:N0} more bytes ({call}: {Mman.ErrnoName(errno)}, out of memory). " +
            "Free functions you no longer call (arena.Free), or free memory elsewhere; every function already added still runs.",
            new NativeMemoryException(call, errno, $"Growing the arena's file by {bytes} bytes.")),
        _ => new NativeMemoryException(call, errno, $"Could not grow the arena's file by {bytes:N0} bytes."),
    };

    private static Exception MapFailed(int errno, string view, long bytes) => errno switch
    {
        Errno.EACCES or Errno.EPERM => new DoubleMappingNotSupportedException("mmap", errno,
            $"the system refuses a {view} shared mapping of the arena's file (an SELinux execmem/execmod policy, or a noexec mount)."),
        Errno.ENOMEM => new CodeArenaFullException(
            $"The kernel could not map {bytes:N0} more bytes into the arena's {view} view (mmap: ENOMEM: out of memory, " +
            "or out of mappings: see vm.max_map_count). Free functions or arenas you no longer use; every function already added still runs.",
            new NativeMemoryException("mmap", errno, $"Mapping {bytes} bytes of the arena's file {view}.")),
        _ => new NativeMemoryException("mmap", errno, $"Could not map {bytes:N0} bytes of the arena's file {view}."),
    };

    private static long RoundToPages(long bytes) => AlignUp(bytes, Mman.PageSize);

    private static long AlignUp(long value, long alignment) => (value + alignment - 1) / alignment * alignment;

    public override string ToString() => _disposed
        ? $"DoubleMappedCodeArena {Name} (disposed)"
        : $"DoubleMappedCodeArena {Name}: written at 0x{_writable:x} (rw-), run at 0x{_executable:x} (r-x), " +
          $"{_mapped:N0} of {Capacity:N0} bytes mapped, {FunctionCount} functions";
}

/// <summary>The errno values the arena tells apart (from &lt;errno.h&gt;, Linux x86-64).</summary>
internal static class Errno
{
    public const int EPERM = 1, ENOMEM = 12, EACCES = 13, ENFILE = 23, EMFILE = 24, EFBIG = 27, ENOSPC = 28, ENOSYS = 38, EOPNOTSUPP = 95;
}
