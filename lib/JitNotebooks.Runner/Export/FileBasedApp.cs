using System.Text;
using System.Text.RegularExpressions;
using JitNotebooks.Runner.Notebooks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace JitNotebooks.Runner.Export;

/// <summary>
/// A notebook as a .NET 10 file-based app (`dotnet run file.cs`), Microsoft's path for C# notebooks
/// after Polyglot: `#r "nuget:"` becomes `#:package`, a `#r` of a project's build output becomes
/// `#:project`, markdown becomes comments, and the C# cells follow in order. A script is not a
/// program, so Roslyn reads each cell as the kernel does (a script) and the parts move where a program
/// needs them: usings to the top, type declarations after the statements, script fields and methods
/// become locals and local functions, a cell's trailing value is shown through a small display shim.
/// </summary>
public static partial class FileBasedApp
{
    /// <summary>The kernel's default imports (CSharpKernel's ScriptOptions), which a program must state.</summary>
    private static readonly string[] KernelImports =
        ["System", "System.Text", "System.Collections", "System.Collections.Generic", "System.Threading.Tasks", "System.Linq"];

    private static readonly CSharpParseOptions Script = new(LanguageVersion.Latest, kind: SourceCodeKind.Script);

    /// <summary>Writes <c>folder/name.cs</c> for the notebook; returns its path.</summary>
    public static string Write(NotebookFile notebook, string folder)
    {
        Directory.CreateDirectory(folder);
        // A file-based app takes the build settings of the folders above it; inside a repository those
        // (its artifacts layout, warnings as errors, central package versions) are not the app's.
        var isolation = System.IO.Path.Combine(folder, "Directory.Build.props");
        if (!File.Exists(isolation))
            File.WriteAllText(isolation, "<!-- Written by the JitNotebooks runner (option export-cs): the apps in this folder build on their own,\n     without the settings of any Directory.Build.props above it. -->\n<Project />\n");
        var path = System.IO.Path.Combine(folder, System.IO.Path.GetFileNameWithoutExtension(notebook.Path) + ".cs");
        File.WriteAllText(path, Export(notebook, folder));
        return path;
    }

    /// <summary>The app's source; <paramref name="folder"/> is where it will live (for relative #:project paths).</summary>
    public static string Export(NotebookFile notebook, string folder)
    {
        var notebookFolder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(notebook.Path))!;
        var directives = new List<string>();
        var usings = new List<string>(KernelImports.Select(n => $"using {n};"));
        var types = new StringBuilder();
        var body = new StringBuilder();
        foreach (var cell in notebook.Cells)
        {
            body.Append($"\n// ── cell {cell.Number} {new string('─', 60)}\n");
            if (cell.Kind != CellKind.Code || cell.KernelName != KernelNames.CSharp)
            {
                var what = cell.Kind == CellKind.Code ? $"a {cell.KernelName} cell, not exported: " : "";
                body.Append(Comment(what + cell.Source));
                continue;
            }
            if (string.IsNullOrWhiteSpace(cell.Source)) continue;
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

        var app = new StringBuilder();
        app.Append($"// {System.IO.Path.GetFileName(notebook.Path)} as a .NET 10 file-based app, exported by the JitNotebooks runner\n");
        app.Append($"// (--export-cs). Run it with: dotnet run {System.IO.Path.GetFileNameWithoutExtension(notebook.Path)}.cs\n");
        foreach (var directive in directives.Distinct()) app.Append(directive).Append('\n');
        // A script's settings: unsafe code allowed, no nullable analysis, the kernel's imports only, no AOT.
        foreach (var property in new[] { "AllowUnsafeBlocks=true", "Nullable=disable", "ImplicitUsings=disable", "PublishAot=false" })
            app.Append($"#:property {property}\n");
        app.Append('\n');
        foreach (var line in usings.Distinct()) app.Append(line).Append('\n');
        app.Append("using static NotebookDisplay;\n\n");
        // One method rather than top-level statements, which would reserve the name args for themselves.
        app.Append("static class Notebook\n{\n    // The cells in order, in one method: their variables and functions carry from cell to cell as in the kernel.\n");
        app.Append("    static async Task Main()\n    {\n");
        app.Append("        // As in the kernel, the notebook's folder is the current directory: its relative paths start there.\n");
        var home = System.IO.Path.GetRelativePath(System.IO.Path.GetFullPath(folder), notebookFolder).Replace('\\', '/');
        app.Append($"        System.IO.Directory.SetCurrentDirectory(System.IO.Path.GetFullPath(\"{home}\", (string)AppContext.GetData(\"EntryPointFileDirectoryPath\")));\n");
        app.Append(body);
        app.Append("\n        await Task.CompletedTask;\n    }\n}\n");
        app.Append($"\n// ── types declared in the cells: a program declares them outside its methods {new string('─', 20)}\n");
        app.Append(types);
        app.Append(Shim);
        return app.ToString();
    }

    /// <summary>For a kernel directive, the note that replaces it (its app directive is added to <paramref name="directives"/>); null for C#.</summary>
    private static string? Directive(string line, string notebookFolder, string folder, List<string> directives)
    {
        var trimmed = line.TrimStart();
        if (NuGet().Match(trimmed) is { Success: true } package)
        {
            var version = package.Groups[2].Success ? package.Groups[2].Value.Trim() : "*";
            directives.Add($"#:package {package.Groups[1].Value.Trim()}@{version}");
            return "// " + trimmed;
        }
        if (Source().Match(trimmed) is { Success: true } source)
        {
            directives.Add($"#:property RestoreAdditionalProjectSources={source.Groups[1].Value.Trim()}");
            return "// " + trimmed;
        }
        if (Reference().Match(trimmed) is { Success: true } reference)
        {
            if (ProjectOf(System.IO.Path.GetFullPath(reference.Groups[1].Value, notebookFolder)) is not { } project)
                return $"#error {trimmed}: a file-based app references packages (#:package) and projects (#:project), not a bare DLL";
            directives.Add($"#:project {System.IO.Path.GetRelativePath(System.IO.Path.GetFullPath(folder), project).Replace('\\', '/')}");
            return "// " + trimmed;
        }
        if (trimmed.StartsWith("#!", StringComparison.Ordinal))
            return trimmed is "#!csharp" or "#!c#" or "#!C#" ? "" : $"// {trimmed} (a kernel magic command: not exported)";
        return null;
    }

    /// <summary>A DLL built into <c>artifacts/bin/&lt;Project&gt;/</c> (UseArtifactsOutput) comes from <c>&lt;Project&gt;.csproj</c>: find it.</summary>
    private static string? ProjectOf(string dll)
    {
        for (var dir = new DirectoryInfo(System.IO.Path.GetDirectoryName(dll)!); dir?.Parent?.Parent is { } artifacts; dir = dir.Parent)
        {
            if (dir.Parent.Name != "bin" || artifacts.Name != "artifacts" || artifacts.Parent is not { } root) continue;
            return Directory.EnumerateFiles(root.FullName, dir.Name + ".csproj", SearchOption.AllDirectories)
                .FirstOrDefault(p => !p.StartsWith(artifacts.FullName, StringComparison.Ordinal));
        }
        var beside = Directory.Exists(System.IO.Path.GetDirectoryName(dll)) ? Directory.GetFiles(System.IO.Path.GetDirectoryName(dll)!, "*.csproj") : [];
        return beside.Length == 1 ? beside[0] : null;
    }

    /// <summary>One C# cell's members, read as the kernel reads them (a script), placed where a program needs them.</summary>
    private static string Statements(string code, bool raisesException, List<string> usings, StringBuilder types)
    {
        var root = (CompilationUnitSyntax)CSharpSyntaxTree.ParseText(code, Script).GetRoot();
        usings.AddRange(root.Usings.Select(u => u.WithoutTrivia().ToFullString()));
        var statements = new List<string>();
        foreach (var (member, i) in root.Members.Select((m, i) => (m, i)))
        {
            var last = i == root.Members.Count - 1;
            switch (member)
            {
                case BaseTypeDeclarationSyntax or DelegateDeclarationSyntax:
                    types.Append(member.ToFullString().TrimEnd()).Append("\n\n");
                    break;
                case GlobalStatementSyntax { Statement: ExpressionStatementSyntax { SemicolonToken.IsMissing: true } value } when last:
                    // The script's trailing value: shown as the kernel shows a cell's result.
                    statements.Add($"{value.GetLeadingTrivia().ToFullString()}ShowResult(() => {value.Expression.WithoutTrivia()});");
                    break;
                case GlobalStatementSyntax global:
                    statements.Add(global.ToFullString().TrimEnd());
                    break;
                case FieldDeclarationSyntax field:
                    // A script's variable is a field of its submission; in a program it is a local.
                    var isConst = field.Modifiers.Any(SyntaxKind.ConstKeyword) ? "const " : "";
                    statements.Add($"{field.GetLeadingTrivia().ToFullString()}{isConst}{field.Declaration.WithoutTrivia()};{field.GetTrailingTrivia().ToFullString().TrimEnd()}");
                    break;
                case MethodDeclarationSyntax method:
                    // A script's method becomes a local function: no access modifiers.
                    var kept = method.Modifiers.Where(m => m.Kind() is SyntaxKind.StaticKeyword or SyntaxKind.AsyncKeyword or SyntaxKind.UnsafeKeyword or SyntaxKind.ExternKeyword);
                    statements.Add(method.WithModifiers(SyntaxFactory.TokenList(kept)).WithLeadingTrivia(method.GetLeadingTrivia()).ToFullString().TrimEnd());
                    break;
                default:
                    statements.Add($"#error a {member.Kind()} at the top of a cell has no place in a program: {member.WithoutTrivia().ToString().Split('\n')[0]}");
                    break;
            }
        }
        if (root.EndOfFileToken.LeadingTrivia.ToFullString().Trim() is { Length: > 0 } trailing) statements.Add(trailing);
        if (raisesException && statements.Count > 0)
            statements[^1] = $"try\n{{\n{statements[^1]}\n}}\ncatch (Exception e) {{ ShowRaised(e); }} // a raises-exception cell: the error is the point";
        var text = string.Join("\n", statements).Trim('\n');
        return text.Length == 0 ? "" : text + "\n";
    }

    private static string Comment(string text) =>
        string.Concat(text.TrimEnd().Split('\n').Select(l => ("// " + l.TrimEnd('\r')).TrimEnd() + "\n"));

    /// <summary>Stands in for the kernel's display(): a value's plain-text form, as the runner prints it in a terminal.</summary>
    private const string Shim = """

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

    [GeneratedRegex("""^#r\s+"nuget:\s*([^,"]+)(?:,\s*([^"]+))?"\s*$""")]
    private static partial Regex NuGet();
    [GeneratedRegex("""^#i\s+"nuget:\s*([^"]+)"\s*$""")]
    private static partial Regex Source();
    [GeneratedRegex("""^#r\s+"([^"]+)"\s*$""")]
    private static partial Regex Reference();
}
