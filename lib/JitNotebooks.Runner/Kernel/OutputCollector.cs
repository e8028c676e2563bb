using System.Text.Json.Nodes;
using JitNotebooks.Runner.Notebooks;

namespace JitNotebooks.Runner.Kernel;

/// <summary>
/// Collects one cell's outputs in the order they happened. Before each display, the text written
/// to stdout/stderr so far is taken as stream outputs, so prints and displays interleave as in the kernel.
/// </summary>
public sealed class OutputCollector(Func<(string Stdout, string Stderr)> takeConsoleText)
{
    private readonly List<JsonObject> _outputs = [];

    public IReadOnlyList<JsonObject> Outputs => _outputs;

    public void Clear() => _outputs.Clear();

    /// <summary>Moves the console text written so far into stream outputs.</summary>
    public void FlushConsole()
    {
        var (stdout, stderr) = takeConsoleText();
        AddStream("stdout", stdout);
        AddStream("stderr", stderr);
    }

    /// <returns>The output's position, for <see cref="DisplayedValue.Update"/>.</returns>
    public int AddDisplay(IReadOnlyDictionary<string, string> data)
    {
        FlushConsole();
        _outputs.Add(NbOutput.DisplayData(data));
        return _outputs.Count - 1;
    }

    public void Replace(int position, IReadOnlyDictionary<string, string> data) =>
        _outputs[position] = NbOutput.DisplayData(data);

    public void Add(JsonObject output)
    {
        FlushConsole();
        _outputs.Add(output);
    }

    /// <summary>Consecutive writes to one stream become one output, as Jupyter merges them.</summary>
    private void AddStream(string name, string text)
    {
        if (text.Length == 0) return;
        if (_outputs.Count > 0 && _outputs[^1]["output_type"]?.ToString() == "stream" && _outputs[^1]["name"]?.ToString() == name)
            text = NotebookDocument.JoinMultiline(_outputs[^1]["text"]) + text;
        else
            _outputs.Add(new JsonObject());
        _outputs[^1] = NbOutput.Stream(name, text);
    }
}
