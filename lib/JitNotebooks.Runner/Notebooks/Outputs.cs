using System.Text.Json.Nodes;
using Microsoft.DotNet.Interactive.Documents;
using Microsoft.DotNet.Interactive.Documents.Jupyter;

namespace JitNotebooks.Runner.Notebooks;

/// <summary>nbformat output objects, serialized by the kernel's own notebook writer.</summary>
public static class Outputs
{
    /// <summary>One output element as nbformat JSON (Documents' serializer is only reachable per document).</summary>
    public static JsonObject ToJson(InteractiveDocumentOutputElement output)
    {
        var cell = new InteractiveDocumentElement("", KernelNames.CSharp);
        cell.Outputs.Add(output);
        var json = JsonNode.Parse(new InteractiveDocument([cell]).ToJupyterJson())!;
        return (JsonObject)json["cells"]![0]!["outputs"]![0]!.DeepClone();
    }

    /// <summary>A stream output, as Documents writes it, built directly: a cell may print a line at a time.</summary>
    public static JsonObject Stream(string name, string text) =>
        new() { ["name"] = name, ["output_type"] = "stream", ["text"] = Lines(text) };

    /// <summary>nbformat's multiline form: the text split after each newline.</summary>
    public static JsonArray Lines(string text)
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

    public static string OutputType(JsonObject output) => output["output_type"]?.GetValue<string>() ?? "";

    /// <summary>nbformat's multiline string (one string, or a list of lines) as one string; a JSON value (application/json) as JSON.</summary>
    public static string Join(JsonNode? multiline) => multiline switch
    {
        JsonArray lines when lines.All(l => l?.GetValueKind() == System.Text.Json.JsonValueKind.String) => string.Concat(lines.Select(l => l!.GetValue<string>())),
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        null => "",
        _ => multiline.ToJsonString(),
    };
}
