using System.Runtime.InteropServices;

namespace JitNotebooks;

/// <summary>
/// The system calls behind <see cref="DoubleMappedCodeArena"/>: an anonymous in-memory file
/// (<c>memfd_create</c>), its size (<c>ftruncate</c>, <c>fallocate</c>) and shared mappings of it.
/// Every method returns what the call returns on success, or <c>-errno</c> on failure (the raw
/// system-call convention), so the arena decides what each failure means in one place.
/// </summary>
/// <remarks>Virtual so tests can make one call fail with a chosen errno (memfd_create missing, ENOMEM …).</remarks>
internal class DoubleMappingSyscalls
{
    public static readonly DoubleMappingSyscalls Linux = new();

    private const int MfdCloexec = 0x1;      // the fd does not leak into child processes
    private const int MapSharedFlag = 0x01;     // writes go to the file, so the other view sees them
    private const int MapPrivate = 0x02;
    private const int MapFixed = 0x10;       // exactly here: inside our own reservation
    private const int MapAnonymous = 0x20;
    private const int MapNoReserve = 0x4000; // address space only: no memory is promised for it

    /// <summary>Creates the file; returns its descriptor.</summary>
    public virtual int MemfdCreate(string name) => Check(Mman.memfd_create(name, MfdCloexec));

    /// <summary>Sets the file's size.</summary>
    public virtual int Truncate(int fd, long length) => Check(Mman.ftruncate(fd, length));

    /// <summary>Allocates the file's pages now, so running out of memory is an error here, not a SIGBUS on a later write.</summary>
    public virtual int Allocate(int fd, long offset, long length) => Check(Mman.fallocate(fd, 0, offset, length));

    /// <summary>True for the emulator's stand-in (<see cref="Emulation.EmulatedDoubleMapping"/>): the views are emulated memory.</summary>
    public virtual bool IsEmulated => false;

    /// <summary>Reserves the address space of one view of <paramref name="fd"/>'s file (the read-write view first).</summary>
    public virtual nint ReserveView(nuint length, int fd, bool executable) => Reserve(length);

    /// <summary>Reserves address space: no access, no memory behind it. Returns the address.</summary>
    public virtual nint Reserve(nuint length) =>
        CheckMap(Mman.mmap(0, length, (int)Protection.None, MapPrivate | MapAnonymous | MapNoReserve, -1, 0));

    /// <summary>Turns part of a reservation back into reserved, inaccessible address space.</summary>
    public virtual nint Unreserve(nint address, nuint length) =>
        CheckMap(Mman.mmap(address, length, (int)Protection.None, MapPrivate | MapAnonymous | MapNoReserve | MapFixed, -1, 0));

    /// <summary>Maps <paramref name="length"/> bytes of the file at <paramref name="offset"/> exactly at <paramref name="address"/>.</summary>
    public virtual nint MapShared(nint address, nuint length, Protection protection, int fd, long offset) =>
        CheckMap(Mman.mmap(address, length, (int)protection, MapSharedFlag | MapFixed, fd, (nint)offset));

    public virtual int Unmap(nint address, nuint length) => Check(Mman.munmap(address, length));

    public virtual int Close(int fd) => Check(Mman.close(fd));

    private static int Check(int result) => result >= 0 ? result : -Marshal.GetLastPInvokeError();

    private static nint CheckMap(nint result) => result != -1 ? result : -Marshal.GetLastPInvokeError();
}

internal static partial class Mman
{
    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int memfd_create(string name, int flags);

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int ftruncate(int fd, long length);

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int fallocate(int fd, int mode, long offset, long length);

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int close(int fd);
}
