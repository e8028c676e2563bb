using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace JitNotebooks.Export.Notebooks;

/// <summary>A notebook file is not one this exporter can read; the message names the file, the place and the fix.</summary>
public sealed class NotebookFormatException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>One cell: its kind, its source text, its outputs (nbformat JSON, untouched) and its attachments.</summary>
/// <param name="Index">Position in the notebook, from 0.</param>
/// <param name="Kind"><c>markdown</c>, <c>code</c> or <c>raw</c>.</param>
/// <param name="Source">The source, joined when the file stores it as a list of lines.</param>
/// <param name="ExecutionCount">The <c>In [n]</c> number, if the cell ran.</param>
/// <param name="Outputs">The outputs as nbformat stores them (code cells only).</param>
/// <param name="Attachments">Files embedded in a markdown cell (<c>attachment:name</c>), by name then MIME type.</param>
public sealed record NotebookCell(int Index, string Kind, string Source, int? ExecutionCount,
    IReadOnlyList<JsonObject> Outputs, JsonObject? Attachments);

/// <summary>
/// An executed notebook (nbformat 4.x) read with System.Text.Json, liberally: source as a string
/// or a list of lines, any 4.x minor version, cell ids present or not. The JSON tree is kept as
/// it is, so a caller that changes outputs (<see cref="Charts.ChartImages"/>) writes back
/// everything else unchanged.
/// </summary>
/// <remarks>
/// Why not Microsoft.DotNet.Interactive.Documents' <c>Notebook.Parse</c>: it keeps the outputs,
/// but its round trip rewrites the file (drops markdown attachments, adds kernel metadata to every
/// cell, bumps nbformat_minor to 5) and it needs reflection-based JSON switched on in the host.
/// </remarks>
public sealed partial class NotebookDocument
{
    private NotebookDocument(string path, JsonObject root, IReadOnlyList<NotebookCell> cells)
    {
        Path = path;
        Root = root;
        Cells = cells;
    }

    /// <summary>Where the notebook was read from (or a name given to <see cref="Parse"/>).</summary>
    public string Path { get; }

    /// <summary>The whole notebook as JSON; changing it and calling <see cref="ToJson"/> writes the change.</summary>
    public JsonObject Root { get; }

    /// <summary>The cells, in order.</summary>
    public IReadOnlyList<NotebookCell> Cells { get; }

    /// <summary>The file name without extension: <c>03-lea-placeholder-and-patch</c>.</summary>
    public string Stem => System.IO.Path.GetFileNameWithoutExtension(Path);

    /// <summary>The first markdown heading of level 1 (without its <c>#</c>), or the file name.</summary>
    public string Title
    {
        get
        {
            foreach (var cell in Cells.Where(c => c.Kind == "markdown"))
            {
                var m = FirstHeading().Match(cell.Source);
                if (m.Success) return m.Groups[1].Value.Trim();
            }
            return Stem;
        }
    }

    /// <summary>Reads a notebook file.</summary>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="NotebookFormatException">The file is not JSON or not nbformat 4.</exception>
    public static NotebookDocument Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Notebook {path} does not exist; pass the path of an .ipynb file (executed, with outputs).", path);
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Reads a notebook from its JSON text; <paramref name="path"/> names it in messages and decides its page name.</summary>
    /// <exception cref="NotebookFormatException">The text is not JSON or not nbformat 4.</exception>
    public static NotebookDocument Parse(string json, string path)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(path);
        JsonObject root;
        try
        {
            root = JsonNode.Parse(json) as JsonObject
                ?? throw new NotebookFormatException($"{path}: the file is JSON but not an object; an .ipynb file is one JSON object with \"cells\".");
        }
        catch (JsonException e)
        {
            throw new NotebookFormatException($"{path}: not valid JSON ({e.Message}); is it really an .ipynb file?", e);
        }
        int major = root["nbformat"] is JsonValue v && v.TryGetValue(out int n) ? n : 0;
        if (major != 4)
            throw new NotebookFormatException(
                $"{path}: nbformat {(major == 0 ? "is missing" : major.ToString())}; only nbformat 4 (4.0–4.5) notebooks can be exported. " +
                "Convert older notebooks with `jupyter nbconvert --to notebook --nbformat 4`.");
        if (root["cells"] is not JsonArray cells)
            throw new NotebookFormatException($"{path}: no \"cells\" array; an nbformat 4 notebook keeps its cells in one.");
        var list = new List<NotebookCell>();
        for (int i = 0; i < cells.Count; i++)
            list.Add(ReadCell(path, i, cells[i]));
        return new NotebookDocument(path, root, list);
    }

    /// <summary>The notebook as JSON text, laid out as Jupyter writes it (<see cref="JupyterText"/>).</summary>
    public string ToJson() => JupyterText(Root);

    /// <summary>
    /// Notebook JSON as Jupyter (nbformat) writes it: keys sorted, one-space indent, UTF-8 unescaped,
    /// final newline; so a notebook written here and one saved by Jupyter differ only where their content does.
    /// </summary>
    public static string JupyterText(JsonNode root) => Sorted(root)!.ToJsonString(JupyterLayout) + "\n";

    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value)))),
        JsonArray a => new JsonArray(a.Select(Sorted).ToArray()),
        _ => node?.DeepClone(),
    };

    private static readonly JsonSerializerOptions JupyterLayout = new()
    {
        WriteIndented = true,
        IndentSize = 1,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>nbformat's "multiline string" (a string, or a list of strings to concatenate) as one string; any other JSON value (an application/json output) as JSON.</summary>
    public static string MultilineText(JsonNode? node) => node switch
    {
        null => "",
        JsonArray a when a.All(l => l?.GetValueKind() == JsonValueKind.String) => string.Concat(a.Select(l => l!.GetValue<string>())),
        JsonValue v when v.TryGetValue(out string? s) => s,
        _ => node.ToJsonString(),
    };

    /// <summary>Text in nbformat's multiline form, as Jupyter writes it: a list of lines, each ending after its newline.</summary>
    public static JsonArray MultilineJson(string text)
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

    /// <summary>An output's <c>output_type</c> (stream, display_data, execute_result, error), or "".</summary>
    public static string OutputType(JsonObject output) => output["output_type"] is JsonValue v && v.TryGetValue(out string? s) ? s : "";

    private static NotebookCell ReadCell(string path, int index, JsonNode? node)
    {
        if (node is not JsonObject cell)
            throw new NotebookFormatException($"{path}: cell {index} is not a JSON object.");
        string kind = cell["cell_type"]?.GetValue<string>()
            ?? throw new NotebookFormatException($"{path}: cell {index} has no \"cell_type\" (markdown, code or raw).");
        if (kind is not ("markdown" or "code" or "raw"))
            throw new NotebookFormatException($"{path}: cell {index} has cell_type \"{kind}\"; nbformat 4 knows markdown, code and raw.");
        string source = MultilineText(cell["source"]);
        int? count = cell["execution_count"] is JsonValue c && c.TryGetValue(out int n) ? n : null;
        var outputs = new List<JsonObject>();
        if (cell["outputs"] is JsonArray outs)
            for (int i = 0; i < outs.Count; i++)
                outputs.Add(outs[i] as JsonObject
                    ?? throw new NotebookFormatException($"{path}: output {i} of cell {index} is not a JSON object."));
        return new NotebookCell(index, kind, source, count, outputs, cell["attachments"] as JsonObject);
    }

    [GeneratedRegex(@"^\s{0,3}#\s+(.+?)\s*#*\s*$", RegexOptions.Multiline)]
    private static partial Regex FirstHeading();
}
