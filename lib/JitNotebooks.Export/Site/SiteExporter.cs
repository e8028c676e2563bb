using System.Net;
using System.Text;
using JitNotebooks.Export.Notebooks;
using JitNotebooks.Export.Workshop;
using Markdig.Extensions.Tables;

namespace JitNotebooks.Export.Site;

/// <summary>What <c>SiteExporter.ExportAsync</c> wrote.</summary>
/// <param name="Folder">The site's folder (absolute).</param>
/// <param name="Index">index.html.</param>
/// <param name="NotebookPages">One page per notebook, in course order.</param>
/// <param name="WorkshopPages">The cheat sheet and instructor's guide pages, when the README's assets/ has them.</param>
/// <param name="PrintPage">print.html: every page in one, for <see cref="Pdf.PdfExporter"/>.</param>
public sealed record SiteExport(string Folder, string Index, IReadOnlyList<string> NotebookPages, IReadOnlyList<string> WorkshopPages, string PrintPage)
{
    /// <summary>Every HTML page of the site.</summary>
    public IEnumerable<string> AllPages => [Index, .. NotebookPages, .. WorkshopPages, PrintPage];
}

/// <summary>
/// The course as a static site that works from <c>file://</c> with no network: an index built
/// from the README's tables, one page per executed notebook (markdown, coloured code, every
/// output, charts drawn by a local plotly.js), the workshop pack, and a print page for the PDF.
/// </summary>
public static class SiteExporter
{
    /// <summary>A file in every site folder: the exporter only ever overwrites folders it made.</summary>
    public const string MarkerFile = ".jitnotebooks-site";

    /// <summary>The markdown pages beside the notebooks: the workshop pack and the references the lessons link, each in its folder next to the README.</summary>
    public static readonly (string Folder, string Source, string Page, string Title, string BodyClass)[] WorkshopFiles =
    [
        ("assets", "cheatsheet.md", "cheatsheet.html", "Cheat sheet", "cheatsheet"),
        ("assets", "instructor-guide.md", "instructor-guide.html", "Instructor's guide", "guide"),
        ("notebooks", "glossary.md", "glossary.html", "Glossary", "guide"),
        ("assets", "notation.md", "notation.html", "Notation", "guide"),
    ];

    /// <summary>
    /// Writes the site into <paramref name="outDir"/>: index.html, one page per notebook (named
    /// after it), cheatsheet.html and instructor-guide.html, print.html, site.css, plotly.min.js, media/.
    /// </summary>
    /// <param name="notebookPaths">Executed notebooks (with outputs), in course order.</param>
    /// <param name="readmePath">The course README: its notebooks and errata tables make the index.</param>
    /// <param name="outDir">The folder to write; created if missing. It must be empty or a site written before.</param>
    /// <param name="cancellationToken">Checked between notebooks.</param>
    /// <exception cref="SiteExportException">Bad input: no notebooks, two with one name, a folder holding other files, a missing image or table.</exception>
    /// <exception cref="NotebookFormatException">A notebook is not nbformat 4 JSON.</exception>
    public static Task<SiteExport> ExportAsync(IReadOnlyList<string> notebookPaths, string readmePath, string outDir, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notebookPaths);
        return ExportAsync(notebookPaths.Select(p => NotebookDocument.Load(Path.GetFullPath(p))).ToList(), readmePath, outDir, cancellationToken);
    }

    /// <summary>As above, from notebooks already in memory (the runner's fresh outputs); each keeps its path for relative links.</summary>
    public static Task<SiteExport> ExportAsync(IReadOnlyList<NotebookDocument> notebooks, string readmePath, string outDir, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notebooks);
        ArgumentNullException.ThrowIfNull(readmePath);
        ArgumentNullException.ThrowIfNull(outDir);
        if (notebooks.Count == 0)
            throw new SiteExportException("No notebooks to export; pass the executed .ipynb files in course order.");
        var twice = notebooks.GroupBy(n => n.Stem, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
            throw new SiteExportException(
                $"Two notebooks would both become {twice.Key}.html ({string.Join(", ", twice.Select(n => n.Path))}); pages are named after the files, so give them different names.");
        var readme = ReadmeTables.Load(Path.GetFullPath(readmePath));
        string folder = PrepareFolder(outDir);

        var links = new SiteLinks(readme.Path);
        var markdown = new MarkdownRenderer(links, new SiteMedia(folder));
        File.WriteAllText(Path.Combine(folder, PageLayout.StyleSheet), SiteStyle.Css);
        File.WriteAllText(Path.Combine(folder, PlotlyJs.FileName), PlotlyJs.Text);

        var print = new StringBuilder();
        var notebookPages = new List<string>();
        for (int i = 0; i < notebooks.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var nb = notebooks[i];
            string article = NotebookArticle(nb, markdown);
            var previous = i > 0 ? new PageLayout.PageLink(PageName(notebooks[i - 1]), notebooks[i - 1].Title) : null;
            var next = i + 1 < notebooks.Count ? new PageLayout.PageLink(PageName(notebooks[i + 1]), notebooks[i + 1].Title) : new PageLayout.PageLink("index.html", "Contents");
            string page = Path.Combine(folder, PageName(nb));
            File.WriteAllText(page, PageLayout.Page($"{nb.Title} — {PageLayout.SiteName}", "notebook", article, previous, next));
            notebookPages.Add(page);
            print.Append(article);
        }

        var workshopPages = new List<string>();
        var workshopLinks = new List<(string Page, string Title)>();
        string root = Path.GetDirectoryName(readme.Path)!;
        foreach (var (sourceFolder, source, pageName, title, bodyClass) in WorkshopFiles)
        {
            string directory = Path.Combine(root, sourceFolder);
            string path = Path.Combine(directory, source);
            if (!File.Exists(path)) continue;
            string article = $"<article class=\"{bodyClass}\">{markdown.ToHtml(File.ReadAllText(path), new MarkdownSource(path, directory))}</article>\n";
            string page = Path.Combine(folder, pageName);
            File.WriteAllText(page, PageLayout.Page($"{title} — {PageLayout.SiteName}", bodyClass, article, withPlotly: false));
            workshopPages.Add(page);
            workshopLinks.Add((pageName, title));
            print.Append(article);
        }

        string contents = IndexArticle(readme, notebooks, markdown, workshopLinks);
        string index = Path.Combine(folder, "index.html");
        File.WriteAllText(index, PageLayout.Page($"{PageLayout.SiteName} — contents", "index", contents,
            next: new PageLayout.PageLink(PageName(notebooks[0]), notebooks[0].Title), withPlotly: false));
        string printPage = Path.Combine(folder, "print.html");
        File.WriteAllText(printPage, PageLayout.Page($"{PageLayout.SiteName} — the whole course", "print", contents + print));
        return Task.FromResult(new SiteExport(folder, index, notebookPages, workshopPages, printPage));
    }

    /// <summary>The page a notebook becomes: its file name with <c>.html</c>.</summary>
    public static string PageName(NotebookDocument notebook) => notebook.Stem + ".html";

    private static string PrepareFolder(string outDir)
    {
        string folder = Path.GetFullPath(outDir);
        if (File.Exists(folder))
            throw new SiteExportException($"{folder} is a file; pass a folder for the site.");
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any() && !File.Exists(Path.Combine(folder, MarkerFile)))
            throw new SiteExportException(
                $"{folder} already holds files that are not an exported site; the export will not overwrite them. Pass an empty or new folder.");
        Directory.CreateDirectory(folder);
        // Pages of notebooks no longer exported must not linger, so the old site's own files go first.
        foreach (var old in Directory.EnumerateFiles(folder, "*.html")) File.Delete(old);
        string media = Path.Combine(folder, SiteMedia.Folder);
        if (Directory.Exists(media)) Directory.Delete(media, recursive: true);
        File.WriteAllText(Path.Combine(folder, MarkerFile), "Written by JitNotebooks.Export; the next export replaces this folder's pages.\n");
        return folder;
    }

    private static string NotebookArticle(NotebookDocument nb, MarkdownRenderer markdown)
    {
        var html = new StringBuilder($"<article class=\"notebook\" id=\"{WebUtility.HtmlEncode(nb.Stem)}\">\n");
        string dir = Path.GetDirectoryName(nb.Path)!;
        string file = Path.GetFileName(nb.Path);
        string language = nb.Root["metadata"]?["kernelspec"]?["language"]?.GetValue<string>() ?? "csharp";
        foreach (var cell in nb.Cells)
        {
            var source = new MarkdownSource($"{file}, cell {cell.Index}", dir, cell.Attachments);
            switch (cell.Kind)
            {
                case "markdown":
                    html.Append("<section class=\"cell markdown\">\n").Append(markdown.ToHtml(cell.Source, source)).Append("</section>\n");
                    break;
                case "code":
                    string outputs = OutputRenderer.Render(cell.Outputs, md => markdown.ToHtml(md, source));
                    string prompt = cell.ExecutionCount is int n ? $"[{n}]" : "[ ]";
                    html.Append("<section class=\"cell code\">\n<div class=\"input\"><span class=\"prompt\">")
                        .Append(prompt).Append("</span>").Append(CodeHighlighter.ToHtml(cell.Source, language)).Append("</div>\n");
                    if (outputs.Length > 0) html.Append("<div class=\"outputs\">\n").Append(outputs).Append("</div>\n");
                    html.Append("</section>\n");
                    break;
                default: // raw cells are meant for other converters; shown as text so nothing is lost
                    if (cell.Source.Length > 0) html.Append($"<pre class=\"cell raw\">{WebUtility.HtmlEncode(cell.Source)}</pre>\n");
                    break;
            }
        }
        return html.Append("</article>\n").ToString();
    }

    private static string IndexArticle(ReadmeTables readme, IReadOnlyList<NotebookDocument> notebooks, MarkdownRenderer markdown, List<(string Page, string Title)> workshop)
    {
        var readmeSource = new MarkdownSource(Path.GetFileName(readme.Path), Path.GetDirectoryName(readme.Path)!);
        var html = new StringBuilder($"<article class=\"contents\">\n<h1>{WebUtility.HtmlEncode(readme.Title ?? PageLayout.SiteName)}</h1>\n");
        foreach (var block in readme.Introduction) html.Append(markdown.ToHtml(block, readmeSource)).Append('\n');
        if (workshop.Count > 0)
            html.Append("<p class=\"workshop\">For workshops: ")
                .Append(string.Join(" · ", workshop.Select(w => $"<a href=\"{w.Page}\">{WebUtility.HtmlEncode(w.Title)}</a>")))
                .Append(" · <a href=\"print.html\">the whole course on one page (to print)</a></p>\n");

        html.Append("<h2 id=\"notebooks\">The notebooks</h2>\n<table class=\"notebooks\">\n<thead><tr><th>#</th><th>Notebook</th><th>What you learn</th><th>Time</th></tr></thead>\n<tbody>\n");
        var byStem = notebooks.ToDictionary(n => n.Stem, StringComparer.OrdinalIgnoreCase);
        var listed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        int timeColumn = readme.Notebooks.Headers.ToList().FindIndex(h => h.Contains("time", StringComparison.OrdinalIgnoreCase));
        foreach (var row in readme.Notebooks.Rows)
        {
            if (row.Count < 3) continue;
            var link = ReadmeTables.Links(row[1]).FirstOrDefault(l => l.Url?.Contains(".ipynb", StringComparison.OrdinalIgnoreCase) == true);
            string stem = link is null ? "" : Path.GetFileNameWithoutExtension(SiteLinks.Split(Uri.UnescapeDataString(link.Url!)).Path);
            string title = WebUtility.HtmlEncode(ReadmeTables.Text(row[1]).Trim());
            string learn = markdown.ToHtml(row[2].LastChild ?? (Markdig.Syntax.MarkdownObject)row[2], readmeSource);
            string number = WebUtility.HtmlEncode(ReadmeTables.Text(row[0]).Trim());
            string titleCell, time;
            if (byStem.TryGetValue(stem, out var nb))
            {
                listed.Add(stem);
                titleCell = $"<a href=\"{PageName(nb)}\">{title}</a>";
                time = timeColumn >= 0 && timeColumn < row.Count ? WebUtility.HtmlEncode(ReadmeTables.Text(row[timeColumn]).Trim()) : $"~{LearnerTime.For(nb).Minutes} min";
            }
            else
            {
                titleCell = $"{title} <span class=\"note\">(not in this export)</span>";
                time = "";
            }
            html.Append($"<tr><td>{number}</td><td>{titleCell}</td><td>{learn}</td><td class=\"time\">{time}</td></tr>\n");
        }
        // Notebooks the README does not list yet still get a row, so no page is unreachable.
        foreach (var nb in notebooks.Where(n => !listed.Contains(n.Stem)))
            html.Append($"<tr><td></td><td><a href=\"{PageName(nb)}\">{WebUtility.HtmlEncode(nb.Title)}</a></td><td></td><td class=\"time\">~{LearnerTime.For(nb).Minutes} min</td></tr>\n");
        html.Append("</tbody>\n</table>\n<p class=\"note\">Time: an estimate of a learner's time (reading, running each cell, the exercises); see the instructor's guide for how it is made.</p>\n");

        html.Append("<h2 id=\"errata\">Where the course corrects the article</h2>\n<table class=\"errata\">\n<thead><tr>")
            .Append(string.Concat(readme.Errata.Headers.Select(h => $"<th>{WebUtility.HtmlEncode(h)}</th>"))).Append("</tr></thead>\n<tbody>\n");
        int notebookColumn = readme.Errata.Headers.ToList().FindIndex(h => h.Contains("notebook", StringComparison.OrdinalIgnoreCase));
        foreach (var row in readme.Errata.Rows)
        {
            html.Append("<tr>");
            for (int c = 0; c < row.Count; c++)
            {
                string cell = c == notebookColumn
                    ? LinkNotebookNumbers(ReadmeTables.Text(row[c]), notebooks)
                    : markdown.ToHtml(row[c].LastChild ?? (Markdig.Syntax.MarkdownObject)row[c], readmeSource);
                html.Append("<td>").Append(cell).Append("</td>");
            }
            html.Append("</tr>\n");
        }
        return html.Append("</tbody>\n</table>\n</article>\n").ToString();
    }

    /// <summary>"04, 06" → links to the pages of notebooks 04 and 06.</summary>
    private static string LinkNotebookNumbers(string text, IReadOnlyList<NotebookDocument> notebooks) =>
        string.Join(", ", text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(number =>
        {
            var nb = notebooks.FirstOrDefault(n => n.Stem.StartsWith(number + "-", StringComparison.Ordinal));
            return nb is null ? WebUtility.HtmlEncode(number) : $"<a href=\"{PageName(nb)}\">{WebUtility.HtmlEncode(number)}</a>";
        }));
}
