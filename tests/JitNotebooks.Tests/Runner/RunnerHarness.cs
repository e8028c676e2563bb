using System.Diagnostics;
using System.Text.Json.Nodes;
using JitNotebooks.Runner.Host;
using JitNotebooks.Runner.Notebooks;

namespace JitNotebooks.Tests.Runner;

/// <summary>Runs the runner on fixture notebooks: in-process (CourseRunner, which still starts a worker
/// process per notebook) or as the real command line.</summary>
internal static class RunnerHarness
{
    public static string RepoRoot { get; } = FindRepoRoot();
    public static string Fixtures => Path.Combine(RepoRoot, "tests", "JitNotebooks.Tests", "Runner", "Fixtures");
    public static string Course => Path.Combine(Fixtures, "course");
    public static string Failing(string name) => Path.Combine(Fixtures, "failing", name);

    public static async Task<(CourseRun Run, string Output)> RunAsync(IReadOnlyList<string> args, string? currentFolder = null)
    {
        var output = new StringWriter();
        var run = await CourseRunner.RunAsync(RunnerOptions.Parse(args), output, currentFolder ?? RepoRoot);
        return (run, output.ToString());
    }

    /// <summary>The command line itself: the runner's apphost as built next to the tests.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunCliAsync(params string[] args)
    {
        var dll = typeof(CourseRunner).Assembly.Location;
        var info = new ProcessStartInfo(Path.ChangeExtension(dll, OperatingSystem.IsWindows() ? ".exe" : null))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepoRoot,
        };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Copies fixtures into a fresh temp folder, so `--write` never touches the repository.</summary>
    public static TempFolder CopyToTemp(params string[] files)
    {
        var folder = new TempFolder();
        foreach (var file in files) File.Copy(file, Path.Combine(folder.Path, System.IO.Path.GetFileName(file)));
        return folder;
    }

    /// <summary>A temporary folder, deleted with its files at the end of the test.</summary>
    public sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("jitnotebooks-tests-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }

    public static NotebookRun Notebook(this CourseRun run, string fileName) =>
        Assert.Single(run.Notebooks, n => Path.GetFileName(n.Path) == fileName);

    public static CellRun Cell(this NotebookRun run, string id) => Assert.Single(run.Cells, c => c.Cell.Id == id);

    public static IEnumerable<JsonObject> OfType(this CellRun cell, string outputType) =>
        cell.Outcome.Outputs.Where(o => o["output_type"]!.ToString() == outputType);

    public static string Stdout(this CellRun cell) =>
        string.Concat(cell.OfType("stream").Where(o => o["name"]!.ToString() == "stdout").Select(o => Text(o["text"])));

    public static string Stderr(this CellRun cell) =>
        string.Concat(cell.OfType("stream").Where(o => o["name"]!.ToString() == "stderr").Select(o => Text(o["text"])));

    public static string Plain(JsonObject output) => Text(output["data"]!["text/plain"]);

    /// <summary>nbformat's multiline string, read independently of the runner's helper.</summary>
    public static string Text(JsonNode? node) => node is JsonArray a ? string.Concat(a.Select(l => (string)l!)) : (string?)node ?? "";

    public static CellStatus Status(this NotebookRun run, string id) => run.Cell(id).Status;

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "JitNotebooks.sln"))) return dir.FullName;
        throw new InvalidOperationException("JitNotebooks.sln not found above " + AppContext.BaseDirectory);
    }
}
