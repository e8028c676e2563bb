using System.Net;
using JitNotebooks.Display;

namespace JitNotebooks.Verification;

/// <summary>
/// The outcome of one <see cref="Verify"/> call that passed: a single line a notebook cell can end
/// on, such as <c>✓ Iced agrees: 6 instructions, 31 bytes of code, then 12 bytes of data</c>.
/// A check that fails never returns a verdict; it throws <see cref="VerificationFailedException"/>.
/// </summary>
[TypeFormatterSource(typeof(RichDisplayFormatterSource), PreferredMimeTypes = ["text/html", "text/plain"])]
public sealed class Verdict : IRichDisplay
{
    /// <summary>The mark in front of a passed check.</summary>
    public const string PassMark = "✓";

    /// <summary>The mark in front of a failed check.</summary>
    public const string FailMark = "✗";

    private Verdict(bool passed, string text)
    {
        Passed = passed;
        Text = text;
    }

    /// <summary>True for a passed check. Only a failure's verdict (inside the exception) is false.</summary>
    public bool Passed { get; }

    /// <summary>What was checked and what was found, without the mark.</summary>
    public string Text { get; }

    internal static Verdict Pass(string text) => new(true, OneLine(text));

    internal static Verdict Fail(string text) => new(false, OneLine(text));

    /// <summary><c>✓ text</c> or <c>✗ text</c>.</summary>
    public string ToText() => $"{(Passed ? PassMark : FailMark)} {Text}";

    /// <summary>The same line, in green or red.</summary>
    public string ToHtml() =>
        $"<div class=\"jitnb-verdict\" style=\"font-family:monospace;color:{(Passed ? "#1a7f37" : "#cf222e")}\">" +
        $"{WebUtility.HtmlEncode(ToText())}</div>";

    public override string ToString() => ToText();

    // A verdict is one line: a line break inside would split it in a terminal and in the HTML.
    private static string OneLine(string text) => string.Join(" ", text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries));
}

/// <summary>
/// A <see cref="Verify"/> check that failed. Its text is the one-line <c>✗ …</c> verdict saying what
/// was expected and what was found. <see cref="ToString"/> and <see cref="StackTrace"/> leave the
/// stack out on purpose: the notebook kernel prints <c>ToString()</c> under a failed cell, and a
/// learner needs the sentence, not the library's frames and source paths.
/// </summary>
public sealed class VerificationFailedException : Exception
{
    internal VerificationFailedException(Verdict verdict) : base(verdict.ToText()) => Verdict = verdict;

    /// <summary>The failed verdict (<see cref="Verdict.Passed"/> is false).</summary>
    public Verdict Verdict { get; }

    /// <summary>
    /// Empty (not null: the notebook kernel splits it into lines and hangs on null): see the class
    /// remarks. <see cref="LibraryStackTrace"/> keeps the real one for debugging.
    /// </summary>
    public override string StackTrace => "";

    /// <summary>Where the check failed, for someone debugging the library rather than reading a lesson.</summary>
    public string? LibraryStackTrace => base.StackTrace;

    /// <summary>Only the verdict line.</summary>
    public override string ToString() => Message;
}
