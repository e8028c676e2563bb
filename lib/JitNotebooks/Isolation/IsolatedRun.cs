using System.Net;
using System.Text;
using JitNotebooks.Display;

namespace JitNotebooks.Isolation;

/// <summary>
/// How an isolated run ended: <see cref="Returned"/>, <see cref="Exited"/>, <see cref="Crashed"/>
/// (a signal, located where possible), <see cref="TimedOut"/>, or, where the bytes ran in the
/// emulator, <see cref="Stopped"/> for something the emulator does not model. Whatever happened,
/// the caller's process is untouched. <c>ToString()</c> explains it in a sentence.
/// </summary>
[TypeFormatterSource(typeof(RichDisplayFormatterSource), PreferredMimeTypes = ["text/html", "text/plain"])]
public abstract class IsolatedRun : IRichDisplay
{
    private protected IsolatedRun(byte[] output, byte[] errorOutput, TimeSpan elapsed, bool emulated)
    {
        Output = output;
        ErrorOutput = errorOutput;
        Elapsed = elapsed;
        Emulated = emulated;
    }

    /// <summary>What the code wrote to fd 1.</summary>
    public byte[] Output { get; }

    /// <summary><see cref="Output"/> as UTF-8 text.</summary>
    public string OutputText => Encoding.UTF8.GetString(Output);

    /// <summary>What the code wrote to fd 2.</summary>
    public byte[] ErrorOutput { get; }

    /// <summary>Wall-clock time of the run, setup included.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>True when the bytes ran in the emulator (not Linux x86-64, or emulation forced), not on the CPU.</summary>
    public bool Emulated { get; }

    /// <summary>One sentence: what happened.</summary>
    public abstract string Explanation { get; }

    public override string ToString() =>
        Explanation + (Output.Length > 0 ? $" Output: \"{OutputText}\"." : "") + (Emulated ? " (emulated)" : "");

    /// <summary>The sentence (<see cref="ToString"/>).</summary>
    public string ToText() => ToString();

    /// <summary>The sentence, with the output in a block of its own; crashes in a red box, the rest in a green one.</summary>
    public string ToHtml()
    {
        string color = this is Returned or Exited ? "#2e7d32" : "#c62828";
        var html = new StringBuilder($"<div style=\"border-left:4px solid {color};padding:4px 8px\">")
            .Append(WebUtility.HtmlEncode(Explanation + (Emulated ? " (emulated)" : "")));
        if (Output.Length > 0) html.Append("<pre>").Append(WebUtility.HtmlEncode(OutputText)).Append("</pre>");
        return html.Append("</div>").ToString();
    }

    /// <summary>The code returned: rax (and rdx, for a 16-byte result).</summary>
    public sealed class Returned(long value, long secondValue, byte[] output, byte[] errorOutput, TimeSpan elapsed, bool emulated)
        : IsolatedRun(output, errorOutput, elapsed, emulated)
    {
        public long Value { get; } = value;

        public long SecondValue { get; } = secondValue;

        public override string Explanation => $"Returned {Value} (rax).";
    }

    /// <summary>The code called exit (or exit_group).</summary>
    public sealed class Exited(int status, byte[] output, byte[] errorOutput, TimeSpan elapsed, bool emulated)
        : IsolatedRun(output, errorOutput, elapsed, emulated)
    {
        /// <summary>The exit status (0–255).</summary>
        public int Status { get; } = status;

        public override string Explanation => $"Exited with status {Status} (the exit system call).";
    }

    /// <summary>A signal ended the run: what Linux would have killed the caller's process with.</summary>
    public sealed class Crashed(LinuxSignal signal, long? offset, string? instruction, ulong? faultAddress, ulong? rip, int? blockedSyscall,
        string? detail, byte[] output, byte[] errorOutput, TimeSpan elapsed, bool emulated)
        : IsolatedRun(output, errorOutput, elapsed, emulated)
    {
        public LinuxSignal Signal { get; } = signal;

        /// <summary>The faulting instruction's offset in the code, when it lies in the code.</summary>
        public long? Offset { get; } = offset;

        /// <summary>The faulting instruction in AT&amp;T syntax, when known.</summary>
        public string? Instruction { get; } = instruction;

        /// <summary>For SIGSEGV and SIGBUS: the address the code tried to use.</summary>
        public ulong? FaultAddress { get; } = faultAddress;

        /// <summary>rip when the signal came (absolute; the code's pages were at an address of the worker's choosing).</summary>
        public ulong? Rip { get; } = rip;

        /// <summary>For SIGSYS: the system call the sandbox refused.</summary>
        public int? BlockedSyscall { get; } = blockedSyscall;

        /// <summary>More detail, e.g. the emulator's explanation of the same fault.</summary>
        public string? Detail { get; } = detail;

        public override string Explanation =>
            $"Crashed with {Signal.Name()}: {Signal.Meaning()}" +
            (Offset is { } o ? $", at offset 0x{o:x}" + (Instruction is null ? "" : $": {Instruction}") : Rip is { } r ? $", at 0x{r:x} (outside the code)" : "") +
            (FaultAddress is { } a && Signal is LinuxSignal.SIGSEGV or LinuxSignal.SIGBUS ? $" (address 0x{a:x})" : "") +
            (BlockedSyscall is { } n ? $" (syscall {n}{SyscallName(n)})" : "") + "." +
            (Detail is null ? "" : " " + Detail);

        private static string SyscallName(int n) => Syscall.All.FirstOrDefault(s => s.Number == n) is { } s ? $", {s.Name}" : "";
    }

    /// <summary>The run took longer than its limit and was killed: a loop that never ends, most likely.</summary>
    public sealed class TimedOut(TimeSpan limit, byte[] output, byte[] errorOutput, TimeSpan elapsed, bool emulated)
        : IsolatedRun(output, errorOutput, elapsed, emulated)
    {
        public TimeSpan Limit { get; } = limit;

        public override string Explanation =>
            $"Timed out: still running after {Limit.TotalMilliseconds:0} ms, so it was killed. Does every loop reach its exit condition?";
    }

    /// <summary>Emulated only: the emulator stopped on something it does not model (an instruction or system call outside the subset).</summary>
    public sealed class Stopped(Emulation.EmulationException reason, byte[] output, byte[] errorOutput, TimeSpan elapsed)
        : IsolatedRun(output, errorOutput, elapsed, emulated: true)
    {
        public Emulation.EmulationException Reason { get; } = reason;

        public override string Explanation => $"Stopped by the emulator: {Reason.Problem}" +
                                              (Reason.Offset is { } o ? $" (offset 0x{o:x})" : "");
    }
}
