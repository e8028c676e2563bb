using System.Text.Json.Nodes;
using JitNotebooks.Runner.Notebooks;

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

    public IReadOnlyList<JsonObject> Items => _outputs;

    public void Add(JsonObject output, string? displayId, bool update)
    {
        if (update)
        {
            if (displayId is not null && _displays.TryGetValue(displayId, out var shown))
                _outputs[shown]["data"] = output["data"]?.DeepClone();
            return; // nbclient ignores an update for a display it never saw
        }
        if (Outputs.OutputType(output) == "stream" && _outputs.Count > 0 && _outputs[^1] is var last
            && Outputs.OutputType(last) == "stream" && last["name"]?.GetValue<string>() == output["name"]?.GetValue<string>())
        {
            last["text"] = Lines(Outputs.Join(last["text"]) + Outputs.Join(output["text"]));
            return;
        }
        if (displayId is not null) _displays[displayId] = _outputs.Count;
        _outputs.Add(output);
    }

    /// <summary>nbformat's multiline form: the text split after each newline.</summary>
    private static JsonArray Lines(string text)
    {
        var lines = new JsonArray();
        int start = 0;
        for (int i = 0; i < text.Length; i++)
            if (text[i] == '\n')
            {
                lines.Add(text[start..(i + 1)]);
                start = i + 1;
            }
        if (start < text.Length) lines.Add(text[start..]);
        return lines;
    }
}
