using System.Text.Json.Nodes;
using JitNotebooks.Export.Publishing;
using JitNotebooks.Runner.Notebooks;

namespace JitNotebooks.Runner.Host;

/// <summary>
/// What the runner does with a run's outputs besides printing them: stores them in the notebooks
/// (--write, each chart with a static picture) and publishes them (--html, --pdf) through
/// lib/JitNotebooks.Export.
/// </summary>
internal sealed class Publishing(RunnerOptions options, ConsoleReport report) : IAsyncDisposable
{
    private readonly CoursePublisher _publisher = new(options.Html, options.Pdf, report.Note);

    /// <summary>Keeps the run's outputs for publishing and, with --write, stores them in the file.</summary>
    public async Task<NotebookRun> StoreAsync(NotebookFile notebook, NotebookRun run)
    {
        if (run.Refusal is not null || !(options.Write || _publisher.Publishes)) return run;
        var results = run.Cells.Where(c => c.Outcome.ExecutionCount is not null || c.Outcome.Outputs.Count > 0)
            .ToDictionary(c => c.Cell.Index, c => (new JsonArray(c.Outcome.Outputs.Select(o => (JsonNode)o.DeepClone()).ToArray()), c.Outcome.ExecutionCount));
        var executed = notebook.WithOutputs(results);
        if (options.Write) await _publisher.AddChartPicturesAsync(executed);
        _publisher.Keep(notebook.Path, executed);
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

    /// <summary>The site and the PDF, in the course's order; false when they were asked for and could not be written.</summary>
    public Task<bool> PublishAsync(IReadOnlyList<NotebookRun> runs) => _publisher.PublishAsync([.. runs.Select(r => r.Path)]);

    public ValueTask DisposeAsync() => _publisher.DisposeAsync();
}
