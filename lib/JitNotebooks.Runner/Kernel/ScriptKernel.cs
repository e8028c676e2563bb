using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Scripting;
using JitNotebooks.Runner.Notebooks;

namespace JitNotebooks.Runner.Kernel;

/// <summary>
/// The C# kernel's engine, headless: Roslyn scripting, one script state for the whole notebook
/// (each cell is a ContinueWithAsync on the previous one), the kernel's imports and helpers.
/// </summary>
public sealed class ScriptKernel
{
    /// <summary>The C# kernel's default imports.</summary>
    public static readonly IReadOnlyList<string> DefaultImports =
        ["System", "System.Text", "System.Collections", "System.Collections.Generic", "System.Linq", "System.Threading.Tasks"];

    /// <summary>
    /// What the kernel submits before the first cell (its UseDefaultFormatting step): the formatting
    /// namespace and PocketView's tags. The runner does the same so that name clashes show up here too.
    /// </summary>
    private const string KernelPrelude =
        "using Microsoft.DotNet.Interactive.Formatting;\nusing static Microsoft.DotNet.Interactive.Formatting.PocketViewTags;\n";

    private readonly string _notebookFolder;
    private readonly KernelGlobals _globals = new();
    private readonly OutputCollector _collector;
    private ScriptOptions _options;
    private ScriptState<object>? _state;
    private int _executionCount;
    private readonly HashSet<string> _referencedPaths = new(StringComparer.Ordinal);

    public ScriptKernel(string notebookFolder, Func<(string Stdout, string Stderr)> takeConsoleText)
    {
        _notebookFolder = notebookFolder;
        _collector = new OutputCollector(takeConsoleText);
        _options = ScriptOptions.Default
            .WithLanguageVersion(LanguageVersion.Latest)
            .WithAllowUnsafe(true)
            .WithImports(DefaultImports)
            .WithReferences(FrameworkReferences())
            .AddReferences(
                typeof(Microsoft.DotNet.Interactive.Formatting.Formatter).Assembly,
                typeof(Microsoft.AspNetCore.Html.IHtmlContent).Assembly,
                typeof(KernelGlobals).Assembly)
            // Portable PDBs for each cell: runtime errors then carry "cell N:line L".
            .WithEmitDebugInformation(true)
            .WithFileEncoding(Encoding.UTF8);
    }

    /// <summary>Compiles and runs the kernel's prelude; this is where Roslyn warms up.</summary>
    public async Task StartAsync()
    {
        var script = CSharpScript.Create(KernelPrelude, _options.WithFilePath("prelude"), typeof(KernelGlobals));
        _state = await script.RunAsync(_globals);
    }

    /// <summary>Runs one code cell in the notebook's script state.</summary>
    public async Task<CellOutcome> RunCellAsync(NotebookCell cell)
    {
        if (_state is null) await StartAsync();
        var clock = Stopwatch.StartNew();
        _collector.Clear();
        _globals.Collector = _collector;
        _globals.CellGeneration++;
        var count = ++_executionCount;

        var (failure, line) = await ExecuteAsync(cell, count);
        _collector.FlushConsole();
        var outputs = _collector.Outputs.ToList();
        var status = (failure, cell.RaisesException) switch
        {
            (null, false) => CellStatus.Ok,
            (null, true) => CellStatus.Failed,
            (_, true) => CellStatus.RaisedAsExpected,
            (_, false) => CellStatus.Failed,
        };
        if (failure is null && cell.RaisesException)
            failure = "the cell is tagged raises-exception but ran without an error";
        return new CellOutcome(status, outputs, count, clock.Elapsed, failure, line);
    }

    /// <returns>The failure (null when the cell ran cleanly) and the line it points at.</returns>
    private async Task<(string? Failure, int? Line)> ExecuteAsync(NotebookCell cell, int count)
    {
        try
        {
            var prepared = MagicLines.Prepare(cell.Source, _notebookFolder);
            // A package named again in a later cell (as notebooks often do) is referenced once.
            var added = prepared.AssemblyPaths.Where(_referencedPaths.Add).ToList();
            if (added.Count > 0)
                _options = _options.AddReferences(added.Select(p => MetadataReference.CreateFromFile(p)));
            if (prepared.Packages.Contains("Plotly.NET.Interactive", StringComparer.OrdinalIgnoreCase))
                PlotlyCharts.RegisterFormatter();

            var options = _options.WithFilePath(CellFileName(cell));
            _state = await _state!.ContinueWithAsync(prepared.Code, options, catchException: _ => true);
            if (_state.Exception is { } exception)
                return RuntimeFailure(exception, cell);
            if (HasReturnValue(_state.Script) && _state.ReturnValue is not DisplayedValue)
                _collector.Add(NbOutput.ExecuteResult(ValueFormatting.Format(_state.ReturnValue), count));
            return (null, null);
        }
        catch (MagicLineException e)
        {
            _collector.Add(NbOutput.Error("MagicCommandError", $"line {e.Line}: {e.Message}", [$"line {e.Line}: {e.Message}"]));
            return ($"line {e.Line}: {e.Message}", e.Line);
        }
        catch (CompilationErrorException e)
        {
            var errors = e.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(Describe).ToList();
            _collector.Add(NbOutput.Error("CompilationError", errors[0].Text, errors.Select(x => x.Text)));
            return (string.Join("\n", errors.Select(x => x.Text)), errors[0].Line);
        }
    }

    private static string CellFileName(NotebookCell cell) => $"cell {cell.Number}";

    private (string, int?) RuntimeFailure(Exception exception, NotebookCell cell)
    {
        var frame = new StackTrace(exception, fNeedFileInfo: true).GetFrames()
            .FirstOrDefault(f => f.GetFileName() == CellFileName(cell));
        int? line = frame?.GetFileLineNumber() is > 0 and var l ? l : null;
        var traceback = CleanTraceback(exception);
        _collector.Add(NbOutput.Error(exception.GetType().Name, exception.Message, traceback));
        var where = line is null ? "" : $"line {line}: ";
        return ($"{where}{exception.GetType().FullName}: {exception.Message}", line);
    }

    /// <summary>
    /// The exception as .NET prints it, without the runner's and Roslyn's own frames
    /// (they say nothing about the notebook and would differ between machines).
    /// </summary>
    internal static IReadOnlyList<string> CleanTraceback(Exception exception)
    {
        static bool IsHostFrame(string line) =>
            line.TrimStart().StartsWith("at Microsoft.CodeAnalysis.", StringComparison.Ordinal)
            || line.TrimStart().StartsWith("at JitNotebooks.Runner.", StringComparison.Ordinal);
        var lines = exception.ToString().Split('\n').Select(l => l.TrimEnd('\r')).Where(l => !IsHostFrame(l)).ToList();
        // A trailing "--- End of stack trace ---" marker is left with nothing after it.
        while (lines.Count > 0 && lines[^1].TrimStart().StartsWith("--- End of stack trace", StringComparison.Ordinal))
            lines.RemoveAt(lines.Count - 1);
        return lines;
    }

    private static (string Text, int Line) Describe(Diagnostic d)
    {
        var position = d.Location.GetLineSpan().StartLinePosition;
        return ($"line {position.Line + 1}, column {position.Character + 1}: error {d.Id}: {d.GetMessage()}", position.Line + 1);
    }

    /// <summary>
    /// Whether the cell ends in an expression with a value (no semicolon, not void): the kernel
    /// shows it as the cell's result. Roslyn keeps this internal, so it is read from the syntax.
    /// </summary>
    private static bool HasReturnValue(Script script)
    {
        var compilation = script.GetCompilation();
        var tree = compilation.SyntaxTrees.LastOrDefault();
        if (tree?.GetRoot() is not CompilationUnitSyntax root
            || root.Members.LastOrDefault() is not GlobalStatementSyntax { Statement: ExpressionStatementSyntax { SemicolonToken.IsMissing: true } statement })
            return false;
        var type = compilation.GetSemanticModel(tree).GetTypeInfo(statement.Expression).Type;
        return type is null || type.SpecialType != SpecialType.System_Void;
    }

    /// <summary>The shared framework's assemblies: what a kernel process can use without a #r.</summary>
    private static IEnumerable<MetadataReference> FrameworkReferences()
    {
        var runtimeFolder = RuntimeEnvironment.GetRuntimeDirectory();
        return ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(p => p.StartsWith(runtimeFolder, StringComparison.Ordinal))
            .Select(p => MetadataReference.CreateFromFile(p));
    }
}
