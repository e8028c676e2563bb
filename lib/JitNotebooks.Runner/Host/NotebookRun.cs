using JitNotebooks.Runner.Kernel;
using JitNotebooks.Runner.Notebooks;

namespace JitNotebooks.Runner.Host;

/// <summary>One code cell's result in a run.</summary>
public sealed record CellRun(NotebookCell Cell, CellOutcome Outcome)
{
    public CellStatus Status => Outcome.Status;
}

/// <summary>One notebook's result: refused (with the reason), or its code cells' outcomes.</summary>
public sealed record NotebookRun(string Path, string? Refusal, IReadOnlyList<CellRun> Cells, TimeSpan Warmup, TimeSpan Elapsed)
{
    public bool Succeeded => Refusal is null && !Cells.Any(c => c.Status == CellStatus.Failed);

    /// <summary>Each failure as "notebook: cell N: line L: message".</summary>
    public IEnumerable<string> Failures()
    {
        var name = System.IO.Path.GetFileName(Path);
        if (Refusal is not null) yield return $"{name}: refused: {Refusal}";
        foreach (var c in Cells.Where(c => c.Status == CellStatus.Failed))
            yield return $"{name}: cell {c.Cell.Number}: {c.Outcome.Failure}";
    }
}

/// <summary>The whole run.</summary>
public sealed record CourseRun(IReadOnlyList<NotebookRun> Notebooks, TimeSpan Elapsed)
{
    public bool Succeeded => Notebooks.All(n => n.Succeeded);
    public int ExitCode => Succeeded ? 0 : 1;
}
