using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using JitNotebooks.Runner.Host;
using JitNotebooks.Runner.Notebooks;

namespace JitNotebooks.Runner.Worker;

/// <summary>
/// One line of JSON between the runner and a worker. To the worker: "run" (a notebook's cells, as the
/// runner read them). From it: "ready" (kernel warmed up), "start" (a cell began; where its console
/// text starts in the capture files), "output" (one nbformat output, or a replacement for an earlier
/// display), "end" (how the cell ended), "skipped" (a cell of a kernel the runner does not host),
/// "done" (the notebook finished; Recycle: a thread it started still runs, so the worker should not
/// run another).
/// </summary>
internal sealed record WorkerMessage(
    string Event,
    string? Path = null,
    IReadOnlyList<NotebookCell>? Cells = null,
    int Cell = -1,
    long StdoutOffset = 0,
    long StderrOffset = 0,
    JsonObject? Output = null,
    string? DisplayId = null,
    bool Update = false,
    CellStatus Status = CellStatus.Ok,
    double Milliseconds = 0,
    int? ExecutionCount = null,
    string? Failure = null,
    string? Stray = null,
    bool Recycle = false)
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string ToJsonLine() => JsonSerializer.Serialize(this, Options);

    /// <summary>The message on this line, or null for a line that is not one (never throws).</summary>
    public static WorkerMessage? Parse(string line)
    {
        try { return JsonSerializer.Deserialize<WorkerMessage>(line, Options); }
        catch (JsonException) { return null; }
    }
}
