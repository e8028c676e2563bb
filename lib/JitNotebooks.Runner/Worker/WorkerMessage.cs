using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using JitNotebooks.Runner.Kernel;

namespace JitNotebooks.Runner.Worker;

/// <summary>
/// One line of JSON from the worker to the parent. Events: "ready" (Roslyn warmed up),
/// "start" (a cell began; where its console text starts in the capture files), "end" (the cell's
/// outcome, with its nbformat outputs), "done".
/// </summary>
internal sealed record WorkerMessage(
    string Event,
    int Cell = -1,
    long StdoutOffset = 0,
    long StderrOffset = 0,
    CellStatus Status = CellStatus.Ok,
    double Milliseconds = 0,
    JsonArray? Outputs = null,
    int? ExecutionCount = null,
    string? Failure = null,
    int? Line = null)
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string ToJsonLine() => JsonSerializer.Serialize(this, Options);

    public static WorkerMessage? Parse(string line)
    {
        try { return JsonSerializer.Deserialize<WorkerMessage>(line, Options); }
        catch (JsonException) { return null; }
    }
}
