using System.Text.Json.Nodes;
using Microsoft.DotNet.Interactive.Documents;

namespace JitNotebooks.Runner.Notebooks;

/// <summary>
/// The kernel names and aliases .NET Interactive uses (as the dotnet-interactive tool registers
/// them). The kernel's notebook reader finds each cell's kernel with them; this class adds what the
/// reader leaves open.
/// </summary>
internal static class KernelNames
{
    public const string CSharp = "csharp";

    /// <summary>Every kernel a Polyglot notebook may name, so aliases such as <c>C#</c> resolve.</summary>
    public static KernelInfoCollection Known() => new KernelInfoCollection
    {
        new KernelInfo(CSharp, "C#", ["c#", "C#", "cs"]),
        new KernelInfo("fsharp", "F#", ["f#", "F#", "fs"]),
        new KernelInfo("pwsh", "PowerShell", ["powershell", "PowerShell"]), // "PowerShell": a kernelspec's language
        new KernelInfo("html", "HTML"),
        new KernelInfo("javascript", "JavaScript", ["js"]),
        new KernelInfo("mermaid", "Mermaid"),
        new KernelInfo("sql", "SQL"),
        new KernelInfo("kql", "KQL"),
        new KernelInfo("http", "HTTP"),
        new KernelInfo("value"),
        new KernelInfo("markdown", "Markdown", ["md"]),
    };

    /// <summary>
    /// The kernel of cells that name none, where the kernel's reader leaves it open: VS Code writes it
    /// under polyglot_notebook.kernelInfo, which the reader does not look into; else C#, as the C# kernel would run it.
    /// </summary>
    /// <exception cref="NotebookRefusedException">The notebook's only kernel metadata is another Jupyter kernel's kernelspec (python3, ir, …).</exception>
    public static string DefaultFor(JsonObject? metadata)
    {
        var polyglot = metadata?["polyglot_notebook"];
        if (polyglot is null && metadata?["dotnet_interactive"] is null && Text(metadata?["kernelspec"]?["name"]) is { } spec
            && spec is not (".net-csharp" or ".net-fsharp" or ".net-powershell")) // the kernelspecs `dotnet interactive jupyter install` registers
            throw new NotebookRefusedException(
                $"its kernelspec is \"{spec}\", not a .NET Interactive kernel; this runner runs .NET notebooks " +
                "(kernelspec .net-csharp, or Polyglot Notebooks metadata)");
        return Resolve(Text(polyglot?["kernelInfo"]?["defaultKernelName"]) ?? CSharp);
    }

    /// <summary>A kernel name or alias as its canonical name (<c>C#</c> → <c>csharp</c>); unknown names stay as they are.</summary>
    public static string Resolve(string nameOrAlias) =>
        Known().FirstOrDefault(k => k.Name == nameOrAlias || k.Aliases.Contains(nameOrAlias))?.Name ?? nameOrAlias;

    private static string? Text(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) && !string.IsNullOrWhiteSpace(s) ? s : null;
}
