using System.Net;
using System.Text;
using JitNotebooks.Display;

namespace JitNotebooks.Emulation;

/// <summary>How an emulated run ended (it ended without an error; errors are <see cref="EmulationException"/>s).</summary>
[TypeFormatterSource(typeof(RichDisplayFormatterSource), PreferredMimeTypes = ["text/html", "text/plain"])]
public sealed class EmulationResult : IRichDisplay
{
    internal EmulationResult(RunEnding ending, int exitStatus, RegisterSnapshot registers, IReadOnlyList<OutputWrite> writes, long steps)
    {
        Ending = ending;
        ExitStatus = ending == RunEnding.Exited ? exitStatus : null;
        Registers = registers;
        Writes = writes;
        Steps = steps;
        Output = writes.Where(w => w.Fd == 1).SelectMany(w => w.Bytes).ToArray();
        ErrorOutput = writes.Where(w => w.Fd == 2).SelectMany(w => w.Bytes).ToArray();
    }

    /// <summary>Returned (the final ret) or Exited (the exit system call).</summary>
    public RunEnding Ending { get; }

    /// <summary>rax at the end: the return value of a function.</summary>
    public long ReturnValue => (long)Registers[Reg64.Rax];

    /// <summary>rdx at the end: the second half of a 16-byte result (the compiler's status word).</summary>
    public long SecondReturnValue => (long)Registers[Reg64.Rdx];

    /// <summary>The exit status (the low byte of exit's argument), when the program exited.</summary>
    public int? ExitStatus { get; }

    /// <summary>Everything written to fd 1.</summary>
    public byte[] Output { get; }

    /// <summary><see cref="Output"/> as UTF-8 text.</summary>
    public string OutputText => Encoding.UTF8.GetString(Output);

    /// <summary>Everything written to fd 2.</summary>
    public byte[] ErrorOutput { get; }

    /// <summary>Every write system call, in order.</summary>
    public IReadOnlyList<OutputWrite> Writes { get; }

    /// <summary>The registers at the end.</summary>
    public RegisterSnapshot Registers { get; }

    /// <summary>How many instructions ran.</summary>
    public long Steps { get; }

    /// <summary>The sentence (<see cref="ToString"/>).</summary>
    public string ToText() => ToString();

    /// <summary>The sentence, HTML-escaped.</summary>
    public string ToHtml() => $"<p>{WebUtility.HtmlEncode(ToString())}</p>";

    public override string ToString() => Ending == RunEnding.Returned
        ? $"returned {ReturnValue} (rax) after {Steps} instructions" + (Output.Length > 0 ? $", wrote \"{OutputText}\"" : "")
        : $"exited with status {ExitStatus} after {Steps} instructions" + (Output.Length > 0 ? $", wrote \"{OutputText}\"" : "");
}
