using System.Text.RegularExpressions;
using System.Text.Json.Nodes;
using JitNotebooks.Runner.Host;
using JitNotebooks.Runner.Notebooks;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Documents;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;
using NotebookDocument = JitNotebooks.Export.Notebooks.NotebookDocument;

namespace JitNotebooks.Runner.Worker;

/// <summary>
/// Runs cells in one kernel and turns its events into nbformat outputs exactly as the tool's Jupyter
/// front end does (dotnet/interactive's ExecuteRequestHandler): display and return values with every
/// MIME type, console text as streams, compiler diagnostics on stderr, a failure as an "Error" output
/// whose traceback starts with the exception.
/// </summary>
internal sealed partial class CellExecutor(Kernel kernel, Action<JsonObject, string?, bool> emit)
{
    /// <summary>What one cell may show (characters of output text): a runaway print loop must not exhaust memory.</summary>
    public const long OutputLimit = 4 << 20;

    private int _executionCount;
    private long _shown, _dropped;

    /// <summary>Runs one cell; outputs are emitted as they happen (so a cell that hangs keeps what it printed).</summary>
    public async Task<(CellStatus Status, int ExecutionCount, string? Failure)> RunAsync(NotebookCell cell)
    {
        int count = ++_executionCount;
        (_shown, _dropped) = (0, 0);
        // A `#!markdown` cell is the composite kernel's directive, not a kernel of its own.
        var command = cell.KernelName == "markdown"
            ? new SubmitCode(cell.Source.StartsWith("#!markdown") ? cell.Source : "#!markdown\n" + cell.Source)
            : new SubmitCode(cell.Source, cell.KernelName);
        int? line = null;
        using var subscription = kernel.KernelEvents.Subscribe(e =>
        {
            if (e is DiagnosticsProduced d && d.Diagnostics.FirstOrDefault(x => x.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error) is { } error)
                line ??= error.LinePositionSpan.Start.Line + 1;
            Emit(e, count);
        });
        var result = await kernel.SendAsync(command);
        if (_dropped > 0)
            emit(Outputs.Stream("stderr", $"[output truncated: {_dropped / 1048576.0:0.#} MB more]\n"), null, false);
        var failed = result.Events.OfType<CommandFailed>().FirstOrDefault();
        if (failed is null)
            return cell.RaisesException
                ? (CellStatus.Failed, count, "the cell is tagged raises-exception but ran without an error")
                : (CellStatus.Ok, count, null);
        line ??= failed.Exception is { StackTrace: { } trace } && SubmissionLine().Match(trace) is { Success: true } m ? int.Parse(m.Groups[1].Value) : null;
        var what = failed.Exception is null or CodeSubmissionCompilationErrorException
            ? failed.Message
            : $"{failed.Exception.GetType().FullName}: {failed.Exception.Message}";
        // A compiler message already starts with its "(line,column)".
        var failure = (line is { } l && !what.StartsWith('(') ? $"line {l}: " : "") + what.Trim();
        return (cell.RaisesException ? CellStatus.RaisedAsExpected : CellStatus.Failed, count, failure);
    }

    private void Emit(KernelEvent e, int count)
    {
        if (e is DisplayEvent shown && !Admit(shown.FormattedValues.Sum(v => (long)v.Value.Length))) return;
        switch (e)
        {
            case ReturnValueProduced { Value: DisplayedValue }:
                break; // the tool skips these: the value was already displayed
            case DisplayedValueProduced d:
                emit(WithJson(Outputs.ToJson(new DisplayElement(Data(d)))), d.ValueId, false);
                break;
            case DisplayedValueUpdated u:
                emit(WithJson(Outputs.ToJson(new DisplayElement(Data(u)))), u.ValueId, true);
                break;
            case ReturnValueProduced r:
                var result = new ReturnValueElement { ExecutionOrder = count };
                foreach (var (mime, value) in Data(r)) result.Data[mime] = value;
                emit(WithJson(Outputs.ToJson(result)), r.ValueId, false);
                break;
            case StandardOutputValueProduced o:
                emit(Outputs.Stream("stdout", PlainText(o)), null, false);
                break;
            case StandardErrorValueProduced or ErrorProduced:
                emit(Outputs.Stream("stderr", PlainText((DisplayEvent)e)), null, false);
                break;
            case DiagnosticsProduced { FormattedDiagnostics.Count: > 0 } d:
                var text = "\n" + string.Join("\n\n", d.FormattedDiagnostics.Select(v => v.Value)) + "\n\n";
                emit(Outputs.Stream("stderr", text), null, false);
                break;
            case CommandFailed f:
                emit(Outputs.ToJson(Error(f)), null, false);
                break;
        }
    }

    /// <summary>The tool's error output: "compilation error" when the diagnostics already said why.</summary>
    private static ErrorElement Error(CommandFailed failed)
    {
        var traceback = new List<string>();
        var message = failed.Message;
        switch (failed.Exception)
        {
            case CodeSubmissionCompilationErrorException:
                message = "compilation error";
                break;
            case null:
                traceback.Add(failed.Message);
                break;
            case var exception:
                traceback.Add(exception.ToString());
                traceback.AddRange((exception.StackTrace ?? "").Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries));
                break;
        }
        return new ErrorElement(message, "Error", [.. traceback]);
    }

    /// <summary>Counts what a cell shows; past <see cref="OutputLimit"/> outputs are dropped and only counted.</summary>
    private bool Admit(long size)
    {
        if (_dropped == 0 && _shown + size <= OutputLimit)
        {
            _shown += size;
            return true;
        }
        _dropped += size;
        return false;
    }

    private static Dictionary<string, object> Data(DisplayEvent e) =>
        e.FormattedValues.ToDictionary(v => v.MimeType, v => (object)v.Value);

    /// <summary>As the tool's front end does, JSON values are stored as JSON, not as a string of it.</summary>
    private static JsonObject WithJson(JsonObject output)
    {
        try
        {
            if (output["data"]?[JsonFormatter.MimeType] is { } json)
                output["data"]![JsonFormatter.MimeType] = JsonNode.Parse(NotebookDocument.MultilineText(json));
        }
        catch (System.Text.Json.JsonException) { } // not JSON after all: kept as text
        return output;
    }

    private static string PlainText(DisplayEvent e) =>
        e.FormattedValues.FirstOrDefault(v => v.MimeType == PlainTextFormatter.MimeType)?.Value ?? e.Value?.ToString() ?? "";

    [GeneratedRegex(@"Submission#\d+.*:line (\d+)")]
    private static partial Regex SubmissionLine();
}
