using System.Numerics;

namespace JitNotebooks;

/// <summary>
/// This system will not let a <see cref="DoubleMappedCodeArena"/> exist: <c>memfd_create</c> is
/// missing or blocked, or the kernel refuses to map the file executable (a security policy).
/// The fix is in the message: use <see cref="CodeArena"/>, which needs only mmap and mprotect.
/// </summary>
public sealed class DoubleMappingNotSupportedException(string call, int errno, string reason)
    : NotSupportedException(
        $"{call} failed with errno {errno} ({Mman.ErrnoName(errno)}): {reason} " +
        "Use CodeArena instead: it keeps W^X with mmap and mprotect, which every Linux allows.")
{
    /// <summary>The call that failed: "memfd_create" or "mmap".</summary>
    public string Call { get; } = call;

    public int Errno { get; } = errno;
}

/// <summary>
/// A <see cref="DoubleMappedCodeArena"/> has no room for the next function: its capacity is used
/// up, or the kernel could not give it more memory (ENOMEM, ENOSPC). Nothing was written; every
/// function already in the arena still runs.
/// </summary>
public sealed class CodeArenaFullException(string message, Exception? inner = null) : Exception(message, inner)
{
}

/// <summary>
/// One function needs more bytes than the whole arena can ever hold (its capacity). Nothing was
/// written. Create an arena with a larger capacity, or split the function.
/// </summary>
public sealed class FunctionTooLargeException(long bytesNeeded, long capacity)
    : ArgumentException(
        $"The function needs up to {bytesNeeded:N0} bytes of code, more than this arena's whole capacity of " +
        $"{capacity:N0} bytes. Create the arena with a larger capacity (new DoubleMappedCodeArena(capacity: " +
        $"{SuggestedCapacity(bytesNeeded)})), or split the expression into smaller functions.")
{
    public long BytesNeeded { get; } = bytesNeeded;

    public long Capacity { get; } = capacity;

    // The next power of two with room to spare: an easy number to type.
    private static long SuggestedCapacity(long bytes) => (long)BitOperations.RoundUpToPowerOf2((ulong)Math.Max(bytes * 2, 1 << 20));
}
