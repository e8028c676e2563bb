using Markdig;
using Markdig.Extensions.Tables;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace JitNotebooks.Export.Site;

/// <summary>
/// The README's tables the index shows, read with Markdig rather than copied, so the site says
/// what the README says: the notebooks table (one row per notebook) and the errata table.
/// </summary>
internal sealed class ReadmeTables
{
    /// <summary>A table of the README: its header cells and rows of cells (each a Markdig paragraph).</summary>
    public sealed record ReadmeTable(IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<TableCell>> Rows);

    private ReadmeTables(MarkdownDocument document, string path)
    {
        Document = document;
        Path = path;
        var tables = document.Descendants<Table>().Select(Read).ToList();
        Notebooks = tables.FirstOrDefault(t => t.Rows.Any(r => r.Any(c => Links(c).Any(l => l.Url?.Contains(".ipynb", StringComparison.OrdinalIgnoreCase) == true))))
            ?? throw new SiteExportException(
                $"{path}: no notebooks table (a table whose rows link to the .ipynb files). The index is built from it; restore it in the README.");
        Errata = tables.FirstOrDefault(t => t.Headers.Count > 0 && t.Headers[0].Contains("article", StringComparison.OrdinalIgnoreCase))
            ?? throw new SiteExportException(
                $"{path}: no errata table (a table whose first column is headed \"the article says\"). The index shows it; restore it in the README.");
    }

    public MarkdownDocument Document { get; }
    public string Path { get; }
    public ReadmeTable Notebooks { get; }
    public ReadmeTable Errata { get; }

    /// <summary>The README's title (its first level-1 heading), or null.</summary>
    public string? Title => Document.Descendants<HeadingBlock>().FirstOrDefault(h => h.Level == 1)?.Inline is { } inline
        ? string.Concat(inline.Descendants<Inline>().Select(i => i switch { LiteralInline l => l.Content.ToString(), CodeInline c => c.Content, _ => "" }))
        : null;

    /// <summary>The README's opening: the paragraphs between its title and its first section.</summary>
    public IEnumerable<Block> Introduction =>
        Document.TakeWhile(b => b is not HeadingBlock { Level: >= 2 }).Where(b => b is not HeadingBlock { Level: 1 });

    /// <exception cref="SiteExportException">The README is missing, or lacks one of the two tables.</exception>
    public static ReadmeTables Load(string readmePath)
    {
        if (!File.Exists(readmePath))
            throw new SiteExportException($"README {readmePath} does not exist; pass the course's README.md (the index is built from its tables).");
        return new ReadmeTables(Markdown.Parse(File.ReadAllText(readmePath), MarkdownRenderer.Pipeline), readmePath);
    }

    /// <summary>The plain text of a cell (what a header says).</summary>
    public static string Text(TableCell cell) =>
        string.Concat(cell.Descendants<Inline>().Select(i => i switch
        {
            LiteralInline l => l.Content.ToString(),
            CodeInline c => c.Content,
            _ => "",
        }));

    public static IEnumerable<LinkInline> Links(TableCell cell) => cell.Descendants<LinkInline>();

    private static ReadmeTable Read(Table table)
    {
        var rows = table.OfType<TableRow>().ToList();
        var header = rows.FirstOrDefault(r => r.IsHeader);
        return new ReadmeTable(
            header?.OfType<TableCell>().Select(c => Text(c).Trim()).ToList() ?? [],
            rows.Where(r => !r.IsHeader).Select(r => (IReadOnlyList<TableCell>)r.OfType<TableCell>().ToList()).ToList());
    }
}
