using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.DotNet.Interactive.Documents.Jupyter;
using NotebookDocument = JitNotebooks.Export.Notebooks.NotebookDocument;

namespace JitNotebooks.Runner.Notebooks;

/// <summary>
/// A notebook file: read with the kernel's own reader (Microsoft.DotNet.Interactive.Documents), so
/// every metadata variant the kernel accepts is accepted here, and written back by splicing the
/// outputs into the JSON as it was read, so nothing else in the file changes.
/// </summary>
/// <remarks>
/// Documents' writer would re-create the whole file: it turns raw cells into code cells and always
/// writes nbformat 4.5. Splicing keeps raw cells, attachments, metadata and the minor version.
/// </remarks>
public sealed class NotebookFile
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private readonly JsonObject _root;
    private readonly string _text;
    private readonly int _minor; // nbformat 4.x

    private NotebookFile(string path, string text, JsonObject root, int minor, IReadOnlyList<NotebookCell> cells)
    {
        Path = path;
        _text = text;
        _root = root;
        _minor = minor;
        Cells = cells;
    }

    public string Path { get; }

    public IReadOnlyList<NotebookCell> Cells { get; }

    /// <summary>Reads a notebook, or says exactly why it is not one. Never changes the file.</summary>
    /// <exception cref="NotebookRefusedException">Not readable, not UTF-8 JSON, not nbformat 4, or not a .NET notebook.</exception>
    public static NotebookFile Load(string path)
    {
        string text;
        try
        {
            text = Utf8.GetString(File.ReadAllBytes(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NotebookRefusedException($"cannot read it: {e.Message}");
        }
        catch (DecoderFallbackException)
        {
            throw new NotebookRefusedException("it is not UTF-8 text, so it is not a Jupyter notebook");
        }

        JsonObject root;
        try
        {
            root = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = false }) as JsonObject
                ?? throw new NotebookRefusedException("its JSON is not an object, so it is not a Jupyter notebook");
        }
        catch (JsonException e)
        {
            throw new NotebookRefusedException($"it is not JSON ({e.Message.ReplaceLineEndings(" ").Trim()}), so it is not a Jupyter notebook");
        }
        if (root["nbformat"] is not JsonValue major || !major.TryGetValue<int>(out var nbformat) || nbformat != 4)
            throw new NotebookRefusedException($"it is not an nbformat 4 notebook (nbformat is {root["nbformat"]?.ToJsonString() ?? "missing"})");
        if (root["cells"] is not JsonArray rawCells)
            throw new NotebookRefusedException("it has no \"cells\" array, so it is not a Jupyter notebook");
        int minor = root["nbformat_minor"] is JsonValue m && m.TryGetValue<int>(out var mv) ? mv : 0;

        var defaultKernel = KernelNames.DefaultFor(root["metadata"] as JsonObject);
        Microsoft.DotNet.Interactive.Documents.InteractiveDocument document;
        try
        {
            document = Notebook.Parse(text, KernelNames.Known());
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new NotebookRefusedException($"the .NET Interactive notebook reader rejects it: {e.Message}");
        }
        if (document.Elements.Count != rawCells.Count)
            throw new NotebookRefusedException($"the notebook reader found {document.Elements.Count} cells but the file lists {rawCells.Count}");

        var cells = new List<NotebookCell>();
        for (int i = 0; i < rawCells.Count; i++)
        {
            if (rawCells[i] is not JsonObject raw)
                throw new NotebookRefusedException($"cell {i + 1} is not a JSON object");
            var element = document.Elements[i];
            var kind = raw["cell_type"]?.GetValue<string>() switch
            {
                "code" => CellKind.Code,
                "markdown" => CellKind.Markdown,
                "raw" => CellKind.Raw,
                var other => throw new NotebookRefusedException($"cell {i + 1} has cell_type \"{other}\"; nbformat knows code, markdown and raw"),
            };
            var tags = raw["metadata"]?["tags"] as JsonArray;
            cells.Add(new NotebookCell(i, element.Id, kind,
                element.KernelName ?? defaultKernel, element.Contents,
                tags?.Any(t => t?.GetValueKind() == JsonValueKind.String && t.GetValue<string>() == "raises-exception") == true));
        }
        return new NotebookFile(path, text, root, minor, cells);
    }

    /// <summary>
    /// The notebook as read, with each code cell's outputs and execution count replaced (cells
    /// missing from <paramref name="results"/> are cleared: stale outputs would lie) and, in
    /// nbformat 4.5, an id for any cell that lacks one. Nothing else changes.
    /// </summary>
    public JsonObject WithOutputs(IReadOnlyDictionary<int, (JsonArray Outputs, int? ExecutionCount)> results)
    {
        var root = (JsonObject)_root.DeepClone();
        var cells = (JsonArray)root["cells"]!;
        foreach (var cell in Cells.Where(c => c.IsCode))
        {
            var json = (JsonObject)cells[cell.Index]!;
            var found = results.TryGetValue(cell.Index, out var result);
            json["outputs"] = found ? (JsonArray)result.Outputs.DeepClone() : new JsonArray();
            json["execution_count"] = found && result.ExecutionCount is { } n ? n : null;
        }
        if (_minor >= 5)
            foreach (var cell in cells.OfType<JsonObject>().Where(c => c["id"] is null))
                cell["id"] = Guid.NewGuid().ToString("N")[..8]; // nbformat 4.5 requires ids; older minors have none
        return root;
    }

    /// <summary>
    /// Writes the notebook atomically: a temporary file in the same folder is renamed over it, so the
    /// file is always either the old or the new complete notebook.
    /// </summary>
    /// <returns>false when the file already held exactly this (it is not touched then).</returns>
    /// <exception cref="NotebookWriteException">The file or its folder cannot be written; the file is unchanged.</exception>
    public bool Write(JsonObject notebook)
    {
        var text = NotebookDocument.JupyterText(notebook);
        if (text == _text) return false;
        AtomicWrite(Path, text);
        return true;
    }

    /// <summary>A runner killed while writing (kill -9) leaves its temporary file behind: remove those of ended processes.</summary>
    private static void RemoveStaleTemporaryFiles(string folder, string name)
    {
        foreach (var temp in Directory.GetFiles(folder, $".{name}.*.tmp"))
        {
            var pid = System.IO.Path.GetFileName(temp)[(name.Length + 2)..].Split('.')[0];
            if (OperatingSystem.IsLinux() && int.TryParse(pid, out var id) && !Directory.Exists($"/proc/{id}"))
                try { File.Delete(temp); } catch (IOException) { /* another runner got there first */ }
        }
    }

    private static void AtomicWrite(string path, string text)
    {
        var full = System.IO.Path.GetFullPath(path);
        var folder = System.IO.Path.GetDirectoryName(full)!;
        if (File.Exists(full) && !OperatingSystem.IsWindows() && (File.GetUnixFileMode(full) & UnixFileMode.UserWrite) == 0)
            throw new NotebookWriteException($"{path} is read-only, so its outputs were not written; make it writable (chmod u+w) or run without --write");
        // Checked even for root (who could write anyway): a folder marked read-only is a request to leave it alone.
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(folder) & UnixFileMode.UserWrite) == 0)
            throw new NotebookWriteException($"{path} is in a read-only folder, so its outputs were not written; make {folder} writable (chmod u+w) or run without --write");
        RemoveStaleTemporaryFiles(folder, System.IO.Path.GetFileName(full));
        var temp = System.IO.Path.Combine(folder, $".{System.IO.Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.WriteThrough))
            {
                file.Write(Utf8.GetBytes(text));
                file.Flush(flushToDisk: true);
            }
            if (File.Exists(full) && !OperatingSystem.IsWindows()) File.SetUnixFileMode(temp, File.GetUnixFileMode(full));
            File.Move(temp, full, overwrite: true); // rename(2): atomic within a folder
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try { File.Delete(temp); } catch (Exception) { /* the temp file may never have been created */ }
            throw new NotebookWriteException($"cannot write {path} ({e.Message}); the notebook was left as it was", e);
        }
    }
}
