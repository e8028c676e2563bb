using System.Text.Json.Nodes;

namespace JitNotebooks.Runner.Kernel;

public enum CellStatus
{
    /// <summary>Ran without an error.</summary>
    Ok,
    /// <summary>Failed: an error, a time-out, a crash, or a `raises-exception` cell that did not throw.</summary>
    Failed,
    /// <summary>Tagged `raises-exception` and threw, as it should.</summary>
    RaisedAsExpected,
    /// <summary>Not run, because an earlier cell failed (or the cell is empty).</summary>
    NotRun,
}

/// <summary>What running one cell gave.</summary>
/// <param name="Status">How the cell ended.</param>
/// <param name="Outputs">Its nbformat outputs, in order.</param>
/// <param name="ExecutionCount">The kernel's execution count for it; null when not run.</param>
/// <param name="Elapsed">How long it ran.</param>
/// <param name="Failure">Why the cell failed (or what it raised), starting "line L: " when the line is known.</param>
/// <param name="Line">The cell's line the error points at, 1-based, when known.</param>
public sealed record CellOutcome(
    CellStatus Status,
    IReadOnlyList<JsonObject> Outputs,
    int? ExecutionCount,
    TimeSpan Elapsed,
    string? Failure = null,
    int? Line = null);
