using System.Text.Json.Nodes;

namespace JitNotebooks.Runner.Notebooks;

/// <summary>
/// nbformat 4 output objects, built as JSON with keys in Jupyter's (sorted) order, so a file written
/// by the runner looks like one written by Jupyter or VS Code.
/// </summary>
public static class NbOutput
{
    public static JsonObject Stream(string name, string text) => new()
    {
        ["name"] = name,
        ["output_type"] = "stream",
        ["text"] = NotebookDocument.SplitMultiline(text),
    };

    public static JsonObject DisplayData(IReadOnlyDictionary<string, string> data) => new()
    {
        ["data"] = Bundle(data),
        ["metadata"] = new JsonObject(),
        ["output_type"] = "display_data",
    };

    public static JsonObject ExecuteResult(IReadOnlyDictionary<string, string> data, int executionCount) => new()
    {
        ["data"] = Bundle(data),
        ["execution_count"] = executionCount,
        ["metadata"] = new JsonObject(),
        ["output_type"] = "execute_result",
    };

    public static JsonObject Error(string ename, string evalue, IEnumerable<string> traceback) => new()
    {
        ["ename"] = ename,
        ["evalue"] = evalue,
        ["output_type"] = "error",
        ["traceback"] = new JsonArray(traceback.Select(l => (JsonNode)l).ToArray()),
    };

    /// <summary>The text a person would read in a terminal: stream text, text/plain, or the error.</summary>
    public static string TerminalText(JsonObject output) => output["output_type"]?.ToString() switch
    {
        "stream" => NotebookDocument.JoinMultiline(output["text"]),
        "display_data" or "execute_result" => output["data"]?["text/plain"] is { } plain
            ? NotebookDocument.JoinMultiline(plain) + "\n"
            : $"[{string.Join(", ", ((JsonObject)output["data"]!).Select(p => p.Key))} output]\n",
        "error" => $"{output["ename"]}: {output["evalue"]}\n",
        _ => "",
    };

    private static JsonObject Bundle(IReadOnlyDictionary<string, string> data)
    {
        var bundle = new JsonObject();
        foreach (var (mime, text) in data.OrderBy(p => p.Key, StringComparer.Ordinal))
            bundle[mime] = NotebookDocument.SplitMultiline(text);
        return bundle;
    }
}
