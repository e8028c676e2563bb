using System.Runtime.InteropServices;

namespace JitNotebooks;

/// <summary>Page protections, as in &lt;sys/mman.h&gt;.</summary>
[Flags]
public enum Protection
{
    None = 0,
    Read = 1,
    Write = 2,
    Execute = 4,
}

/// <summary>
/// An mmap, mprotect or munmap call that failed; carries errno and its meaning.
/// </summary>
public sealed class NativeMemoryException(string call, int errno, string message)
    : Exception($"{call} failed with errno {errno} ({Mman.ErrnoName(errno)}: {Mman.StrError(errno)}). {message}")
{
    public string Call { get; } = call;
    public int Errno { get; } = errno;
}

/// <summary>
/// The thin layer over libc's memory-mapping calls that the rest of the library builds on.
/// Every failure becomes a <see cref="NativeMemoryException"/> with errno.
/// </summary>
internal static partial class Mman
{
    private const int MapPrivate = 0x02;
    private const int MapAnonymous = 0x20;
    private static readonly nint MapFailed = -1;

    /// <summary>
    /// The size of one page: 4096 on x86-64 Linux, and 4096 in the emulator too, whatever the host
    /// uses (an Apple Silicon Mac has 16 KiB pages), so page arithmetic reads the same everywhere.
    /// </summary>
    public static int PageSize { get; } = NativePlatform.IsNative ? Environment.SystemPageSize : Emulation.EmulatedMemory.PageSize;

    /// <summary>Rounds a byte count up to whole pages (at least one).</summary>
    public static nuint RoundToPages(long bytes) =>
        (nuint)(Math.Max(1, (bytes + PageSize - 1) / PageSize) * PageSize);

    public static nint MapAnonymousPages(nuint length, Protection protection)
    {
        if (NativePlatform.EnterCallPath() == ExecutionMode.Emulated) return Emulation.EmulatedAddressSpace.Map(length, protection);
        nint address = mmap(0, length, (int)protection, MapPrivate | MapAnonymous, -1, 0);
        if (address == MapFailed)
            throw new NativeMemoryException("mmap", Marshal.GetLastPInvokeError(),
                $"Could not map {length} bytes as {Describe(protection)}.");
        return address;
    }

    public static void Protect(nint address, nuint length, Protection protection)
    {
        if (Emulation.EmulatedAddressSpace.Owns(address)) { Emulation.EmulatedAddressSpace.Protect(address, length, protection); return; }
        if (mprotect(address, length, (int)protection) != 0)
            throw new NativeMemoryException("mprotect", Marshal.GetLastPInvokeError(),
                $"Could not change 0x{address:x} (+{length} bytes) to {Describe(protection)}.");
    }

    public static void Unmap(nint address, nuint length)
    {
        if (Emulation.EmulatedAddressSpace.Owns(address)) { Emulation.EmulatedAddressSpace.Unmap(address, length); return; }
        if (munmap(address, length) != 0)
            throw new NativeMemoryException("munmap", Marshal.GetLastPInvokeError(),
                $"Could not unmap 0x{address:x} (+{length} bytes).");
    }

    /// <summary>"r-x" style, as /proc/self/maps prints it.</summary>
    public static string Describe(Protection p) =>
        $"{((p & Protection.Read) != 0 ? 'r' : '-')}{((p & Protection.Write) != 0 ? 'w' : '-')}{((p & Protection.Execute) != 0 ? 'x' : '-')}";

    public static string StrError(int errno) => Marshal.PtrToStringUTF8(strerror(errno)) ?? "unknown error";

    public static string ErrnoName(int errno) => errno switch
    {
        1 => "EPERM", 4 => "EINTR", 9 => "EBADF", 12 => "ENOMEM", 13 => "EACCES", 14 => "EFAULT", 16 => "EBUSY",
        19 => "ENODEV", 22 => "EINVAL", 23 => "ENFILE", 24 => "EMFILE", 27 => "EFBIG", 28 => "ENOSPC",
        38 => "ENOSYS", 95 => "EOPNOTSUPP",
        _ => "errno " + errno,
    };

    [LibraryImport("libc", SetLastError = true)]
    internal static partial nint mmap(nint addr, nuint length, int prot, int flags, int fd, nint offset);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int mprotect(nint addr, nuint len, int prot);

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int munmap(nint addr, nuint length);

    [LibraryImport("libc")]
    private static partial nint strerror(int errnum);
}
