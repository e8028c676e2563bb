namespace JitNotebooks;

/// <summary>
/// A pipe, dup, dup2 or close call that <see cref="StdoutCapture"/> needed failed; carries errno.
/// </summary>
public sealed class OutputCaptureException(string call, int errno, string message)
    : IOException($"{call} failed with errno {errno} ({Mman.ErrnoName(errno)}: {Mman.StrError(errno)}). {message}")
{
    public string Call { get; } = call;
    public int Errno { get; } = errno;
}
