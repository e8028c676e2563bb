using System.Diagnostics;
using System.Text.Json.Nodes;
using JitNotebooks.Runner.Host;
using JitNotebooks.Runner.Notebooks;

namespace JitNotebooks.Tests.Runner;

/// <summary>Runs the runner on fixture notebooks: in-process (CourseRunner, which still starts worker
/// processes) or as the real command line.</summary>
internal static class RunnerHarness
{
    public static string RepoRoot { get; } = FindRepoRoot();
    public static string Fixtures => Path.Combine(RepoRoot, "tests", "JitNotebooks.Tests", "Runner", "Fixtures");

    /// <summary>Cells and what the runner shows for them; most carry the real kernel's outputs (make_fixtures.py).</summary>
    public static string Kernel(string name) => Path.Combine(Fixtures, "kernel", name);

    /// <summary>Notebooks shaped as tools and people save them.</summary>
    public static string Variant(string name) => Path.Combine(Fixtures, "variants", name);

    /// <summary>Cells that hang, crash or flood.</summary>
    public static string Hostile(string name) => Path.Combine(Fixtures, "hostile", name);

    /// <summary>Files that are not .NET notebooks.</summary>
    public static string Refused(string name) => Path.Combine(Fixtures, "refused", name);

    public static async Task<(CourseRun Run, string Output)> RunAsync(IReadOnlyList<string> args, string? currentFolder = null)
    {
        var output = new StringWriter();
        var run = await CourseRunner.RunAsync(RunnerOptions.Parse(args), output, currentFolder ?? RepoRoot);
        return (run, output.ToString());
    }

    /// <summary>The runner's apphost, as built next to the tests.</summary>
    public static string Executable
    {
        get
        {
            var dll = typeof(CourseRunner).Assembly.Location;
            return Path.ChangeExtension(dll, OperatingSystem.IsWindows() ? ".exe" : null);
        }
    }

    /// <summary>The command line itself, from the repository root.</summary>
    public static Task<(int ExitCode, string Stdout, string Stderr)> RunCliAsync(params string[] args) => RunCliAsync(args, null);

    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunCliAsync(IEnumerable<string> args, Dictionary<string, string>? environment, string? folder = null)
    {
        using var process = StartCli(args, environment, folder);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }

    public static Process StartCli(IEnumerable<string> args, Dictionary<string, string>? environment = null, string? folder = null)
    {
        var info = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = folder ?? RepoRoot,
        };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        foreach (var (name, value) in environment ?? []) info.Environment[name] = value;
        return Process.Start(info)!;
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

        public string File(string name) => System.IO.Path.Combine(Path, name);

        public void Dispose()
        {
            // A test may have made it read-only.
            if (!OperatingSystem.IsWindows())
                foreach (var dir in Directory.GetDirectories(Path, "*", SearchOption.AllDirectories).Append(Path))
                    System.IO.File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            Directory.Delete(Path, recursive: true);
        }
    }

    public static NotebookRun Notebook(this CourseRun run, string fileName) =>
        Assert.Single(run.Notebooks, n => Path.GetFileName(n.Path) == fileName);

    public static CellRun Cell(this NotebookRun run, string id) => Assert.Single(run.Cells, c => c.Cell.Id == id);

    public static CellRun Cell(this NotebookRun run, int number) => Assert.Single(run.Cells, c => c.Cell.Number == number);

    public static IEnumerable<JsonObject> OfType(this CellRun cell, string outputType) =>
        cell.Outcome.Outputs.Where(o => o["output_type"]!.ToString() == outputType);

    public static string Stdout(this CellRun cell) =>
        string.Concat(cell.OfType("stream").Where(o => o["name"]!.ToString() == "stdout").Select(o => Text(o["text"])));

    public static string Stderr(this CellRun cell) =>
        string.Concat(cell.OfType("stream").Where(o => o["name"]!.ToString() == "stderr").Select(o => Text(o["text"])));

    public static string Plain(JsonObject output) => Text(output["data"]!["text/plain"]);

    public static string Html(JsonObject output) => Text(output["data"]!["text/html"]);

    /// <summary>nbformat's multiline string, read independently of the runner's helper.</summary>
    public static string Text(JsonNode? node) => node is JsonArray a ? string.Concat(a.Select(l => (string)l!)) : (string?)node ?? "";

    public static CellStatus Status(this NotebookRun run, string id) => run.Cell(id).Status;

    /// <summary>The file's code cells as JSON, in order (to read stored outputs).</summary>
    public static JsonArray CellsOf(string path) => JsonNode.Parse(File.ReadAllText(path))!["cells"]!.AsArray();

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "JitNotebooks.sln"))) return dir.FullName;
        throw new InvalidOperationException("JitNotebooks.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>
/// The kernel/ and variants/ fixtures run once by the runner (two workers, as by default), shared by
/// the tests that read the results: starting workers is the slow part.
/// </summary>
public sealed class FixtureRun : IAsyncLifetime
{
    public CourseRun Run { get; private set; } = null!;
    public string Output { get; private set; } = "";

    /// <summary>Every fixture of the two folders but the local-feed one, which needs a feed built at test time.</summary>
    public static IEnumerable<string> Notebooks =>
        Directory.GetFiles(Path.Combine(RunnerHarness.Fixtures, "kernel"), "*.ipynb")
            .Concat(Directory.GetFiles(Path.Combine(RunnerHarness.Fixtures, "variants"), "*.ipynb"))
            .Where(p => !p.EndsWith("14-local-nuget-source.ipynb", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

    public async Task InitializeAsync() => (Run, Output) = await RunnerHarness.RunAsync(["--jobs", "2", .. Notebooks]);

    public Task DisposeAsync() => Task.CompletedTask;

    public NotebookRun Notebook(string name) => Run.Notebook(name);
}

[CollectionDefinition(Name)]
public sealed class FixtureCollection : ICollectionFixture<FixtureRun>
{
    public const string Name = "the runner's fixtures, run once";
}
