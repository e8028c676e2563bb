using System.Text;

namespace JitNotebooks.Export.Workshop;

/// <summary>GitHub-flavoured markdown tables, for the generated workshop pages.</summary>
internal static class MarkdownTable
{
    public static string From(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var md = new StringBuilder();
        md.Append("| ").Append(string.Join(" | ", headers.Select(Cell))).Append(" |\n");
        md.Append('|').Append(string.Concat(headers.Select(_ => "---|"))).Append('\n');
        foreach (var row in rows)
        {
            if (row.Count != headers.Count)
                throw new ArgumentException($"A row has {row.Count} cells for {headers.Count} columns ({string.Join(", ", headers)}).", nameof(rows));
            md.Append("| ").Append(string.Join(" | ", row.Select(Cell))).Append(" |\n");
        }
        return md.ToString();
    }

    public static string From(TextTable table) => From(table.Headers, table.Rows);

    // A pipe would end the cell; an empty cell still needs a space to stay a cell.
    private static string Cell(string text) => text.Length == 0 ? " " : text.Replace("|", "\\|");

    /// <summary>Inline code that survives backticks inside.</summary>
    public static string Code(string text) => text.Contains('`') ? $"`` {text} ``" : $"`{text}`";
}
