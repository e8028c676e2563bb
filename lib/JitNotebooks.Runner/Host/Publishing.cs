using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using JitNotebooks.Export;
using JitNotebooks.Export.Browser;
using JitNotebooks.Export.Charts;
using JitNotebooks.Export.Notebooks;
using JitNotebooks.Export.Pdf;
using JitNotebooks.Export.Site;
using JitNotebooks.Runner.Notebooks;

namespace JitNotebooks.Runner.Host;

/// <summary>
/// What the runner does with a run's outputs besides printing them: stores them in the notebooks
/// (--write, each chart with a static picture for viewers that run no scripts), and publishes them
/// as a static site (--html) or one PDF (--pdf), through lib/JitNotebooks.Export.
/// </summary>
internal sealed class Publishing(RunnerOptions options, ConsoleReport report) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, JsonObject> _executed = new();
    private readonly SemaphoreSlim _pictures = new(1, 1);
    private ChartImages? _images;
    private bool _noChromium;

    private bool Publishes => options.Html is not null || options.Pdf is not null;

    /// <summary>Keeps the run's outputs for publishing and, with --write, stores them in the file.</summary>
    public async Task<NotebookRun> StoreAsync(NotebookFile notebook, NotebookRun run)
    {
        if (run.Refusal is not null || !(options.Write || Publishes)) return run;
        var results = run.Cells.Where(c => c.Outcome.ExecutionCount is not null || c.Outcome.Outputs.Count > 0)
            .ToDictionary(c => c.Cell.Index, c => (new JsonArray(c.Outcome.Outputs.Select(o => (JsonNode)o.DeepClone()).ToArray()), c.Outcome.ExecutionCount));
        var executed = notebook.WithOutputs(results);
        if (options.Write) await AddChartPicturesAsync(executed);
        _executed[notebook.Path] = executed;
        if (!options.Write) return run;
        try
        {
            return run with { Written = notebook.Write(executed) ? WriteResult.Written : WriteResult.Unchanged };
        }
        catch (NotebookWriteException e)
        {
            return run with { Refusal = e.Message, Written = WriteResult.Failed };
        }
    }

    /// <summary>Writes the site and the PDF from the notebooks that ran. False (with a note) when it cannot.</summary>
    public async Task<bool> PublishAsync(IReadOnlyList<NotebookRun> runs)
    {
        if (!Publishes) return true;
        var notebooks = runs.Where(r => _executed.ContainsKey(r.Path))
            .Select(r => NotebookDocument.Parse(NotebookFile.Serialize(_executed[r.Path]), r.Path)).ToList();
        if (notebooks.Count == 0)
        {
            report.Note("nothing to publish: no notebook ran");
            return false;
        }
        var readme = FindReadme(runs[0].Path);
        if (readme is null)
        {
            report.Note($"cannot publish: no README.md in {Path.GetDirectoryName(runs[0].Path)} or above it (the site's index is built from its tables)");
            return false;
        }
        try
        {
            var folder = options.Html ?? Directory.CreateTempSubdirectory("jitnotebooks-site-").FullName;
            var site = await SiteExporter.ExportAsync(notebooks, readme, folder);
            if (options.Html is not null) report.Note($"wrote the site: {site.Index}");
            if (options.Pdf is not null)
            {
                await PdfExporter.PrintAsync(site.Folder, options.Pdf);
                report.Note($"wrote the PDF: {Path.GetFullPath(options.Pdf)}");
                if (options.Html is null) Directory.Delete(site.Folder, recursive: true);
            }
            return true;
        }
        catch (Exception e) when (e is SiteExportException or NotebookFormatException or ChromiumNotFoundException or IOException or UnauthorizedAccessException)
        {
            report.Note($"cannot publish: {e.Message}");
            return false;
        }
    }

    private async Task AddChartPicturesAsync(JsonObject notebook)
    {
        var charts = ChartImages.ChartOutputs(notebook).ToList();
        if (charts.Count == 0) return;
        await _pictures.WaitAsync(); // one browser, one page at a time
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
                report.Note($"charts are written without a static picture: {e.Message}");
                return;
            }
            foreach (var output in charts) await _images.AddToOutputAsync(output);
        }
        finally { _pictures.Release(); }
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
