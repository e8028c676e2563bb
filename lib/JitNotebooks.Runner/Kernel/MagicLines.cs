using System.Text.RegularExpressions;

namespace JitNotebooks.Runner.Kernel;

/// <summary>A magic line the runner cannot honour; the message says which and what to write instead.</summary>
public sealed class MagicLineException(string message) : Exception(message)
{
    /// <summary>1-based line in the cell, once known.</summary>
    public int? Line { get; init; }
}

/// <summary>A cell with its magic lines consumed: the C# left for Roslyn and what the magics asked for.</summary>
/// <param name="Code">The cell with each magic line blanked, so compiler line numbers still match the cell.</param>
/// <param name="AssemblyPaths">Assemblies to add to the script's references.</param>
/// <param name="Packages">Pinned packages named by `#r "nuget: ..."`.</param>
public sealed record PreparedCell(string Code, IReadOnlyList<string> AssemblyPaths, IReadOnlyList<string> Packages);

/// <summary>
/// The kernel's magic lines, as the course uses them: `#!csharp`, `#r "nuget: Name, Version"` and
/// `#r "path.dll"`. Anything else starting with `#!` (or `#i`, `#load`) is an error, never skipped.
/// Ordinary C# directives (`#nullable`, `#pragma`, `#region`, ...) go to the compiler.
/// </summary>
public static partial class MagicLines
{
    /// <summary>Kernel names that mean "this cell is C#", as the C# kernel's aliases.</summary>
    private static readonly HashSet<string> CSharpKernelNames = new(StringComparer.OrdinalIgnoreCase) { "csharp", "c#", "cs" };

    [GeneratedRegex("""^\s*#r\s+"nuget:\s*(?<name>[^,"\s]+)\s*(,\s*(?<version>[^"\s]+)\s*)?"\s*$""")]
    private static partial Regex NugetReference();

    [GeneratedRegex("""^\s*#r\s+"(?<path>[^"]+)"\s*$""")]
    private static partial Regex FileReference();

    [GeneratedRegex("""^\s*#!(?<name>\S+)""")]
    private static partial Regex KernelMagic();

    [GeneratedRegex("""^\s*#(r|i|load)\b""")]
    private static partial Regex OtherReferenceDirective();

    /// <summary>Consumes the magic lines of a cell's source.</summary>
    /// <param name="source">The cell's source.</param>
    /// <param name="notebookFolder">Relative `#r` paths resolve against it, as in VS Code.</param>
    /// <exception cref="MagicLineException">An unknown magic, an unpinned package or a missing dll.</exception>
    public static PreparedCell Prepare(string source, string notebookFolder)
    {
        var lines = source.Split('\n');
        var assemblies = new List<string>();
        var packages = new List<string>();
        for (var i = 0; i < lines.Length; i++)
        {
            try
            {
                if (Consume(lines[i].TrimEnd('\r'), notebookFolder, assemblies, packages))
                    lines[i] = "";
            }
            catch (MagicLineException e)
            {
                throw new MagicLineException(e.Message) { Line = i + 1 };
            }
        }
        return new PreparedCell(string.Join('\n', lines), assemblies, packages);
    }

    /// <returns>True when the line was a magic and has been handled.</returns>
    private static bool Consume(string line, string folder, List<string> assemblies, List<string> packages)
    {
        if (NugetReference().Match(line) is { Success: true } nuget)
        {
            var name = nuget.Groups["name"].Value;
            var version = nuget.Groups["version"].Success ? nuget.Groups["version"].Value : null;
            assemblies.AddRange(PinnedPackages.Resolve(name, version));
            packages.Add(name);
            return true;
        }
        if (FileReference().Match(line) is { Success: true } file)
        {
            assemblies.Add(ResolveAssembly(file.Groups["path"].Value, folder));
            return true;
        }
        if (KernelMagic().Match(line) is { Success: true } magic)
        {
            var name = magic.Groups["name"].Value;
            if (CSharpKernelNames.Contains(name)) return true;
            throw new MagicLineException(
                $"unknown magic command #!{name}: the runner runs C# cells and accepts only #!csharp, " +
                "#r \"nuget: Name, Version\" (pinned packages) and #r \"path.dll\"");
        }
        if (OtherReferenceDirective().IsMatch(line))
            throw new MagicLineException(
                $"cannot honour \"{line.Trim()}\": write #r \"nuget: Name, Version\" for a pinned package or #r \"relative/path.dll\"");
        return false;
    }

    /// <summary>A dll path, relative to the notebook's folder; or a framework assembly by name.</summary>
    private static string ResolveAssembly(string reference, string folder)
    {
        var looksLikePath = reference.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
            || reference.Contains('/') || reference.Contains('\\');
        if (!looksLikePath)
        {
            var framework = Path.Combine(System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory(), reference + ".dll");
            if (File.Exists(framework)) return framework;
            throw new MagicLineException($"#r \"{reference}\": no such framework assembly; reference a dll by its path");
        }
        var full = Path.GetFullPath(Path.Combine(folder, reference));
        if (!File.Exists(full))
            throw new MagicLineException(
                $"#r \"{reference}\": {full} does not exist. Build it first: run `dotnet build` at the repository root " +
                "(the runner's own `dotnet run --project lib/JitNotebooks.Runner` builds the course library too)");
        return full;
    }
}
