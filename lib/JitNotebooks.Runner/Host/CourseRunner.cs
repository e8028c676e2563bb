using System.Diagnostics;
using JitNotebooks.Export.Apps;
using JitNotebooks.Runner.Notebooks;

namespace JitNotebooks.Runner.Host;

/// <summary>
/// The runner's main job: find the notebooks, refuse what is not one, run them on a pool of warm
/// worker processes (each notebook in a fresh kernel), report each notebook in order, and write
/// the outputs back when asked.
/// </summary>
public static class CourseRunner
{
    public static async Task<CourseRun> RunAsync(RunnerOptions options, TextWriter output, string? currentFolder = null)
    {
        var clock = Stopwatch.StartNew();
        var report = new ConsoleReport(output);
        var paths = FindNotebooks(options.Paths, currentFolder ?? Directory.GetCurrentDirectory(), report);
        if (options.ExportFolder is { } exportFolder)
            return Export(paths, Path.GetFullPath(exportFolder, currentFolder ?? Directory.GetCurrentDirectory()), report, clock);
        await using var publishing = new Publishing(options, report);
        var environment = new Dictionary<string, string>();
        if (options.Emulate) environment[RunnerOptions.EmulateVariable] = "1";

        var runs = new NotebookRun?[paths.Count];
        var printed = 0;
        var printLock = new SemaphoreSlim(1, 1);
        var next = -1;
        int jobs = Math.Max(1, Math.Min(options.Jobs, paths.Count));
        var slots = Enumerable.Range(0, jobs).Select(async _ =>
        {
            // Started before the first notebook is read, so workers warm up in parallel.
            var worker = WorkerClient.Start(options.CellTimeout, environment);
            var used = false;
            try
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < paths.Count)
                {
                    if (!worker.IsAlive || (used && !ReusesWorkers(options)))
                    {
                        worker.Dispose(); // it crashed or was killed in the previous notebook
                        worker = WorkerClient.Start(options.CellTimeout, environment);
                    }
                    runs[i] = await RunOneAsync(paths[i], options, worker, publishing);
                    used = true;
                    // Print every finished notebook whose predecessors are printed: in order, as soon as possible.
                    await printLock.WaitAsync();
                    try
                    {
                        while (printed < runs.Length && runs[printed] is { } run)
                        {
                            report.Notebook(run);
                            printed++;
                        }
                    }
                    finally { printLock.Release(); }
                }
            }
            finally { worker.Dispose(); }
        }).ToList();
        await Task.WhenAll(slots);

        var finished = runs.Select(r => r!).ToList();
        var published = await publishing.PublishAsync(finished);
        var course = new CourseRun(finished, clock.Elapsed, jobs) { Published = published };
        report.Summary(course);
        return course;
    }

    /// <summary>--export-cs: each notebook as a file-based app; nothing runs.</summary>
    private static CourseRun Export(IReadOnlyList<string> paths, string folder, ConsoleReport report, Stopwatch clock)
    {
        var runs = new List<NotebookRun>();
        foreach (var path in paths)
        {
            var run = new NotebookRun(path, null, [], TimeSpan.Zero);
            try
            {
                var cells = NotebookFile.Load(path).Cells.Select(c => new AppCell(c.Number, c.IsCode, c.KernelName, c.Source, c.RaisesException)).ToList();
                run = run with { ExportedTo = FileBasedApp.Write(path, cells, folder) };
            }
            catch (Exception e) when (e is NotebookRefusedException or IOException or UnauthorizedAccessException)
            {
                run = run with { Refusal = e is NotebookRefusedException ? e.Message + "; the file was left untouched" : $"cannot write its app in {folder} ({e.Message})" };
            }
            report.Notebook(run);
            runs.Add(run);
        }
        var course = new CourseRun(runs, clock.Elapsed, 0);
        report.Summary(course);
        return course;
    }

    private static async Task<NotebookRun> RunOneAsync(string path, RunnerOptions options, WorkerClient worker, Publishing publishing)
    {
        NotebookFile notebook;
        try
        {
            notebook = NotebookFile.Load(path);
        }
        catch (NotebookRefusedException e)
        {
            return new NotebookRun(path, e.Message + "; the file was left untouched", [], TimeSpan.Zero);
        }
        return await publishing.StoreAsync(notebook, await worker.RunAsync(notebook, options.Strict));
    }

    /// <summary>
    /// Whether one worker may run notebook after notebook. Not when JIT'd code is emulated: the course
    /// library says "running in the emulator" once per process, as it would once per notebook in the
    /// real kernel (a process per notebook), so each notebook gets a fresh process there.
    /// </summary>
    private static bool ReusesWorkers(RunnerOptions options) =>
        !options.Emulate && OperatingSystem.IsLinux() && System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.X64;

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
