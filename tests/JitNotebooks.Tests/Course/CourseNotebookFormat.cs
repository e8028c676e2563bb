using System.Text.Json.Nodes;

namespace JitNotebooks.Tests.Course;

/// <summary>
/// The course's strict notebook format (VS Code Polyglot metadata, nbformat 4.5 with ids). The runner
/// reads any notebook the kernel would run; these rules hold for the notebooks the course writes.
/// </summary>
public static class CourseNotebookFormat
{
    /// <summary>The metadata VS Code's Polyglot Notebooks writes for a C# notebook.</summary>
    public static JsonObject CanonicalNotebookMetadata() => new()
    {
        ["kernelspec"] = new JsonObject
        {
            ["display_name"] = ".NET (C#)",
            ["language"] = "C#",
            ["name"] = ".net-csharp",
        },
        ["language_info"] = new JsonObject { ["name"] = "polyglot-notebook" },
        ["polyglot_notebook"] = new JsonObject
        {
            ["kernelInfo"] = new JsonObject
            {
                ["defaultKernelName"] = "csharp",
                ["items"] = new JsonArray(new JsonObject
                {
                    ["aliases"] = new JsonArray(),
                    ["languageName"] = "csharp",
                    ["name"] = "csharp",
                }),
            },
        },
    };

    /// <summary>The metadata of a C# code cell.</summary>
    public static JsonObject CanonicalCodeCellMetadata() => new()
    {
        ["dotnet_interactive"] = new JsonObject { ["language"] = "csharp" },
        ["polyglot_notebook"] = new JsonObject { ["kernelName"] = "csharp" },
    };

    /// <summary>Every rule the file breaks, as sentences; empty when it is a valid course notebook.</summary>
    public static IReadOnlyList<string> Validate(JsonNode? root)
    {
        var structural = StructuralProblems(root).ToList();
        if (structural.Count > 0) return structural;
        var notebook = (JsonObject)root!;
        return [.. VersionProblems(notebook), .. MetadataProblems(notebook), .. CellProblems(notebook)];
    }

    /// <summary>JSON as nbformat means it: no duplicate keys, no trailing commas, no comments.</summary>
    internal static readonly System.Text.Json.JsonDocumentOptions StrictJson = new() { AllowDuplicateProperties = false };

    /// <summary>The node's string value, or null when it is missing or not a string.</summary>
    internal static string? AsString(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>Validates a file; a file that is not JSON yields that one problem.</summary>
    public static IReadOnlyList<string> Validate(string path)
    {
        try { return Validate(JsonNode.Parse(File.ReadAllText(path), documentOptions: StrictJson)); }
        catch (System.Text.Json.JsonException e) { return [$"not valid JSON: {e.Message}"]; }
    }

    /// <summary>What makes JSON a notebook at all: an object with nbformat 4 and a list of cells.</summary>
    internal static IEnumerable<string> StructuralProblems(JsonNode? root)
    {
        if (root is not JsonObject notebook)
        {
            yield return "the top level is not a JSON object";
            yield break;
        }
        if (notebook["nbformat"] is not JsonValue format || !format.TryGetValue<int>(out var major))
            yield return "no \"nbformat\" number";
        else if (major != 4)
            yield return $"nbformat is {major}, the runner reads nbformat 4";
        if (notebook["cells"] is not JsonArray cells)
        {
            yield return "no \"cells\" list";
            yield break;
        }
        foreach (var (cell, i) in cells.Select((c, i) => (c, i)))
        {
            if (cell is not JsonObject o || o["cell_type"] is not JsonValue type || !type.TryGetValue<string>(out _))
                yield return $"cell {i + 1} is not an object with a \"cell_type\"";
            else if (!IsMultilineString(o["source"]))
                yield return $"cell {i + 1} has no \"source\" (a string or a list of strings)";
        }
    }

    private static bool IsMultilineString(JsonNode? node) =>
        AsString(node) is not null || (node is JsonArray lines && lines.All(l => AsString(l) is not null));

    private static IEnumerable<string> VersionProblems(JsonObject notebook)
    {
        if (notebook["nbformat_minor"] is not JsonValue minor || !minor.TryGetValue<int>(out var m) || m < 5)
            yield return "nbformat_minor must be 5 or more (cell ids need 4.5)";
    }

    private static IEnumerable<string> MetadataProblems(JsonObject notebook)
    {
        var metadata = notebook["metadata"] as JsonObject;
        var kernelspec = metadata?["kernelspec"];
        var polyglot = metadata?["polyglot_notebook"] as JsonObject;
        var expected = CanonicalNotebookMetadata();
        if (!JsonNode.DeepEquals(kernelspec, expected["kernelspec"]))
            yield return "metadata.kernelspec must be {\"name\": \".net-csharp\", \"language\": \"C#\", \"display_name\": \".NET (C#)\"}";
        var kernelInfo = polyglot?["kernelInfo"] as JsonObject;
        if (AsString(kernelInfo?["defaultKernelName"]) != "csharp")
            yield return "metadata.polyglot_notebook.kernelInfo.defaultKernelName must be \"csharp\"";
        var items = kernelInfo?["items"] as JsonArray;
        if (items is null || !items.Any(i => i is JsonObject o && AsString(o["name"]) == "csharp" && AsString(o["languageName"]) == "csharp"))
            yield return "metadata.polyglot_notebook.kernelInfo.items must list the csharp kernel ({\"name\": \"csharp\", \"languageName\": \"csharp\"})";
    }

    private static IEnumerable<string> CellProblems(JsonObject notebook)
    {
        var seen = new HashSet<string>();
        foreach (var (cell, i) in ((JsonArray)notebook["cells"]!).Select((c, i) => ((JsonObject)c!, i + 1)))
        {
            var id = AsString(cell["id"]);
            if (string.IsNullOrEmpty(id))
                yield return $"cell {i} has no \"id\"";
            else if (!seen.Add(id))
                yield return $"cell {i} repeats the id \"{id}\"";
            if (cell["cell_type"]!.GetValue<string>() != "code") continue;
            if (AsString((cell["metadata"] as JsonObject)?["polyglot_notebook"]?["kernelName"]) != "csharp")
                yield return $"cell {i} (code) must have metadata.polyglot_notebook.kernelName \"csharp\"";
            if (cell["outputs"] is not JsonArray)
                yield return $"cell {i} (code) has no \"outputs\" list";
            if (!cell.ContainsKey("execution_count"))
                yield return $"cell {i} (code) has no \"execution_count\"";
        }
    }
}
