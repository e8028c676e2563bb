namespace JitNotebooks.Compiler;

/// <summary>
/// The source text is not a valid expression. Says where (0-based <see cref="Position"/>), what was
/// expected there and what was found, and shows the place with a caret.
/// </summary>
public sealed class ParseException(string source, int position, string expected, string found, string? hint = null)
    : FormatException(BuildMessage(source, position, expected, found, hint))
{
    /// <summary>The text that failed to parse.</summary>
    public string SourceText { get; } = source;

    /// <summary>0-based offset of the offending character in <see cref="SourceText"/>.</summary>
    public int Position { get; } = position;

    /// <summary>What the parser expected at <see cref="Position"/>.</summary>
    public string Expected { get; } = expected;

    /// <summary>What it found instead.</summary>
    public string Found { get; } = found;

    private static string BuildMessage(string source, int position, string expected, string found, string? hint) =>
        $"Parse error at position {position}: expected {expected}, found {found}.{(hint is null ? "" : " " + hint)}" +
        $"{Environment.NewLine}  {source}{Environment.NewLine}  {new string(' ', position)}^";
}
