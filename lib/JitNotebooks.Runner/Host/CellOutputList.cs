using System.Text;
using System.Text.Json.Nodes;
using JitNotebooks.Export.Notebooks;

namespace JitNotebooks.Runner.Host;

/// <summary>
/// A cell's outputs as a Jupyter client (nbclient) assembles them from the kernel's messages:
/// consecutive text on the same stream joins one output, and an updated display replaces the data
/// of the output it was first shown in.
/// </summary>
internal sealed class CellOutputList
{
    private readonly List<JsonObject> _outputs = [];
    private readonly Dictionary<string, int> _displays = [];
    // The growing text of the last output while it is a stream: joined once, not at every write
    // (a loop printing line by line would otherwise copy its whole output at each line).
    private readonly StringBuilder _stream = new();

    public IReadOnlyList<JsonObject> Items
    {
        get
        {
            Flush();
            return _outputs;
        }
    }

    public void Add(JsonObject output, string? displayId, bool update)
    {
        if (update)
        {
            if (displayId is not null && _displays.TryGetValue(displayId, out var shown))
                _outputs[shown]["data"] = output["data"]?.DeepClone();
            return; // nbclient ignores an update for a display it never saw
        }
        if (NotebookDocument.OutputType(output) == "stream" && _outputs.Count > 0 && _outputs[^1] is var last
            && NotebookDocument.OutputType(last) == "stream" && last["name"]?.GetValue<string>() == output["name"]?.GetValue<string>())
        {
            if (_stream.Length == 0) _stream.Append(NotebookDocument.MultilineText(last["text"]));
            _stream.Append(NotebookDocument.MultilineText(output["text"]));
            return;
        }
        Flush();
        if (displayId is not null) _displays[displayId] = _outputs.Count;
        _outputs.Add(output);
    }

    private void Flush()
    {
        if (_stream.Length == 0) return;
        _outputs[^1]["text"] = NotebookDocument.MultilineJson(_stream.ToString());
        _stream.Clear();
    }
}
