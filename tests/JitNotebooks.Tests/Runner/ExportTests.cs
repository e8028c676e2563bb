using System.Diagnostics;
using JitNotebooks.Export.Apps;
using JitNotebooks.Runner.Host;
using JitNotebooks.Runner.Notebooks;
using JitNotebooks.Tests.Course;
using JitNotebooks.Export.Notebooks;

namespace JitNotebooks.Tests.Runner;

/// <summary>
/// --export-cs: every course notebook as a .NET 10 file-based app that `dotnet run` runs, printing
/// what the runner prints for the notebook. Exported inside the repository (artifacts/, as a learner's
/// out/ would be) so the repository's build settings are in force, and `dotnet run` can reuse its
/// build of an unchanged file from one test run to the next.
/// </summary>
public sealed class ExportedCourse : IAsyncLifetime
{
    public static string Folder => Path.Combine(RunnerHarness.RepoRoot, "artifacts", "export-cs-tests");

    public CourseRun Runner { get; private set; } = null!;
    public string ExportOutput { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var (exit, stdout, stderr) = await RunnerHarness.RunCliAsync("--export-cs", Folder);
        Assert.True(exit == 0, stdout + stderr);
        ExportOutput = stdout;
        (Runner, _) = await RunnerHarness.RunAsync([]);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>`dotnet run file.cs`, stdout and stderr in one stream as a terminal shows them.</summary>
    public static async Task<(int ExitCode, string Output)> DotnetRunAsync(string file)
    {
        var info = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, WorkingDirectory = RunnerHarness.RepoRoot };
        foreach (var arg in new[] { "-c", "exec dotnet run \"$0\" 2>&1", file }) info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        // The compiler's warnings, shown when dotnet run builds the app, are not the program's output.
        return (process.ExitCode, System.Text.RegularExpressions.Regex.Replace(output, @"(?m)^\S+\.cs\(\d+,\d+\): warning CS\d+: .*\n", ""));
    }

    /// <summary>What the runner printed for the notebook's cells, without its indentation and cell lines.</summary>
    public static string RunnerText(NotebookRun run)
    {
        var text = new System.Text.StringBuilder();
        foreach (var cell in run.Cells.Where(c => c.Status is CellStatus.Ok or CellStatus.RaisedAsExpected))
        {
            // The kernel's package restore shows itself; an app restores when it is built.
            foreach (var output in cell.Outcome.Outputs.Where(o => o["output_type"]!.ToString() != "error" && !IsPackageDisplay(o)))
                text.Append(TerminalText.Of(output));
            if (cell.Status == CellStatus.RaisedAsExpected) text.Append(cell.Outcome.Failure).Append('\n');
        }
        return text.ToString();
    }

    private static bool IsPackageDisplay(System.Text.Json.Nodes.JsonObject output) =>
        RunnerHarness.Text(output["data"]?["text/html"]) is var html && (html.Contains("<strong>Installed Packages</strong>") || html.Contains("<strong>Restore sources</strong>"));
}

public class ExportTests(ExportedCourse course) : IClassFixture<ExportedCourse>
{
    public static TheoryData<string> CourseNotebooks() => CourseFiles.Names();

    [Theory]
    [MemberData(nameof(CourseNotebooks))]
    public async Task Every_exported_course_notebook_runs_and_prints_what_the_runner_prints(string name)
    {
        var app = Path.Combine(ExportedCourse.Folder, Path.ChangeExtension(name, ".cs"));
        Assert.Contains($"exported to {app}", course.ExportOutput);
        var (exit, output) = await ExportedCourse.DotnetRunAsync(app);
        Assert.True(exit == 0, $"dotnet run {app} exited with {exit}:\n{output}");
        var runner = course.Runner.Notebook(name);
        Assert.True(runner.Succeeded, $"the runner's own run of {name} failed: {string.Join("; ", runner.Failures())}");
        var expected = OutputSanitizer.Course.Apply(ExportedCourse.RunnerText(runner)).Split('\n');
        var actual = OutputSanitizer.Course.Apply(output).Split('\n');
        var line = Enumerable.Range(0, Math.Max(expected.Length, actual.Length))
            .FirstOrDefault(i => i >= expected.Length || i >= actual.Length || expected[i] != actual[i], -1);
        if (line >= 0)
            Assert.Fail($"{name}: line {line + 1} of the app's output differs from the runner's:\n" +
                        $"runner: {(line < expected.Length ? expected[line] : "(ends)")}\napp:    {(line < actual.Length ? actual[line] : "(ends)")}");
    }

    [Fact]
    public async Task The_exported_calling_notebook_prints_hello_world()
    {
        var (exit, output) = await ExportedCourse.DotnetRunAsync(Path.Combine(ExportedCourse.Folder, "06-calling-the-code.cs"));
        Assert.Equal(0, exit);
        Assert.Contains("Hello World!", output);
    }
}

/// <summary>How cells become a program: read as scripts (as the kernel reads them), placed where a program needs them.</summary>
public class FileBasedAppTests
{
    private static string Export(params (string Type, string Source, string[]? Tags)[] cells)
    {
        using var temp = new RunnerHarness.TempFolder();
        var json = new System.Text.Json.Nodes.JsonArray(cells.Select(c => (System.Text.Json.Nodes.JsonNode)new System.Text.Json.Nodes.JsonObject
        {
            ["cell_type"] = c.Type,
            ["metadata"] = c.Tags is null ? new System.Text.Json.Nodes.JsonObject() : new System.Text.Json.Nodes.JsonObject { ["tags"] = new System.Text.Json.Nodes.JsonArray(c.Tags.Select(t => (System.Text.Json.Nodes.JsonNode)t).ToArray()) },
            ["source"] = c.Source,
            ["outputs"] = new System.Text.Json.Nodes.JsonArray(),
            ["execution_count"] = null,
        }).ToArray());
        var path = temp.File("n.ipynb");
        File.WriteAllText(path, new System.Text.Json.Nodes.JsonObject { ["cells"] = json, ["metadata"] = new System.Text.Json.Nodes.JsonObject(), ["nbformat"] = 4, ["nbformat_minor"] = 4 }.ToJsonString());
        var read = NotebookFile.Load(path).Cells.Select(c => new AppCell(c.Number, c.IsCode, c.KernelName, c.Source, c.RaisesException)).ToList();
        return FileBasedApp.Export(path, read, temp.File("out"));
    }

    private static (string, string, string[]?) Code(string source, params string[] tags) => ("code", source, tags.Length == 0 ? null : tags);

    [Fact]
    public void Package_references_become_package_directives_and_markdown_comments()
    {
        var app = Export(("markdown", "# Title\nSome *text*.", null), Code("#r \"nuget: Iced, 1.22.0\"\n#r \"nuget:Markdig\"\nusing Iced.Intel;\nvar x = 1;"));
        Assert.StartsWith("// n.ipynb as a .NET 10 file-based app", app);
        Assert.Contains("\n#:package Iced@1.22.0\n#:package Markdig@*\n", app);
        Assert.Contains("\nusing Iced.Intel;\n", app);
        Assert.True(app.IndexOf("#:package", StringComparison.Ordinal) < app.IndexOf("using System;", StringComparison.Ordinal));
        Assert.Contains("// # Title\n// Some *text*.\n", app);
        Assert.Contains("// #r \"nuget: Iced, 1.22.0\"\n// #r \"nuget:Markdig\"\nvar x = 1;", app);
    }

    [Fact]
    public void The_course_librarys_dll_becomes_its_project_and_a_bare_dll_an_error_saying_why()
    {
        var app = Export(Code($"#r \"{RunnerHarness.RepoRoot}/artifacts/bin/JitNotebooks/debug/JitNotebooks.dll\"\n#r \"/opt/elsewhere/Some.dll\""));
        Assert.Matches(@"\n#:project [./]*.*lib/JitNotebooks/JitNotebooks\.csproj\n", app);
        Assert.Contains("#error #r \"/opt/elsewhere/Some.dll\": a file-based app references packages (#:package) and projects (#:project), not a bare DLL", app);
    }

    [Fact]
    public void Script_parts_move_where_a_program_needs_them()
    {
        var app = Export(
            Code("record Point(int X, int Y);\npublic static int Twice(int x) => 2 * x;\nint answer = Twice(21);"),
            Code("using System.Text.Json;\nConsole.WriteLine(answer);\nnew Point(1, 2)"),
            Code("throw new InvalidOperationException(\"on purpose\");", "raises-exception"));
        var types = app.IndexOf("// ── types declared in the cells", StringComparison.Ordinal);
        Assert.True(app.IndexOf("record Point(int X, int Y);", StringComparison.Ordinal) > types);
        Assert.Contains("\nstatic int Twice(int x) => 2 * x;", app); // a local function: no access modifier
        Assert.Contains("\nint answer = Twice(21);", app);
        Assert.Contains("\nusing System.Text.Json;\n", app[..app.IndexOf("static class Notebook", StringComparison.Ordinal)]);
        Assert.Contains("ShowResult(() => new Point(1, 2));", app);
        Assert.Contains("try\n{\nthrow new InvalidOperationException(\"on purpose\");\n}\ncatch (Exception e) { ShowRaised(e); }", app);
    }

    [Fact]
    public void Cells_of_other_kernels_and_magics_are_comments()
    {
        var app = Export(Code("#!fsharp\nlet x = 1"), Code("#!time\nConsole.WriteLine(1);"), Code("#!csharp\nConsole.WriteLine(2);"));
        Assert.Contains("// a fsharp cell, not exported: #!fsharp\n// let x = 1\n", app);
        Assert.Contains("// #!time (a kernel magic command: not exported)\nConsole.WriteLine(1);", app);
        Assert.DoesNotContain("#!csharp", app);
    }

    [Fact]
    public async Task What_is_not_a_notebook_is_refused_and_an_unwritable_folder_said_so()
    {
        using var temp = new RunnerHarness.TempFolder();
        var (exit, stdout, _) = await RunnerHarness.RunCliAsync("--export-cs", temp.Path, RunnerHarness.Variant("15-python.ipynb"), RunnerHarness.Refused("not-json.ipynb"));
        Assert.Equal(1, exit);
        Assert.Contains("15-python.ipynb: refused: its kernelspec is \"python3\"", stdout);
        Assert.Contains("not-json.ipynb: refused: it is not JSON", stdout);
        Assert.Empty(Directory.GetFiles(temp.Path)); // nothing written for a refused file
        var blocked = temp.File("a-file-not-a-folder");
        File.WriteAllText(blocked, "");
        (exit, stdout, _) = await RunnerHarness.RunCliAsync("--export-cs", blocked, RunnerHarness.Kernel("deterministic.ipynb"));
        Assert.Equal(1, exit);
        Assert.Contains($"deterministic.ipynb: refused: cannot write its app in {blocked}", stdout);
    }

    [Fact(Timeout = 300_000)]
    public async Task An_exported_notebook_runs_with_dotnet_run_as_the_kernel_ran_it()
    {
        using var temp = new RunnerHarness.TempFolder();
        var notebook = temp.File("features.ipynb");
        File.Copy(Path.Combine(RunnerHarness.Fixtures, "export", "features.ipynb"), notebook);
        var (run, _) = await RunnerHarness.RunAsync(["--jobs", "1", notebook]);
        Assert.True(run.Succeeded);
        var (exit, stdout, _) = await RunnerHarness.RunCliAsync("--export-cs", temp.File("out"), notebook);
        Assert.Equal(0, exit);
        Assert.Contains("exported to " + temp.File("out/features.cs"), stdout);
        var (code, output) = await ExportedCourse.DotnetRunAsync(temp.File("out/features.cs"));
        Assert.True(code == 0, output);
        Assert.Equal(ExportedCourse.RunnerText(run.Notebooks[0]), output);
    }
}
