using System.Text.Json.Nodes;
using Microsoft.DotNet.Interactive.Documents;
using Microsoft.DotNet.Interactive.Documents.Jupyter;
using NotebookDocument = JitNotebooks.Export.Notebooks.NotebookDocument;

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
        new() { ["name"] = name, ["output_type"] = "stream", ["text"] = NotebookDocument.MultilineJson(text) };
}
