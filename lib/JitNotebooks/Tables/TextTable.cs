using System.Net;
using JitNotebooks.Display;

namespace JitNotebooks;

/// <summary>
/// A small table of strings that renders as aligned plain text (for console output and tests) or
/// as an HTML <c>&lt;table&gt;</c> (for a notebook cell). Every table in the course uses it.
/// </summary>
[TypeFormatterSource(typeof(RichDisplayFormatterSource), PreferredMimeTypes = ["text/html", "text/plain"])]
public sealed class TextTable : IRichDisplay
{
    private readonly List<string[]> _rows = [];

    /// <summary>Creates a table with these column headers.</summary>
    /// <exception cref="ArgumentException">No headers were given.</exception>
    public TextTable(params string[] headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (headers.Length == 0)
            throw new ArgumentException("A table needs at least one column header.", nameof(headers));
        Headers = headers.Select(h => CheckCell(h, nameof(headers))).ToArray();
    }

    /// <summary>The column headers.</summary>
    public IReadOnlyList<string> Headers { get; }

    /// <summary>The rows added so far; each has one cell per header.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Rows => _rows;

    /// <summary>Adds a row; each cell is converted with <c>ToString()</c> (null becomes empty).</summary>
    /// <exception cref="ArgumentException">The cell count differs from the header count, or a cell holds a line break.</exception>
    public TextTable AddRow(params object?[] cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        if (cells.Length != Headers.Count)
            throw new ArgumentException(
                $"This row has {cells.Length} cells but the table has {Headers.Count} columns " +
                $"({string.Join(", ", Headers)}); pass one value per column.", nameof(cells));
        _rows.Add(cells.Select(c => CheckCell(c?.ToString() ?? "", nameof(cells))).ToArray());
        return this;
    }

    /// <summary>
    /// Plain text: the header, a line of dashes, then one line per row; columns are left-aligned
    /// and separated by two spaces. Trailing spaces are trimmed.
    /// </summary>
    public string ToText()
    {
        var widths = Headers.Select((h, i) => _rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        var lines = new List<string> { Line(Headers), Line(widths.Select(w => new string('-', w)).ToArray()) };
        lines.AddRange(_rows.Select(r => Line(r)));
        return string.Join("\n", lines);

        string Line(IReadOnlyList<string> cells) =>
            string.Join("  ", cells.Select((c, i) => c.PadRight(widths[i]))).TrimEnd();
    }

    /// <summary>An HTML <c>&lt;table&gt;</c> with a header row; every cell is HTML-escaped.</summary>
    public string ToHtml()
    {
        var html = new System.Text.StringBuilder("<table>\n<thead><tr>");
        foreach (var h in Headers) html.Append("<th>").Append(WebUtility.HtmlEncode(h)).Append("</th>");
        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in _rows)
        {
            html.Append("<tr>");
            foreach (var c in row) html.Append("<td>").Append(WebUtility.HtmlEncode(c)).Append("</td>");
            html.Append("</tr>\n");
        }
        return html.Append("</tbody>\n</table>").ToString();
    }

    /// <summary>The plain-text rendering (<see cref="ToText"/>).</summary>
    public override string ToString() => ToText();

    // A line break inside a cell would break the text alignment, so it is refused up front.
    private static string CheckCell(string? cell, string paramName)
    {
        ArgumentNullException.ThrowIfNull(cell, paramName);
        return cell.AsSpan().IndexOfAny('\r', '\n') < 0
            ? cell
            : throw new ArgumentException(
                $"Table cell \"{cell.ReplaceLineEndings("\\n")}\" contains a line break; put each line in its own row.", paramName);
    }
}
