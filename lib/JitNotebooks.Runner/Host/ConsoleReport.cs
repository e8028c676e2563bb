using System.Globalization;
using JitNotebooks.Export.Notebooks;

namespace JitNotebooks.Runner.Host;

/// <summary>What a person reads in the terminal: each notebook with its cells' output, then a summary with times.</summary>
internal sealed class ConsoleReport(TextWriter output)
{
    private const string Indent = "        ";

    public void Note(string text) => output.WriteLine(text);

    public void Notebook(NotebookRun run)
    {
        output.WriteLine();
        output.WriteLine($"== {run.Path}");
        foreach (var cell in run.Cells.Where(c => c.Status != CellStatus.NotRun))
            Cell(cell);
        if (run.Refusal is not null) output.WriteLine($"  REFUSED: {run.Refusal}");
        var notRun = run.Cells.Count(c => c.Status == CellStatus.NotRun && !string.IsNullOrWhiteSpace(c.Cell.Source));
        if (notRun > 0) output.WriteLine($"  {notRun} later cell(s) not run after the failure");
        if (run.ExportedTo is not null) output.WriteLine($"  exported to {run.ExportedTo} (run it: dotnet run {run.ExportedTo})");
        switch (run.Written)
        {
            case WriteResult.Written: output.WriteLine($"  wrote outputs to {run.Path}"); break;
            case WriteResult.Unchanged: output.WriteLine($"  outputs unchanged in {run.Path}"); break;
        }
        output.Flush();
    }

    private void Cell(CellRun run)
    {
        var status = run.Status switch
        {
            CellStatus.Ok => "ok",
            CellStatus.RaisedAsExpected => "raised, as expected",
            CellStatus.Skipped => "skipped",
            _ => "FAILED",
        };
        output.WriteLine(run.Status == CellStatus.Skipped
            ? $"  cell {run.Cell.Number,-3} skipped: {run.Outcome.Failure}"
            : $"  cell {run.Cell.Number,-3} {status} ({Ms(run.Outcome.Elapsed)})");
        var shown = run.Outcome.Outputs.Where(o => o["output_type"]?.ToString() != "error").Select(TerminalText.Of).ToList();
        foreach (var text in shown)
            WriteIndented(text);
        // A compile error's diagnostics are already on stderr: say it once.
        if (run.Status != CellStatus.Skipped && run.Outcome.Failure is { } failure && !shown.Any(t => t.Contains(failure, StringComparison.Ordinal)))
            WriteIndented(failure + "\n");
        if (run.Outcome.Stray is { } stray)
            WriteIndented("(written to the process's own stdout/stderr, outside the kernel; a notebook would not show it:)\n" + Head(stray, 20));
    }

    public void Summary(CourseRun course)
    {
        output.WriteLine();
        output.WriteLine("Summary");
        output.WriteLine($"  {"notebook",-40} {"cells",5} {"failed",6} {"first cell",11} {"other cells",12} {"total",9}");
        foreach (var run in course.Notebooks)
        {
            var ran = run.Cells.Where(c => c.Status is not (CellStatus.NotRun or CellStatus.Skipped)).ToList();
            var first = ran.FirstOrDefault()?.Outcome.Elapsed ?? TimeSpan.Zero;
            var others = ran.Skip(1).Aggregate(TimeSpan.Zero, (t, c) => t + c.Outcome.Elapsed);
            var failed = run.Refusal is not null ? "refused" : run.Cells.Count(c => c.Status == CellStatus.Failed).ToString(CultureInfo.InvariantCulture);
            output.WriteLine($"  {Path.GetFileName(run.Path),-40} {ran.Count,5} {failed,6} {Ms(first),11} {Ms(others),12} {Ms(run.Elapsed),9}");
        }
        var cells = course.Notebooks.Sum(n => n.Cells.Count(c => c.Status is not (CellStatus.NotRun or CellStatus.Skipped)));
        output.WriteLine($"  {course.Notebooks.Count} notebook(s), {cells} cell(s) run in {Ms(course.Elapsed)} ({course.Jobs} worker process(es))");
        var failures = course.Notebooks.SelectMany(n => n.Failures()).ToList();
        output.WriteLine(failures.Count == 0 ? "All cells ran as expected." : $"FAILED ({failures.Count}):");
        foreach (var failure in failures)
            output.WriteLine("  " + failure.Replace("\n", "\n    "));
        output.Flush();
    }

    /// <summary>The first lines of a long text (a stack overflow's trace runs to hundreds).</summary>
    private static string Head(string text, int lines)
    {
        var all = text.TrimEnd('\n').Split('\n');
        return all.Length <= lines ? text : string.Join('\n', all[..lines]) + $"\n[{all.Length - lines} more lines]";
    }

    private void WriteIndented(string text)
    {
        foreach (var line in text.TrimEnd('\n').Split('\n'))
            output.WriteLine(Indent + line);
    }

    private static string Ms(TimeSpan t) => t.TotalMilliseconds < 10_000
        ? string.Create(CultureInfo.InvariantCulture, $"{t.TotalMilliseconds:0} ms")
        : string.Create(CultureInfo.InvariantCulture, $"{t.TotalSeconds:0.0} s");
}
