using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace JitNotebooks.Export.Apps;

/// <summary>One notebook cell as an app needs it; the runner reads cells with the kernel's own reader.</summary>
/// <param name="Number">1-based position, as a person counts cells.</param>
/// <param name="IsCode">A code cell (markdown and raw cells become comments).</param>
/// <param name="KernelName">The kernel that runs a code cell, aliases resolved (<c>csharp</c>, <c>fsharp</c>, …).</param>
/// <param name="Source">The cell's text.</param>
/// <param name="RaisesException">Tagged <c>raises-exception</c>: the cell's error is the point.</param>
public sealed record AppCell(int Number, bool IsCode, string KernelName, string Source, bool RaisesException);

/// <summary>
/// A notebook as a .NET 10 file-based app (`dotnet run file.cs`), Microsoft's path for C# notebooks
/// after Polyglot: `#r "nuget:"` becomes `#:package`, a `#r` of a project's build output `#:project`,
/// markdown comments, and the C# cells follow in order. A script is not a program, so Roslyn reads
/// each cell as the kernel does (a script) and its parts move where a program needs them: usings to
/// the top, types after the method holding the cells, script fields and methods become locals and
/// local functions, and a cell's trailing value is shown through a small display shim.
/// </summary>
public static partial class FileBasedApp
{
    private static readonly CSharpParseOptions Script = new(LanguageVersion.Latest, kind: SourceCodeKind.Script);

    /// <summary>Writes <c>folder/name.cs</c> for the notebook at <paramref name="notebookPath"/>; returns its path.</summary>
    public static string Write(string notebookPath, IReadOnlyList<AppCell> cells, string folder)
    {
        Directory.CreateDirectory(folder);
        // An app takes the build settings of the folders above it; a repository's (its artifacts
        // layout, warnings as errors, central package versions) are not the app's.
        var isolation = Path.Combine(folder, "Directory.Build.props");
        if (!File.Exists(isolation))
            File.WriteAllText(isolation, "<!-- Written by the JitNotebooks runner (option export-cs): the apps in this folder build on their own,\n     without the settings of any Directory.Build.props above it. -->\n<Project />\n");
        var path = Path.Combine(folder, Path.GetFileNameWithoutExtension(notebookPath) + ".cs");
        File.WriteAllText(path, Export(notebookPath, cells, folder));
        return path;
    }

    /// <summary>The app's source; <paramref name="folder"/> is where it will live (for its relative paths).</summary>
    public static string Export(string notebookPath, IReadOnlyList<AppCell> cells, string folder)
    {
        var notebookFolder = Path.GetDirectoryName(Path.GetFullPath(notebookPath))!;
        var directives = new List<string>();
        // The kernel's default imports (CSharpKernel's ScriptOptions), which a program must state.
        var usings = new List<string> { "System", "System.Text", "System.Collections", "System.Collections.Generic", "System.Threading.Tasks", "System.Linq" };
        var (types, body) = (new StringBuilder(), new StringBuilder());
        foreach (var cell in cells)
        {
            body.Append($"\n// ── cell {cell.Number} {new string('─', 60)}\n");
            if (!cell.IsCode || cell.KernelName != "csharp")
            {
                body.Append(Comment((cell.IsCode ? $"a {cell.KernelName} cell, not exported: " : "") + cell.Source));
                continue;
            }
            // Kernel directives become the app's (at the top) and a note here; the rest is C#.
            var code = new StringBuilder();
            foreach (var line in cell.Source.Split('\n'))
            {
                var note = Directive(line.TrimEnd('\r'), notebookFolder, folder, directives);
                if (note is { Length: > 0 }) body.Append(note).Append('\n');
                code.Append(note is null ? line : "").Append('\n');
            }
            body.Append(Statements(code.ToString(), cell.RaisesException, usings, types));
        }
        var name = Path.GetFileNameWithoutExtension(notebookPath);
        var home = Path.GetRelativePath(Path.GetFullPath(folder), notebookFolder).Replace('\\', '/');
        // A script's settings: unsafe code, no nullable analysis, the kernel's imports only, no AOT.
        // One method rather than top-level statements, which would reserve the name args.
        return $$"""
            // {{name}}.ipynb as a .NET 10 file-based app, exported by the JitNotebooks runner (--export-cs).
            // Run it with: dotnet run {{name}}.cs
            {{string.Concat(directives.Distinct().Select(d => d + "\n"))}}#:property AllowUnsafeBlocks=true
            #:property Nullable=disable
            #:property ImplicitUsings=disable
            #:property PublishAot=false

            {{string.Concat(usings.Distinct().Select(u => $"using {u};\n"))}}using static NotebookDisplay;

            static class Notebook
            {
                // The cells in order, in one method: their variables and functions carry from cell to cell as in the kernel.
                static async Task Main()
                {
                    // As in the kernel, the notebook's folder is the current directory: its relative paths start there.
                    System.IO.Directory.SetCurrentDirectory(System.IO.Path.GetFullPath("{{home}}", (string)AppContext.GetData("EntryPointFileDirectoryPath")));
            {{body}}
                    await Task.CompletedTask;
                }
            }

            // ── types declared in the cells: a program declares them outside its methods {{new string('─', 20)}}
            {{types}}
            /// <summary>The kernel's display() and cell results, as text: the course's tables and charts have a ToText().</summary>
            static class NotebookDisplay
            {
                public static void display(object value) => Console.WriteLine(Text(value));

                public static void ShowResult<T>(Func<T> value) => display(value());

                public static void ShowResult(Action statement) => statement();

                public static void ShowRaised(Exception e) => Console.WriteLine($"{e.GetType().FullName}: {e.Message}");

                static string Text(object value) => value switch
                {
                    null => "<null>",
                    _ when value.GetType().GetInterface("IRichDisplay")?.GetMethod("ToText") is { } toText => (string)toText.Invoke(value, null),
                    string text => text,
                    IEnumerable items => $"[ {string.Join(", ", items.Cast<object>().Select(Text))} ]", // as the kernel lists a sequence
                    _ => value.ToString(),
                };
            }

            """;
    }

    /// <summary>For a kernel directive, the note that replaces it (its app directive goes into <paramref name="directives"/>); null for C#.</summary>
    private static string? Directive(string line, string notebookFolder, string folder, List<string> directives)
    {
        var trimmed = line.TrimStart();
        if (NuGet().Match(trimmed) is { Success: true } package)
            directives.Add($"#:package {package.Groups[1].Value.Trim()}@{(package.Groups[2].Success ? package.Groups[2].Value.Trim() : "*")}");
        else if (Source().Match(trimmed) is { Success: true } source)
            directives.Add($"#:property RestoreAdditionalProjectSources={source.Groups[1].Value.Trim()}");
        else if (Reference().Match(trimmed) is { Success: true } reference)
        {
            if (ProjectOf(Path.GetFullPath(reference.Groups[1].Value, notebookFolder)) is not { } project)
                return $"#error {trimmed}: a file-based app references packages (#:package) and projects (#:project), not a bare DLL";
            directives.Add($"#:project {Path.GetRelativePath(Path.GetFullPath(folder), project).Replace('\\', '/')}");
        }
        else if (trimmed.StartsWith("#!", StringComparison.Ordinal))
            return trimmed is "#!csharp" or "#!c#" or "#!C#" ? "" : $"// {trimmed} (a kernel magic command: not exported)";
        else return null;
        return "// " + trimmed;
    }

    /// <summary>A DLL built into <c>artifacts/bin/&lt;Project&gt;/</c> (UseArtifactsOutput) comes from <c>&lt;Project&gt;.csproj</c>; else a lone project beside it.</summary>
    private static string? ProjectOf(string dll)
    {
        for (var dir = new DirectoryInfo(Path.GetDirectoryName(dll)!); dir?.Parent?.Parent is { } artifacts; dir = dir.Parent)
            if (dir.Parent.Name == "bin" && artifacts.Name == "artifacts" && artifacts.Parent is { } root)
                return Directory.EnumerateFiles(root.FullName, dir.Name + ".csproj", SearchOption.AllDirectories)
                    .FirstOrDefault(p => !p.StartsWith(artifacts.FullName, StringComparison.Ordinal));
        var beside = Directory.Exists(Path.GetDirectoryName(dll)) ? Directory.GetFiles(Path.GetDirectoryName(dll)!, "*.csproj") : [];
        return beside.Length == 1 ? beside[0] : null;
    }

    /// <summary>One C# cell's members, read as the kernel reads them (a script), placed where a program needs them.</summary>
    private static string Statements(string code, bool raisesException, List<string> usings, StringBuilder types)
    {
        var root = (CompilationUnitSyntax)CSharpSyntaxTree.ParseText(code, Script).GetRoot();
        usings.AddRange(root.Usings.Select(u => u.WithoutTrivia().ToFullString()["using ".Length..].TrimEnd(';')));
        var statements = new List<string>();
        foreach (var member in root.Members)
            statements.Add(member switch
            {
                BaseTypeDeclarationSyntax or DelegateDeclarationSyntax => Moved(types, member),
                // The script's trailing value: shown as the kernel shows a cell's result.
                GlobalStatementSyntax { Statement: ExpressionStatementSyntax { SemicolonToken.IsMissing: true } value } when member == root.Members[^1] =>
                    $"{value.GetLeadingTrivia().ToFullString()}ShowResult(() => {value.Expression.WithoutTrivia()});",
                GlobalStatementSyntax => member.ToFullString().TrimEnd(),
                // A script's variable is a field of its submission; in a program it is a local.
                FieldDeclarationSyntax field => $"{field.GetLeadingTrivia().ToFullString()}{(field.Modifiers.Any(SyntaxKind.ConstKeyword) ? "const " : "")}" +
                                                $"{field.Declaration.WithoutTrivia()};{field.GetTrailingTrivia().ToFullString().TrimEnd()}",
                // A script's method becomes a local function: no access modifiers.
                MethodDeclarationSyntax method => method.WithModifiers(SyntaxFactory.TokenList(method.Modifiers.Where(m => m.Kind() is
                        SyntaxKind.StaticKeyword or SyntaxKind.AsyncKeyword or SyntaxKind.UnsafeKeyword or SyntaxKind.ExternKeyword)))
                    .WithLeadingTrivia(method.GetLeadingTrivia()).ToFullString().TrimEnd(),
                _ => $"#error a {member.Kind()} at the top of a cell has no place in a program: {member.WithoutTrivia().ToString().Split('\n')[0]}",
            });
        statements.Add(root.EndOfFileToken.LeadingTrivia.ToFullString().Trim());
        statements.RemoveAll(s => s.Trim().Length == 0);
        if (raisesException && statements.Count > 0)
            statements[^1] = $"try\n{{\n{statements[^1]}\n}}\ncatch (Exception e) {{ ShowRaised(e); }} // a raises-exception cell: the error is the point";
        return string.Concat(statements.Select(s => s.Trim('\n') + "\n"));
    }

    private static string Moved(StringBuilder types, SyntaxNode type)
    {
        types.Append(type.ToFullString().Trim('\n', '\r')).Append("\n\n");
        return "";
    }

    private static string Comment(string text) =>
        string.Concat(text.TrimEnd().Split('\n').Select(l => ("// " + l.TrimEnd('\r')).TrimEnd() + "\n"));

    [GeneratedRegex("""^#r\s+"nuget:\s*([^,"]+)(?:,\s*([^"]+))?"\s*$""")]
    private static partial Regex NuGet();
    [GeneratedRegex("""^#i\s+"nuget:\s*([^"]+)"\s*$""")]
    private static partial Regex Source();
    [GeneratedRegex("""^#r\s+"([^"]+)"\s*$""")]
    private static partial Regex Reference();
}
