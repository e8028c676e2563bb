namespace JitNotebooks;

/// <summary>How a run of learner code ended.</summary>
internal enum LearnerRunStatus
{
    /// <summary>The code returned; <see cref="LearnerRun.ReturnValue"/> is rax.</summary>
    Returned,
    /// <summary>The code crashed (a signal such as SIGSEGV or SIGILL). Only an isolated runner can report this.</summary>
    Crashed,
    /// <summary>This machine cannot run x86-64 Linux code natively.</summary>
    CannotRunHere,
}

/// <summary>The outcome of <see cref="LearnerCode.Run"/>.</summary>
/// <param name="Status">How it ended.</param>
/// <param name="ReturnValue">rax, when the code returned.</param>
/// <param name="Output">What the code wrote to fd 1 (never the process's real stdout).</param>
/// <param name="Detail">For <see cref="LearnerRunStatus.Crashed"/> and <see cref="LearnerRunStatus.CannotRunHere"/>: one sentence saying what happened.</param>
internal sealed record LearnerRun(LearnerRunStatus Status, long ReturnValue, byte[] Output, string Detail)
{
    public string OutputText => System.Text.Encoding.UTF8.GetString(Output);
}

/// <summary>
/// The one place where bytes that a learner influenced are run: the exercises and
/// <see cref="Verification.Verify.Prints(CodeBuilder, string)"/> call it and nothing else.
/// </summary>
/// <remarks>
/// Today the code runs in this process: mapped W^X by <see cref="ExecutableMemory"/>, called as
/// <c>long f(void)</c> with fd 1 captured. A wrong byte could therefore crash the notebook kernel,
/// which is why the callers check learner bytes with Iced before they run them. The plan is to
/// swap <see cref="RunInProcess"/> for a crash-safe child process (a wrong byte then comes back as
/// <see cref="LearnerRunStatus.Crashed"/>), and only this class changes.
/// </remarks>
internal static class LearnerCode
{
    private static readonly AsyncLocal<Func<byte[], LearnerRun>?> Substitute = new();

    /// <summary>Runs <paramref name="code"/> as <c>long f(void)</c> and reports rax and what it wrote to fd 1.</summary>
    /// <exception cref="ArgumentException">The code is empty.</exception>
    public static LearnerRun Run(byte[] code)
    {
        ArgumentNullException.ThrowIfNull(code);
        ExecutableMemory.ThrowIfEmpty(code);
        return (Substitute.Value ?? RunInProcess)(code);
    }

    private static LearnerRun RunInProcess(byte[] code)
    {
        if (!NativePlatform.CanRunJitCode)
            return new LearnerRun(LearnerRunStatus.CannotRunHere, 0, [], NativePlatform.Describe());
        using var memory = ExecutableMemory.Create(code);
        var captured = StdoutCapture.Run(memory.Call);
        return new LearnerRun(LearnerRunStatus.Returned, captured.Result, captured.Bytes, "");
    }

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
