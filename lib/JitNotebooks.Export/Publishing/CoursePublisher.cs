using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using JitNotebooks.Export.Browser;
using JitNotebooks.Export.Charts;
using JitNotebooks.Export.Notebooks;
using JitNotebooks.Export.Pdf;
using JitNotebooks.Export.Site;

namespace JitNotebooks.Export.Publishing;

/// <summary>
/// What a run's executed notebooks become for readers without a kernel: a static picture beside each
/// chart (GitHub's notebook view runs no scripts), a static site and one PDF. The runner hands each
/// notebook over as it finishes; one browser draws every picture, one page at a time.
/// </summary>
/// <param name="htmlFolder">Where to write the site (the runner's --html), or null.</param>
/// <param name="pdfFile">Where to print the PDF (--pdf), or null.</param>
/// <param name="note">Where to say what was written, or why not (the runner's terminal report).</param>
public sealed class CoursePublisher(string? htmlFolder, string? pdfFile, Action<string> note) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, JsonObject> _executed = new();
    private readonly SemaphoreSlim _pictures = new(1, 1);
    private ChartImages? _images;
    private bool _noChromium;

    /// <summary>Whether a site or a PDF was asked for.</summary>
    public bool Publishes => htmlFolder is not null || pdfFile is not null;

    /// <summary>Keeps an executed notebook (nbformat JSON with this run's outputs) for <see cref="PublishAsync"/>.</summary>
    public void Keep(string path, JsonObject executed) => _executed[path] = executed;

    /// <summary>
    /// Adds a PNG of each chart output beside its script, drawn by Chromium; without Chromium the
    /// notebook keeps its charts as scripts only, and the reason is noted once.
    /// </summary>
    public async Task AddChartPicturesAsync(JsonObject notebook)
    {
        var charts = ChartImages.ChartOutputs(notebook).ToList();
        if (charts.Count == 0) return;
        await _pictures.WaitAsync();
        try
        {
            if (_noChromium) return;
            try
            {
                _images ??= await ChartImages.StartAsync();
            }
            catch (ChromiumNotFoundException e)
            {
                _noChromium = true;
                note($"charts are written without a static picture: {e.Message}");
                return;
            }
            foreach (var output in charts) await _images.AddToOutputAsync(output);
        }
        finally { _pictures.Release(); }
    }

    /// <summary>Writes the site and the PDF from the kept notebooks, in the order of <paramref name="paths"/>. False (with a note) when it cannot.</summary>
    public async Task<bool> PublishAsync(IReadOnlyList<string> paths)
    {
        if (!Publishes) return true;
        var notebooks = paths.Where(_executed.ContainsKey)
            .Select(p => NotebookDocument.Parse(_executed[p].ToJsonString(), p)).ToList();
        if (notebooks.Count == 0)
        {
            note("nothing to publish: no notebook ran");
            return false;
        }
        if (FindReadme(paths[0]) is not { } readme)
        {
            note($"cannot publish: no README.md in {Path.GetDirectoryName(paths[0])} or above it (the site's index is built from its tables)");
            return false;
        }
        try
        {
            var folder = htmlFolder ?? Directory.CreateTempSubdirectory("jitnotebooks-site-").FullName;
            var site = await SiteExporter.ExportAsync(notebooks, readme, folder);
            if (htmlFolder is not null) note($"wrote the site: {site.Index}");
            if (pdfFile is not null)
            {
                await PdfExporter.PrintAsync(site.Folder, pdfFile);
                note($"wrote the PDF: {Path.GetFullPath(pdfFile)}");
                if (htmlFolder is null) Directory.Delete(site.Folder, recursive: true);
            }
            return true;
        }
        catch (Exception e) when (e is SiteExportException or NotebookFormatException or ChromiumNotFoundException or IOException or UnauthorizedAccessException)
        {
            note($"cannot publish: {e.Message}");
            return false;
        }
    }

    private static string? FindReadme(string notebookPath)
    {
        for (var dir = new DirectoryInfo(Path.GetDirectoryName(Path.GetFullPath(notebookPath))!); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "README.md"))) return Path.Combine(dir.FullName, "README.md");
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_images is not null) await _images.DisposeAsync();
    }
}
