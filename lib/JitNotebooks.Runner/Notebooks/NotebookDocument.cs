using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace JitNotebooks.Runner.Notebooks;

/// <summary>The file is not something the runner may touch: not JSON, or JSON that is not a notebook.</summary>
public sealed class NotebookLoadException(string path, string problem)
    : Exception($"{path}: {problem}. The file was left untouched.")
{
    public string Path { get; } = path;
    public string Problem { get; } = problem;
}

/// <summary>One cell as the runner sees it: position, id, kind, source and tags.</summary>
public sealed record NotebookCell(int Index, string? Id, string CellType, string Source, IReadOnlyList<string> Tags, JsonObject Json)
{
    /// <summary>1-based position among all cells (markdown included), as a reader counts them.</summary>
    public int Number => Index + 1;
    public bool IsCode => CellType == "code";
    /// <summary>The Jupyter convention for a cell that is expected to throw.</summary>
    public bool RaisesException => Tags.Contains("raises-exception");
}

/// <summary>
/// An .ipynb file held as a JSON tree, so that writing outputs back keeps every other key,
/// in its order, with the file's own indentation.
/// </summary>
public sealed class NotebookDocument
{
    private readonly int _indent;

    private NotebookDocument(string path, JsonObject root, int indent)
    {
        Path = path;
        Root = root;
        _indent = indent;
        Cells = ((JsonArray)root["cells"]!).Select((node, i) => ReadCell(i, (JsonObject)node!)).ToList();
    }

    public string Path { get; }
    public JsonObject Root { get; }
    public IReadOnlyList<NotebookCell> Cells { get; }

    /// <summary>Reads and parses; refuses (without touching the file) anything that is not a notebook.</summary>
    /// <exception cref="NotebookLoadException">Not JSON, or not an nbformat 4 notebook.</exception>
    public static NotebookDocument Load(string path)
    {
        string text;
        try { text = File.ReadAllText(path, Encoding.UTF8); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        { throw new NotebookLoadException(path, $"cannot be read ({e.Message})"); }
        return Parse(path, text);
    }

    public static NotebookDocument Parse(string path, string text)
    {
        JsonNode? node;
        try { node = JsonNode.Parse(text, documentOptions: NotebookFormat.StrictJson); }
        catch (JsonException e) { throw new NotebookLoadException(path, $"is not valid JSON ({e.Message})"); }

        var structural = NotebookFormat.StructuralProblems(node).ToList();
        if (structural.Count > 0)
            throw new NotebookLoadException(path, "is not a Jupyter notebook: " + string.Join("; ", structural));
        return new NotebookDocument(path, (JsonObject)node!, DetectIndent(text));
    }

    private static NotebookCell ReadCell(int index, JsonObject cell)
    {
        var tags = cell["metadata"] is JsonObject { } metadata && metadata["tags"] is JsonArray array
            ? array.Select(NotebookFormat.AsString).OfType<string>().ToList()
            : [];
        return new NotebookCell(index, NotebookFormat.AsString(cell["id"]), cell["cell_type"]!.GetValue<string>(),
            JoinMultiline(cell["source"]), tags, cell);
    }

    /// <summary>nbformat's "multiline string": one string, or a list of lines to concatenate.</summary>
    public static string JoinMultiline(JsonNode? node) => node switch
    {
        JsonArray lines => string.Concat(lines.Select(l => l?.GetValue<string>())),
        JsonValue value => value.GetValue<string>(),
        _ => "",
    };

    /// <summary>Splits text into nbformat's list-of-lines form, each line keeping its "\n".</summary>
    public static JsonArray SplitMultiline(string text)
    {
        var lines = new JsonArray();
        var start = 0;
        while (start < text.Length)
        {
            var end = text.IndexOf('\n', start);
            end = end < 0 ? text.Length : end + 1;
            lines.Add(text[start..end]);
            start = end;
        }
        return lines;
    }

    /// <summary>Sets a code cell's outputs and execution count; null count means "not run".</summary>
    public void SetOutputs(NotebookCell cell, IEnumerable<JsonObject> outputs, int? executionCount)
    {
        cell.Json["outputs"] = new JsonArray(outputs.Select(o => (JsonNode)o.DeepClone()).ToArray());
        cell.Json["execution_count"] = executionCount is { } n ? JsonValue.Create(n) : null;
    }

    /// <summary>The file's text as Jupyter writes it: the original indentation, a final newline.</summary>
    public string Serialize()
    {
        var options = new JsonWriterOptions
        {
            Indented = true,
            IndentSize = _indent,
            NewLine = "\n",
            // Keep "<div>" and non-ASCII text readable, as Jupyter does (ensure_ascii=False).
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, options))
            Root.WriteTo(writer);
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>
    /// Writes atomically: a temporary file in the same folder, then a rename over the original,
    /// so a crash never leaves half a notebook. An unchanged text leaves the file alone.
    /// </summary>
    public bool Save()
    {
        var text = Serialize();
        if (File.Exists(Path) && File.ReadAllText(Path, Encoding.UTF8) == text)
            return false;
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!;
        var temp = System.IO.Path.Combine(folder, $".{System.IO.Path.GetFileName(Path)}.{Environment.ProcessId}.tmp");
        try
        {
            File.WriteAllText(temp, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(temp, File.GetUnixFileMode(Path));
            File.Move(temp, Path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
        return true;
    }

    /// <summary>Jupyter writes one space per level, VS Code keeps what it found; so do we.</summary>
    private static int DetectIndent(string text)
    {
        var newline = text.IndexOf('\n');
        if (newline < 0) return 1;
        var spaces = 0;
        while (newline + 1 + spaces < text.Length && text[newline + 1 + spaces] == ' ') spaces++;
        return Math.Clamp(spaces, 1, 8);
    }
}
