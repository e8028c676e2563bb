using System.Text.Json.Nodes;
using Microsoft.DotNet.Interactive.Documents;

namespace JitNotebooks.Runner.Notebooks;

/// <summary>
/// The kernel names and aliases .NET Interactive uses (as the dotnet-interactive tool registers
/// them), and how a notebook names its default kernel.
/// </summary>
internal static class KernelNames
{
    public const string CSharp = "csharp";

    /// <summary>Every kernel a Polyglot notebook may name, so aliases such as <c>C#</c> resolve.</summary>
    public static KernelInfoCollection Known() =>
    [
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
    ];

    /// <summary>The Jupyter kernelspecs `dotnet interactive jupyter install` registers.</summary>
    private static readonly Dictionary<string, string> s_kernelSpecs = new(StringComparer.OrdinalIgnoreCase)
    {
        [".net-csharp"] = CSharp,
        [".net-fsharp"] = "fsharp",
        [".net-powershell"] = "pwsh",
    };

    /// <summary>
    /// The notebook's default kernel, by the signals .NET Interactive and VS Code read, most specific
    /// first; a notebook with none of them is C#, as the C# kernel would run it.
    /// </summary>
    /// <exception cref="NotebookRefusedException">The kernelspec names a kernel that is not .NET Interactive's.</exception>
    public static string DefaultFor(JsonObject? metadata)
    {
        var polyglot = metadata?["polyglot_notebook"];
        var named = Text(polyglot?["kernelInfo"]?["defaultKernelName"])
            ?? Text(polyglot?["defaultKernelName"])
            ?? Text(metadata?["dotnet_interactive"]?["defaultKernelName"]);
        if (named is not null) return Resolve(named);

        var spec = metadata?["kernelspec"];
        if (Text(spec?["name"]) is { } specName)
        {
            if (s_kernelSpecs.TryGetValue(specName, out var kernel)) return kernel;
            if (polyglot is null && metadata?["dotnet_interactive"] is null)
                throw new NotebookRefusedException(
                    $"its kernelspec is \"{specName}\", not a .NET Interactive kernel; this runner runs .NET notebooks " +
                    "(kernelspec .net-csharp, or Polyglot Notebooks metadata)");
        }
        return Text(spec?["language"]) is { } language ? Resolve(language) : CSharp;
    }

    /// <summary>A kernel name or alias as its canonical name (<c>C#</c> → <c>csharp</c>); unknown names stay as they are.</summary>
    public static string Resolve(string nameOrAlias)
    {
        foreach (var info in Known())
            if (info.Name == nameOrAlias || info.Aliases.Contains(nameOrAlias)) return info.Name;
        return nameOrAlias;
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) && !string.IsNullOrWhiteSpace(s) ? s : null;
}
