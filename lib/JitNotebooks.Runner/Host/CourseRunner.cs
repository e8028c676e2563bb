using System.Diagnostics;
using JitNotebooks.Runner.Kernel;
using JitNotebooks.Runner.Notebooks;

namespace JitNotebooks.Runner.Host;

/// <summary>
/// The runner's main job: find the notebooks, refuse the ones that are not course notebooks,
/// run each in its own worker process, report per cell, optionally write the outputs back.
/// </summary>
public static class CourseRunner
{
    public static async Task<CourseRun> RunAsync(RunnerOptions options, TextWriter output, string? currentFolder = null)
    {
        var clock = Stopwatch.StartNew();
        var report = new ConsoleReport(output);
        var paths = FindNotebooks(options.Paths, currentFolder ?? Directory.GetCurrentDirectory(), report);
        var runs = new List<NotebookRun>();
        foreach (var path in paths)
        {
            var run = await RunNotebookAsync(path, options, report);
            runs.Add(run);
            report.NotebookFinished(run);
        }
        var course = new CourseRun(runs, clock.Elapsed);
        report.Summary(course);
        return course;
    }

    private static async Task<NotebookRun> RunNotebookAsync(string path, RunnerOptions options, ConsoleReport report)
    {
        NotebookDocument notebook;
        try
        {
            notebook = NotebookDocument.Load(path);
        }
        catch (NotebookLoadException e)
        {
            report.NotebookStarted(path, null);
            return new NotebookRun(path, e.Problem + "; the file was left untouched", [], TimeSpan.Zero, TimeSpan.Zero);
        }
        report.NotebookStarted(path, notebook);
        var problems = NotebookFormat.Validate(notebook.Root);
        if (problems.Count > 0)
            return new NotebookRun(path, "not in the course's notebook format: " + string.Join("; ", problems) +
                "; the file was left untouched", [], TimeSpan.Zero, TimeSpan.Zero);

        var run = await new WorkerProcess(notebook, options.CellTimeout, report.CellFinished).RunAsync();
        if (options.Write)
        {
            foreach (var cell in run.Cells)
                notebook.SetOutputs(cell.Cell, cell.Outcome.Outputs, cell.Status == CellStatus.NotRun ? null : cell.Outcome.ExecutionCount);
            report.Written(path, notebook.Save());
        }
        return run;
    }

    /// <summary>The given files and folders' notebooks, or the repository's notebooks/ folder, in name order.</summary>
    internal static IReadOnlyList<string> FindNotebooks(IReadOnlyList<string> paths, string currentFolder, ConsoleReport report)
    {
        if (paths.Count == 0)
        {
            var folder = FindCourseFolder(currentFolder)
                ?? throw new UsageException($"no notebooks/ folder in {currentFolder} or above it; run from the repository or name the notebooks");
            var found = NotebooksIn(folder);
            if (found.Count == 0) report.Note($"no notebooks in {folder}");
            return found;
        }
        var result = new List<string>();
        foreach (var path in paths.Select(p => Path.GetFullPath(p, currentFolder)))
        {
            if (Directory.Exists(path)) result.AddRange(NotebooksIn(path));
            else if (File.Exists(path)) result.Add(path);
            else throw new UsageException($"{path} does not exist");
        }
        return result;
    }

    private static List<string> NotebooksIn(string folder) =>
        Directory.GetFiles(folder, "*.ipynb").Order(StringComparer.Ordinal).ToList();

    private static string? FindCourseFolder(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "notebooks");
            if (Directory.Exists(candidate)) return candidate;
        }
        return null;
    }
}
