using System.Diagnostics;
using System.Text.Json.Nodes;
using JitNotebooks.Runner.Host;
using JitNotebooks.Tests.Tools;

namespace JitNotebooks.Tests.Runner;

/// <summary>--write: the outputs go back into the file, and nothing else in it changes; the file is
/// always a complete notebook, the old or the new, whatever happens to the runner meanwhile.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")] // file modes, kill -9
public class WriteTests
{
    /// <summary>The notebook without what --write may change: outputs, execution counts, and ids it adds.</summary>
    private static JsonObject WithoutOutputs(JsonNode notebook, bool dropIds)
    {
        var copy = (JsonObject)notebook.DeepClone();
        foreach (var cell in copy["cells"]!.AsArray().OfType<JsonObject>())
        {
            cell.Remove("outputs");
            cell.Remove("execution_count");
            if (dropIds) cell.Remove("id");
        }
        return copy;
    }

    /// <summary>Jupyter's own validator (Debian's nbformat) must accept what the runner wrote.</summary>
    private static async Task AssertValidNotebookAsync(string path) =>
        await RequiredTools.RunAsync("/usr/bin/python3", ["-c", "import sys, nbformat; nbformat.validate(nbformat.read(sys.argv[1], as_version=4))", path], "/");

    [Theory]
    [InlineData("variants", "01-vscode-polyglot.ipynb")]
    [InlineData("variants", "07-nbformat-4.0-strings.ipynb")]
    [InlineData("variants", "08-nbformat-4.5-strings.ipynb")]
    [InlineData("variants", "12-markdown-raw-empty.ipynb")]
    [InlineData("variants", "16-windows-crlf.ipynb")]
    [InlineData("kernel", "deterministic.ipynb")]
    public async Task Only_outputs_and_execution_counts_change_and_jupyter_accepts_the_file(string folder, string name)
    {
        using var temp = RunnerHarness.CopyToTemp(Path.Combine(RunnerHarness.Fixtures, folder, name));
        var path = temp.File(name);
        var before = JsonNode.Parse(File.ReadAllText(path))!;
        var (run, _) = await RunnerHarness.RunAsync(["--write", "--jobs", "1", path]);
        var notebook = run.Notebook(name);
        Assert.True(notebook.Succeeded);
        var after = JsonNode.Parse(File.ReadAllText(path))!;
        var minor = before["nbformat_minor"]!.GetValue<int>();
        Assert.True(JsonNode.DeepEquals(WithoutOutputs(before, dropIds: minor >= 5), WithoutOutputs(after, dropIds: minor >= 5)),
            $"{name}: more than outputs changed:\n{after}");
        foreach (var cell in notebook.Cells)
        {
            var written = after["cells"]![cell.Cell.Index]!;
            Assert.True(JsonNode.DeepEquals(new JsonArray(cell.Outcome.Outputs.Select(o => o.DeepClone()).ToArray()), written["outputs"]));
            Assert.Equal(cell.Outcome.ExecutionCount, written["execution_count"]?.GetValue<int>());
        }
        // Ids: kept where they were; added (unique) only to nbformat 4.5 notebooks, which require them.
        var ids = after["cells"]!.AsArray().Select(c => c!["id"]?.GetValue<string>()).ToList();
        if (minor >= 5)
        {
            Assert.All(ids, id => Assert.Matches("^[a-zA-Z0-9_-]{1,64}$", id));
            Assert.Equal(ids.Count, ids.Distinct().Count());
            foreach (var (cell, i) in before["cells"]!.AsArray().Select((c, i) => (c!, i)))
                if (cell["id"] is { } id) Assert.Equal(id.GetValue<string>(), ids[i]);
        }
        else Assert.All(ids, Assert.Null);
        await AssertValidNotebookAsync(path);
    }

    [Theory]
    [InlineData("kernel/basics.ipynb")]
    [InlineData("kernel/packages.ipynb")]
    [InlineData("variants/12-markdown-raw-empty.ipynb")]
    public void The_file_is_laid_out_as_jupyter_lays_it_out(string fixture)
    {
        // make_fixtures.py writes these as nbformat does: json.dumps(indent=1, sort_keys=True, ensure_ascii=False).
        var text = File.ReadAllText(Path.Combine(RunnerHarness.Fixtures, fixture));
        Assert.Equal(text, JitNotebooks.Export.Notebooks.NotebookDocument.JupyterText(JsonNode.Parse(text)!));
    }

    [Fact]
    public async Task A_second_write_with_the_same_outputs_leaves_the_file_byte_for_byte_and_untouched()
    {
        using var temp = RunnerHarness.CopyToTemp(RunnerHarness.Kernel("deterministic.ipynb"));
        var path = temp.File("deterministic.ipynb");
        var (first, _) = await RunnerHarness.RunAsync(["--write", "--jobs", "1", path]);
        Assert.Equal(WriteResult.Written, first.Notebooks[0].Written);
        var bytes = File.ReadAllBytes(path);
        var stamp = File.GetLastWriteTimeUtc(path);
        var (second, output) = await RunnerHarness.RunAsync(["--write", "--jobs", "1", path]);
        Assert.Equal(WriteResult.Unchanged, second.Notebooks[0].Written);
        Assert.Contains($"outputs unchanged in {path}", output);
        Assert.Equal(bytes, File.ReadAllBytes(path));
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(path));
    }

    [Fact]
    public async Task Cells_after_a_failure_lose_their_old_outputs()
    {
        // The fixture holds the real kernel's outputs, run with --allow-errors: its last cell printed "never runs".
        using var temp = RunnerHarness.CopyToTemp(RunnerHarness.Kernel("compile-error.ipynb"));
        var path = temp.File("compile-error.ipynb");
        Assert.Contains("never runs", RunnerHarness.CellsOf(path)[2]!["outputs"]!.ToJsonString());
        var (run, _) = await RunnerHarness.RunAsync(["--write", "--jobs", "1", path]);
        Assert.Equal(WriteResult.Written, run.Notebooks[0].Written);
        var later = RunnerHarness.CellsOf(path)[2]!;
        Assert.Empty(later["outputs"]!.AsArray());
        Assert.Null(later["execution_count"]);
        Assert.Equal("compilation error", RunnerHarness.CellsOf(path)[1]!["outputs"]![1]!["evalue"]!.ToString());
        await AssertValidNotebookAsync(path);
    }

    [Fact]
    public async Task A_read_only_file_is_not_written_exit_one_with_a_clear_error()
    {
        using var temp = RunnerHarness.CopyToTemp(RunnerHarness.Kernel("deterministic.ipynb"));
        var path = temp.File("deterministic.ipynb");
        var bytes = File.ReadAllBytes(path);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.GroupRead);
        var (exit, stdout, _) = await RunnerHarness.RunCliAsync("--write", path);
        Assert.Equal(1, exit);
        Assert.Contains($"{path} is read-only, so its outputs were not written; make it writable (chmod u+w) or run without --write", stdout);
        Assert.Equal(bytes, File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(temp.Path));
    }

    [Fact]
    public async Task A_file_in_a_read_only_folder_is_not_written_exit_one_with_a_clear_error()
    {
        using var temp = new RunnerHarness.TempFolder();
        var folder = Directory.CreateDirectory(temp.File("locked")).FullName;
        var path = Path.Combine(folder, "deterministic.ipynb");
        File.Copy(RunnerHarness.Kernel("deterministic.ipynb"), path);
        var bytes = File.ReadAllBytes(path);
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        var (exit, stdout, _) = await RunnerHarness.RunCliAsync("--write", path);
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Assert.Equal(1, exit);
        Assert.Contains($"{path} is in a read-only folder, so its outputs were not written; make {folder} writable", stdout);
        Assert.Equal(bytes, File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(folder));
    }

    [Fact(Timeout = 300_000)]
    public async Task Two_runs_writing_one_file_at_once_leave_one_complete_notebook()
    {
        using var temp = RunnerHarness.CopyToTemp(RunnerHarness.Kernel("deterministic.ipynb"));
        var path = temp.File("deterministic.ipynb");
        var runs = await Task.WhenAll(RunnerHarness.RunCliAsync("--write", path), RunnerHarness.RunCliAsync("--write", path));
        Assert.All(runs, r => Assert.True(r.ExitCode == 0, r.Stdout));
        var written = File.ReadAllText(path);
        // Both wrote the same outputs: one more run finds nothing to change.
        var (again, _) = await RunnerHarness.RunAsync(["--write", "--jobs", "1", path]);
        Assert.Equal(WriteResult.Unchanged, again.Notebooks[0].Written);
        Assert.Equal(written, File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(temp.Path));
    }

    /// <summary>Big outputs, so that writing takes long enough to be killed in the middle of it.</summary>
    private static string BigNotebook() =>
        """{"cells": [""" + string.Join(",", Enumerable.Range(0, 3).Select(i =>
            $$"""{"cell_type": "code", "execution_count": null, "id": "big{{i}}", "metadata": {}, "outputs": [], "source": ["var line = new string((char)('a' + {{i}}), 1000);\n", "for (var i = 0; i < 3000; i++) Console.WriteLine(line);"]}""")) +
        """], "metadata": {"kernelspec": {"display_name": ".NET (C#)", "language": "C#", "name": ".net-csharp"}}, "nbformat": 4, "nbformat_minor": 5}""";

    [Fact(Timeout = 600_000)]
    public async Task A_runner_killed_while_writing_leaves_the_old_or_the_new_complete_notebook()
    {
        using var temp = new RunnerHarness.TempFolder();
        var path = temp.File("big.ipynb");
        var old = BigNotebook();
        // The complete new notebook, from a run nobody interrupts.
        File.WriteAllText(path, old);
        Assert.Equal(0, (await RunnerHarness.RunCliAsync("--write", path)).ExitCode);
        var complete = File.ReadAllText(path);
        Assert.True(complete.Length > 9_000_000);

        int killedMidWrite = 0;
        foreach (var delay in new[] { 0, 0, 2, 5, 10, 20, 40 })
        {
            File.WriteAllText(path, old);
            using var runner = RunnerHarness.StartCli(["--write", "--jobs", "1", path]);
            _ = runner.StandardOutput.ReadToEndAsync();
            _ = runner.StandardError.ReadToEndAsync();
            // Kill -9 as soon as (or just after) the runner starts its temporary file.
            var clock = Stopwatch.StartNew();
            while (!runner.HasExited && Directory.GetFiles(temp.Path, ".big.ipynb.*.tmp").Length == 0 && clock.Elapsed < TimeSpan.FromMinutes(2))
                Thread.Sleep(1);
            Thread.Sleep(delay);
            var writing = Directory.GetFiles(temp.Path, ".big.ipynb.*.tmp").Length > 0;
            runner.Kill(entireProcessTree: true); // SIGKILL: no handler, no cleanup
            await runner.WaitForExitAsync();
            var now = File.ReadAllText(path);
            Assert.True(now == old || now == complete, $"after a kill {delay} ms into the write the file is neither the old nor the new notebook ({now.Length} chars)");
            if (writing && now == old) killedMidWrite++;
        }
        Assert.True(killedMidWrite > 0, "no kill landed while the runner was writing: the test proved nothing");

        // A killed run leaves its temporary file; the next write removes it (its process is gone).
        File.WriteAllText(path, old);
        Assert.Equal(0, (await RunnerHarness.RunCliAsync("--write", path)).ExitCode);
        Assert.Equal(complete, File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(temp.Path));
    }
}
