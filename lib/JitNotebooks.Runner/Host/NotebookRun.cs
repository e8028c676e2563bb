using System.Text.Json.Nodes;
using JitNotebooks.Runner.Notebooks;

namespace JitNotebooks.Runner.Host;

public enum CellStatus
{
    /// <summary>Ran without an error.</summary>
    Ok,
    /// <summary>Failed: an error, a time-out, a crash, or a `raises-exception` cell that did not throw.</summary>
    Failed,
    /// <summary>Tagged `raises-exception` and threw, as it should.</summary>
    RaisedAsExpected,
    /// <summary>Not run: an earlier cell failed, or the cell is empty.</summary>
    NotRun,
    /// <summary>A cell of a kernel the runner does not host (F#, PowerShell, …).</summary>
    Skipped,
}

/// <summary>What running one cell gave.</summary>
/// <param name="Status">How the cell ended.</param>
/// <param name="Elapsed">How long it ran.</param>
/// <param name="Outputs">Its nbformat outputs, in order, as the kernel's Jupyter front end would store them.</param>
/// <param name="ExecutionCount">The kernel's execution count; null when not run.</param>
/// <param name="Failure">Why the cell failed, was skipped, or what it raised ("line L: …" when the line is known).</param>
/// <param name="Stray">Text written to the process's stdout/stderr outside the kernel (lost or harmful in a real kernel).</param>
public sealed record CellOutcome(
    CellStatus Status,
    IReadOnlyList<JsonObject> Outputs,
    int? ExecutionCount,
    TimeSpan Elapsed,
    string? Failure = null,
    string? Stray = null)
{
    public static readonly CellOutcome NotRun = new(CellStatus.NotRun, [], null, TimeSpan.Zero);
}

/// <summary>One code cell's result in a run.</summary>
public sealed record CellRun(NotebookCell Cell, CellOutcome Outcome)
{
    public CellStatus Status => Outcome.Status;
}

/// <summary>What --write did with a notebook.</summary>
public enum WriteResult { NotAsked, Written, Unchanged, Failed }

/// <summary>One notebook's result: refused (with the reason), or its code cells' outcomes.</summary>
public sealed record NotebookRun(string Path, string? Refusal, IReadOnlyList<CellRun> Cells, TimeSpan Elapsed, bool Strict = false)
{
    public WriteResult Written { get; init; }

    /// <summary>Where --export-cs wrote the notebook's file-based app.</summary>
    public string? ExportedTo { get; init; }

    public bool Succeeded => Refusal is null && !Cells.Any(c => c.Status == CellStatus.Failed || (Strict && c.Status == CellStatus.Skipped));

    /// <summary>Each failure as "notebook: cell N: line L: message".</summary>
    public IEnumerable<string> Failures()
    {
        var name = System.IO.Path.GetFileName(Path);
        if (Refusal is not null) yield return $"{name}: refused: {Refusal}";
        foreach (var c in Cells.Where(c => c.Status == CellStatus.Failed || (Strict && c.Status == CellStatus.Skipped)))
            yield return $"{name}: cell {c.Cell.Number}: {(c.Status == CellStatus.Skipped ? "skipped (--strict): " : "")}{c.Outcome.Failure}";
    }
}

/// <summary>The whole run.</summary>
public sealed record CourseRun(IReadOnlyList<NotebookRun> Notebooks, TimeSpan Elapsed, int Jobs)
{
    /// <summary>False when --html or --pdf was asked for and could not be written.</summary>
    public bool Published { get; init; } = true;

    public bool Succeeded => Published && Notebooks.All(n => n.Succeeded);
    public int ExitCode => Succeeded ? 0 : 1;
}
