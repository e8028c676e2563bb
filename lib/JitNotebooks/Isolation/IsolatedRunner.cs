using System.Diagnostics;
using JitNotebooks.Emulation;

namespace JitNotebooks.Isolation;

/// <summary>
/// Runs machine code without risking the caller's process (a notebook kernel, with every variable
/// the learner built): natively in a separate, sandboxed worker process on Linux x86-64, in the
/// emulator everywhere else (or when emulation is forced). Every outcome comes back as a typed
/// <see cref="IsolatedRun"/>: a value, an exit status, a signal with the faulting offset and
/// instruction, or a timeout.
/// </summary>
/// <example>
/// <code>
/// var run = IsolatedRunner.RunIsolated(bytes, 2, 40);
/// Console.WriteLine(run);   // "Returned 42 (rax)." or "Crashed with SIGSEGV (11): … at offset 0x3: mov (%rdi),%rax (address 0x0)."
/// </code>
/// </example>
public static class IsolatedRunner
{
    /// <summary>The time limit when none is given.</summary>
    public static TimeSpan DefaultTimeout { get; } = TimeSpan.FromSeconds(2);

    /// <summary>The most code one run takes.</summary>
    public const int MaxCodeSize = ForkServerProgram.MaxCodeSize;

    /// <summary>The emulator's speed limit stands in for a clock there: this many instructions per second of time limit.</summary>
    public const long EmulatedStepsPerSecond = 20_000_000;

    /// <summary>True when isolated runs use the CPU (a sandboxed worker process); false when they use the emulator.</summary>
    public static bool RunsNatively => NativePlatform.IsNative;

    /// <summary>Calls <paramref name="code"/> as <c>long f(…)</c> with <paramref name="arguments"/> (System V), isolated, with the default time limit.</summary>
    public static IsolatedRun RunIsolated(ReadOnlySpan<byte> code, params long[] arguments) => RunIsolated(code, DefaultTimeout, arguments);

    /// <summary>As <see cref="RunIsolated(ReadOnlySpan{byte}, long[])"/>, killed after <paramref name="timeout"/>.</summary>
    /// <exception cref="ArgumentException">The code is empty or larger than <see cref="MaxCodeSize"/>, or more than six arguments.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The time limit is not between 1 ms and 1 hour.</exception>
    /// <exception cref="IsolationUnavailableException">The worker process could not be set up (e.g. no seccomp).</exception>
    public static IsolatedRun RunIsolated(ReadOnlySpan<byte> code, TimeSpan timeout, params long[] arguments)
    {
        ExecutableMemory.ThrowIfEmpty(code);
        ArgumentNullException.ThrowIfNull(arguments);
        if (code.Length > MaxCodeSize)
            throw new ArgumentException($"The code is {code.Length} bytes; an isolated run takes at most {MaxCodeSize}.", nameof(code));
        if (arguments.Length > 6)
            throw new ArgumentException(
                $"{arguments.Length} arguments given; registers carry at most 6 (rdi, rsi, rdx, rcx, r8, r9).", nameof(arguments));
        if (timeout < TimeSpan.FromMilliseconds(1) || timeout > TimeSpan.FromHours(1))
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout,
                "The time limit must be between 1 ms and 1 hour; TimeSpan.FromSeconds(2) suits a learner's code.");
        return RunsNatively ? ForkServer.Run(code, arguments, timeout) : RunEmulated(code, timeout, arguments);
    }

    /// <summary>Runs a <see cref="CodeBuilder"/> program isolated (it must be patched).</summary>
    public static IsolatedRun RunIsolated(CodeBuilder program, params long[] arguments) => RunIsolated(program, DefaultTimeout, arguments);

    /// <exception cref="InvalidOperationException">The program still has unpatched placeholders.</exception>
    public static IsolatedRun RunIsolated(CodeBuilder program, TimeSpan timeout, params long[] arguments)
    {
        ArgumentNullException.ThrowIfNull(program);
        if (!program.IsPatched && program.Fixups.Count > 0)
            throw new InvalidOperationException(
                $"The program still has {program.Fixups.Count} zero placeholder(s) waiting for an address. Call program.Patch() first.");
        return RunIsolated(program.ToArray(), timeout, arguments);
    }

    /// <summary>The same contract in the emulator: its typed errors become the signal Linux would send.</summary>
    private static IsolatedRun RunEmulated(ReadOnlySpan<byte> code, TimeSpan timeout, long[] arguments)
    {
        NativePlatform.EnterCallPath();
        var clock = Stopwatch.StartNew();
        var emulator = new Emulator(new EmulatorOptions { MaxSteps = Math.Max(1000, (long)(timeout.TotalSeconds * EmulatedStepsPerSecond)) });
        emulator.Load(code);
        emulator.PrepareCall(arguments);
        byte[] Out(int fd) => emulator.Writes.Where(w => w.Fd == fd).SelectMany(w => w.Bytes).ToArray();
        try
        {
            var r = emulator.Continue();
            return r.Ending == RunEnding.Returned
                ? new IsolatedRun.Returned(r.ReturnValue, r.SecondReturnValue, r.Output, r.ErrorOutput, clock.Elapsed, emulated: true)
                : new IsolatedRun.Exited(r.ExitStatus!.Value, r.Output, r.ErrorOutput, clock.Elapsed, emulated: true);
        }
        catch (StepLimitExceededException)
        {
            return new IsolatedRun.TimedOut(timeout, Out(1), Out(2), clock.Elapsed, emulated: true);
        }
        catch (UnsupportedSyscallException e)
        {
            return new IsolatedRun.Crashed(LinuxSignal.SIGSYS, e.Offset, e.InstructionText, null, e.Location?.Address, (int)e.Number,
                "The emulator explains: " + e.Problem, Out(1), Out(2), clock.Elapsed, emulated: true);
        }
        catch (EmulationException e) when (e.Signal is { } signal)
        {
            return new IsolatedRun.Crashed(signal, e.Offset, e.InstructionText, (e as MemoryFaultException)?.Address, e.Location?.Address, null,
                "The emulator explains: " + e.Problem, Out(1), Out(2), clock.Elapsed, emulated: true);
        }
        catch (EmulationException e)
        {
            return new IsolatedRun.Stopped(e, Out(1), Out(2), clock.Elapsed);
        }
    }
}
