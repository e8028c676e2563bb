namespace JitNotebooks;

/// <summary>How a run of learner code ended.</summary>
internal enum LearnerRunStatus
{
    /// <summary>The code returned; <see cref="LearnerRun.ReturnValue"/> is rax.</summary>
    Returned,
    /// <summary>The code did not return: it crashed (a signal such as SIGSEGV or SIGILL), called exit, or ran too long.</summary>
    Crashed,
}

/// <summary>The outcome of <see cref="LearnerCode.Run"/>.</summary>
/// <param name="Status">How it ended.</param>
/// <param name="ReturnValue">rax, when the code returned.</param>
/// <param name="Output">What the code wrote to fd 1 (never the process's real stdout).</param>
/// <param name="Detail">For <see cref="LearnerRunStatus.Crashed"/>: what happened, where (offset and instruction) when it is known.</param>
internal sealed record LearnerRun(LearnerRunStatus Status, long ReturnValue, byte[] Output, string Detail)
{
    public string OutputText => System.Text.Encoding.UTF8.GetString(Output);
}

/// <summary>
/// The one place where bytes that a learner influenced are run: the exercises and
/// <see cref="Verification.Verify.Prints(CodeBuilder, string)"/> call it and nothing else.
/// </summary>
/// <remarks>
/// The code runs isolated (<see cref="Isolation.IsolatedRunner.RunIsolated(ReadOnlySpan{byte}, long[])"/>):
/// natively in a sandboxed child process on Linux x86-64, in the emulator elsewhere. A wrong byte
/// comes back as <see cref="LearnerRunStatus.Crashed"/> with the signal and the faulting instruction;
/// the notebook's kernel never sees it.
/// </remarks>
internal static class LearnerCode
{
    private static readonly AsyncLocal<Func<byte[], LearnerRun>?> Substitute = new();

    /// <summary>
    /// Runs <paramref name="code"/> as <c>long f(…)</c> with <paramref name="arguments"/> in rdi, rsi, …
    /// and reports rax and what it wrote to fd 1.
    /// </summary>
    /// <exception cref="ArgumentException">The code is empty.</exception>
    public static LearnerRun Run(byte[] code, params long[] arguments)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(arguments);
        ExecutableMemory.ThrowIfEmpty(code);
        return Substitute.Value is { } substitute ? substitute(code) : RunIsolated(code, arguments);
    }

    private static LearnerRun RunIsolated(byte[] code, long[] arguments) => Isolation.IsolatedRunner.RunIsolated(code, arguments) switch
    {
        Isolation.IsolatedRun.Returned r => new LearnerRun(LearnerRunStatus.Returned, r.Value, r.Output, ""),
        var other => new LearnerRun(LearnerRunStatus.Crashed, 0, other.Output, other.Explanation),
    };

    /// <summary>
    /// For tests: until the returned scope is disposed, runs on this async flow go to
    /// <paramref name="runner"/> (e.g. one that reports a crash, as the isolated runner will).
    /// </summary>
    internal static IDisposable SubstituteRunner(Func<byte[], LearnerRun> runner)
    {
        ArgumentNullException.ThrowIfNull(runner);
        Substitute.Value = runner;
        return new Scope();
    }

    private sealed class Scope : IDisposable
    {
        public void Dispose() => Substitute.Value = null;
    }
}
