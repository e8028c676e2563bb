namespace JitNotebooks.Isolation;

/// <summary>The isolated runner could not be set up (a system call failed or the kernel lacks seccomp).</summary>
public sealed class IsolationUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
