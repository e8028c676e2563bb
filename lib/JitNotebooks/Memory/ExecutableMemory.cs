using System.Runtime.InteropServices;

namespace JitNotebooks;

/// <summary>
/// Step 5: machine code copied into pages the CPU may execute. The usual way in is
/// <see cref="Create(ReadOnlySpan{byte})"/>: map pages read-write, copy the code, then flip them to read-execute.
/// The pages are never writable and executable at the same time (W^X).
/// </summary>
/// <remarks>
/// <para>To watch the two stages in a notebook, do them one at a time:
/// <see cref="MapWritable"/> → <see cref="WritableMemory.Write"/> → <see cref="WritableMemory.MakeExecutable"/>.</para>
/// <para>There is deliberately no finalizer: a raw function pointer taken from <see cref="Address"/>
/// would survive the object, and unmapping code that something may still call crashes the process.
/// Dispose when done (<c>using</c>); forgetting only leaks a page.</para>
/// </remarks>
public sealed partial class ExecutableMemory : IDisposable
{
    private readonly nint _address;
    private readonly Protection _protection;
    private int _disposed;

    internal ExecutableMemory(nint address, int length, long mappedSize, Protection protection)
    {
        _address = address;
        Length = length;
        MappedSize = mappedSize;
        _protection = protection;
    }

    /// <summary>
    /// Maps whole pages read-write, copies <paramref name="code"/> to their start, then makes
    /// them read-execute. The returned memory can be called (<see cref="CallVoid"/>, <see cref="Call()"/>).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="code"/> is empty.</exception>
    /// <exception cref="NativeMemoryException">mmap or mprotect failed (errno included).</exception>
    public static ExecutableMemory Create(ReadOnlySpan<byte> code)
    {
        ThrowIfEmpty(code);
        // If anything fails before MakeExecutable, disposing the staging area unmaps it;
        // after MakeExecutable it owns nothing and its Dispose does nothing.
        using var staging = MapWritable(code.Length);
        return staging.Write(code).MakeExecutable();
    }

    /// <summary>
    /// <see cref="Create(ReadOnlySpan{byte})"/> for a program laid out with <see cref="CodeBuilder"/>,
    /// e.g. <c>ExecutableMemory.Create(HelloWorldProgram.Packed())</c>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The program still has unpatched placeholders.</exception>
    public static ExecutableMemory Create(CodeBuilder program)
    {
        ArgumentNullException.ThrowIfNull(program);
        // An unpatched rel32 is still zero: the lea would point at itself and the call would misbehave.
        if (!program.IsPatched && program.Fixups.Count > 0)
            throw new InvalidOperationException(
                $"The program still has {program.Fixups.Count} zero placeholder(s) waiting for an address. " +
                "Call program.Patch() first, then create the executable memory.");
        return Create(program.ToArray());
    }

    /// <summary>
    /// The first of three visible stages: maps enough whole pages for <paramref name="size"/>
    /// bytes as read-write (<c>rw-p</c> in /proc/self/maps). Then <see cref="WritableMemory.Write"/>
    /// the code and call <see cref="WritableMemory.MakeExecutable"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is zero or negative.</exception>
    public static WritableMemory MapWritable(int size) => WritableMemory.Map(size);

    /// <summary>
    /// The article's approach, kept only to show it: ONE mapping that is readable, writable and
    /// executable at once (<c>rwxp</c>). Do not use it for anything else. Memory that can be both
    /// written and executed lets any bug that writes to it (or an attacker who finds it) plant code
    /// that then runs; hardened systems (SELinux execmem, PaX, macOS hardened runtime) refuse such
    /// mappings outright. <see cref="Create(ReadOnlySpan{byte})"/> gets the same result without that window.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="code"/> is empty.</exception>
    /// <exception cref="NativeMemoryException">mmap failed (errno included), e.g. when the system forbids RWX.</exception>
    public static ExecutableMemory CreateReadWriteExecute_ArticleDemo(ReadOnlySpan<byte> code)
    {
        ThrowIfEmpty(code);
        NativePlatform.EnterCallPath(); // in the emulator the rwx page is simulated, protections and all
        const Protection rwx = Protection.Read | Protection.Write | Protection.Execute;
        nuint mapped = Mman.RoundToPages(code.Length);
        nint address = Mman.MapAnonymousPages(mapped, rwx);
        unsafe { code.CopyTo(new Span<byte>((void*)address, code.Length)); }
        return new ExecutableMemory(address, code.Length, (long)mapped, rwx);
    }

    /// <summary>Where the code starts: the value a function pointer to it holds.</summary>
    /// <exception cref="ObjectDisposedException">After <see cref="Dispose"/>.</exception>
    public nint Address { get { ThrowIfDisposed(); return _address; } }

    /// <summary>How many bytes of code were copied in.</summary>
    public int Length { get; }

    /// <summary>How many bytes are mapped: <see cref="Length"/> rounded up to whole pages.</summary>
    public long MappedSize { get; }

    /// <summary>How many pages are mapped.</summary>
    public int PageCount => (int)(MappedSize / PageSize);

    /// <summary>The size of one page; protection can only change per whole page.</summary>
    public int PageSize => Mman.PageSize;

    /// <summary>The pages' current protection: Read|Execute, or Read|Write|Execute for the article demo.</summary>
    /// <exception cref="ObjectDisposedException">After <see cref="Dispose"/>.</exception>
    public Protection Protection { get { ThrowIfDisposed(); return _protection; } }

    /// <summary>"r-x" style, as /proc/self/maps shows it.</summary>
    public string ProtectionText => Mman.Describe(Protection);

    /// <summary>True once <see cref="Dispose"/> has unmapped the pages.</summary>
    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>A copy of the code bytes as they sit in the mapping.</summary>
    public byte[] ToArray()
    {
        ThrowIfDisposed();
        unsafe { return new ReadOnlySpan<byte>((void*)_address, Length).ToArray(); }
    }

    /// <summary>The /proc/self/maps line covering the code right now (re-read on every call).</summary>
    public ProcMapsEntry? ReadMapsEntry() => ProcMaps.Find(Address);

    /// <summary>Unmaps the pages. Safe to call twice; afterwards every use throws ObjectDisposedException.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
            Mman.Unmap(_address, (nuint)MappedSize);
    }

    public override string ToString() => IsDisposed
        ? $"ExecutableMemory (disposed, was {Length} bytes)"
        : $"ExecutableMemory at 0x{_address:x}: {Length} bytes in {PageCount} page(s) of {PageSize}, {Mman.Describe(_protection)}";

    internal void ThrowIfDisposed() =>
        ObjectDisposedException.ThrowIf(IsDisposed, this);

    internal static void ThrowIfEmpty(ReadOnlySpan<byte> code)
    {
        if (code.IsEmpty)
            throw new ArgumentException(
                "The code is empty: there is nothing to execute. Pass the bytes of at least one instruction " +
                "(a bare function is just 0xC3, ret), e.g. HelloWorldProgram.Packed().ToArray().", nameof(code));
    }
}
