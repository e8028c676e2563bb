using System.Text.Json.Nodes;
using JitNotebooks.Runner.Host;
using JitNotebooks.Tests.Runner;
using JitNotebooks.Tests.Tools;

namespace JitNotebooks.Tests.Course;

/// <summary>The course's notebooks, in reading order.</summary>
public static class CourseFiles
{
    public static string Folder => Path.Combine(RunnerHarness.RepoRoot, "notebooks");

    public static IReadOnlyList<string> Notebooks =>
        Directory.GetFiles(Folder, "*.ipynb").Order(StringComparer.Ordinal).ToList();

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var path in Notebooks) data.Add(Path.GetFileName(path));
        return data;
    }

    /// <summary>The committed file's cells.</summary>
    public static JsonArray Cells(string name) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, name)))!["cells"]!.AsArray();
}

/// <summary>The whole course run once by the runner (no arguments, from the repository root), shared by the tests that read it.</summary>
public sealed class CourseRunFixture : IAsyncLifetime
{
    public CourseRun Run { get; private set; } = null!;
    public string Output { get; private set; } = "";

    public async Task InitializeAsync() => (Run, Output) = await RunnerHarness.RunAsync([]);

    public Task DisposeAsync() => Task.CompletedTask;

    public NotebookRun Notebook(string name) => Run.Notebook(name);
}

/// <summary>
/// The whole course run once in the real kernel as learners run it: Jupyter's nbconvert with the
/// .net-csharp kernel of the pinned dotnet-interactive tool, each notebook from its own folder.
/// One at a time: the tool binds an HTTP port from a fixed range, and two starting together collide.
/// </summary>
public sealed class JupyterCourseFixture : IAsyncLifetime
{
    private readonly DirectoryInfo _out = Directory.CreateTempSubdirectory("jitnotebooks-jupyter-");

    /// <summary>Each notebook's executed JSON, or the reason nbconvert failed.</summary>
    public Dictionary<string, (JsonObject? Notebook, string? Failure)> Results { get; } = [];

    public async Task InitializeAsync()
    {
        await RequiredTools.EnsureRealKernelAsync();
        // The notebooks #r the library from artifacts/: the runner's build (a project reference of these tests) made it.
        foreach (var path in CourseFiles.Notebooks)
        {
            var name = Path.GetFileName(path);
            Results[name] = await ExecuteAsync(path, _out.FullName);
        }
    }

    /// <summary>Executes one notebook with nbconvert into <paramref name="outputFolder"/>; the original is not touched.</summary>
    public static async Task<(JsonObject? Notebook, string? Failure)> ExecuteAsync(string path, string outputFolder)
    {
        string[] args = ["nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.kernel_name=.net-csharp",
            "--ExecutePreprocessor.timeout=600", "--output-dir", outputFolder, Path.GetFileName(path)];
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await RequiredTools.RunAsync("jupyter", args, Path.GetDirectoryName(path)!);
                return (JsonNode.Parse(File.ReadAllText(Path.Combine(outputFolder, Path.GetFileName(path))))!.AsObject(), null);
            }
            catch (InvalidOperationException e) when (attempt < 3 && e.Message.Contains("address already in use"))
            {
                await Task.Delay(2000); // another tool instance (not ours) held the port
            }
            catch (InvalidOperationException e)
            {
                return (null, e.Message);
            }
        }
    }

    public Task DisposeAsync()
    {
        _out.Delete(recursive: true);
        return Task.CompletedTask;
    }
}

/// <summary>The whole course run once more by the runner with --emulate: every JIT'd byte in the emulator.</summary>
public sealed class EmulatedCourseFixture : IAsyncLifetime
{
    public CourseRun Run { get; private set; } = null!;
    public string Output { get; private set; } = "";

    public async Task InitializeAsync() => (Run, Output) = await RunnerHarness.RunAsync(["--emulate"]);

    public Task DisposeAsync() => Task.CompletedTask;
}

[CollectionDefinition(Name)]
public sealed class CourseCollection : ICollectionFixture<CourseRunFixture>, ICollectionFixture<JupyterCourseFixture>, ICollectionFixture<EmulatedCourseFixture>
{
    public const string Name = "the course, run by the runner and by the real kernel";
}
