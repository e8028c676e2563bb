using System.Text.Json.Nodes;
using JitNotebooks.Runner.Kernel;
using JitNotebooks.Runner.Notebooks;

namespace JitNotebooks.Tests.Runner;

/// <summary>Files the runner must refuse, and what `--write` stores.</summary>
public class RefusalAndWriteTests
{
    [Theory]
    [InlineData("not-json.ipynb", "is not valid JSON")]
    [InlineData("not-a-notebook.ipynb", "is not a Jupyter notebook")]
    [InlineData("bad-format.ipynb", "cell 1 has no \"id\"")]
    public async Task A_file_that_is_not_a_course_notebook_is_refused_and_left_byte_identical(string name, string reason)
    {
        using var temp = RunnerHarness.CopyToTemp(RunnerHarness.Failing(name));
        var folder = temp.Path;
        var path = Path.Combine(folder, name);
        var before = File.ReadAllBytes(path);
        var (run, output) = await RunnerHarness.RunAsync(["--write", path]);
        Assert.Equal(1, run.ExitCode);
        var refusal = Assert.Single(run.Notebook(name).Failures());
        Assert.Contains($"{name}: refused:", refusal);
        Assert.Contains(reason, refusal);
        Assert.Contains("left untouched", output);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal([name], Directory.GetFiles(folder).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Write_stores_nbformat_outputs_and_keeps_everything_else()
    {
        var source = Path.Combine(RunnerHarness.Course, "01-kernel-basics.ipynb");
        using var temp = RunnerHarness.CopyToTemp(source);
        var folder = temp.Path;
        var path = Path.Combine(folder, "01-kernel-basics.ipynb");
        var (run, _) = await RunnerHarness.RunAsync(["--write", path]);
        Assert.Equal(0, run.ExitCode);

        var original = JsonNode.Parse(File.ReadAllText(source))!;
        var written = JsonNode.Parse(File.ReadAllText(path))!;
        Assert.Empty(NotebookFormat.Validate(written));
        Assert.True(JsonNode.DeepEquals(original["metadata"], written["metadata"]));
        var before = original["cells"]!.AsArray();
        var after = written["cells"]!.AsArray();
        Assert.Equal(before.Count, after.Count);
        for (var i = 0; i < before.Count; i++)
        {
            // Everything but outputs and execution_count is as it was.
            var b = before[i]!.AsObject().DeepClone().AsObject();
            var a = after[i]!.AsObject().DeepClone().AsObject();
            foreach (var key in new[] { "outputs", "execution_count" }) { b.Remove(key); a.Remove(key); }
            Assert.True(JsonNode.DeepEquals(b, a), $"cell {i + 1} changed beyond its outputs");
        }

        var cells = after.Select(c => c!.AsObject()).ToDictionary(c => (string)c["id"]!);
        Assert.Equal([1, 2, 3, 4, 5, 6], new[] { "define", "use", "display", "types", "expected", "after" }.Select(id => (int)cells[id]["execution_count"]!));

        var use = cells["use"]["outputs"]!.AsArray();
        Assert.Equal("stream", (string)use[0]!["output_type"]!);
        Assert.Equal("stdout", (string)use[0]!["name"]!);
        Assert.Equal(["Hello, notebook\n", "1\n"], use[0]!["text"]!.AsArray().Select(l => (string)l!));
        Assert.Equal("execute_result", (string)use[1]!["output_type"]!);
        Assert.Equal(2, (int)use[1]!["execution_count"]!);
        Assert.Equal(["42"], use[1]!["data"]!["text/plain"]!.AsArray().Select(l => (string)l!));
        Assert.Empty(use[1]!["metadata"]!.AsObject());

        var display = cells["display"]["outputs"]!.AsArray();
        Assert.Equal("display_data", (string)display[0]!["output_type"]!);
        Assert.False(display[0]!.AsObject().ContainsKey("execution_count"));
        Assert.Equal("stderr", (string)display[1]!["name"]!);

        var error = Assert.Single(cells["expected"]["outputs"]!.AsArray())!;
        Assert.Equal("error", (string)error["output_type"]!);
        Assert.Equal("InvalidOperationException", (string)error["ename"]!);
        Assert.Equal("expected failure", (string)error["evalue"]!);
        Assert.Contains(error["traceback"]!.AsArray(), l => ((string)l!).Contains("cell 6:line 2"));

        Assert.False(after[0]!.AsObject().ContainsKey("outputs"), "markdown cells get no outputs");
    }

    [Fact]
    public async Task Write_twice_on_an_unchanged_notebook_gives_the_same_file()
    {
        using var temp = RunnerHarness.CopyToTemp(
            Path.Combine(RunnerHarness.Course, "01-kernel-basics.ipynb"),
            Path.Combine(RunnerHarness.Course, "04-chart.ipynb"));
        var folder = temp.Path;
        await RunnerHarness.RunAsync(["--write", folder]);
        var first = Directory.GetFiles(folder).Order().Select(File.ReadAllBytes).ToList();
        var (second, output) = await RunnerHarness.RunAsync(["--write", folder]);
        Assert.Equal(0, second.ExitCode);
        Assert.Equal(first, Directory.GetFiles(folder).Order().Select(File.ReadAllBytes).ToList());
        Assert.Contains("outputs unchanged", output);
        Assert.Equal(2, Directory.GetFiles(folder).Length);
    }

    [Fact]
    public async Task Write_clears_the_outputs_of_cells_not_run_after_a_failure()
    {
        using var temp = RunnerHarness.CopyToTemp(RunnerHarness.Failing("compile-error.ipynb"));
        var folder = temp.Path;
        var path = Path.Combine(folder, "compile-error.ipynb");
        var (run, _) = await RunnerHarness.RunAsync(["--write", path]);
        Assert.Equal(CellStatus.NotRun, run.Notebook("compile-error.ipynb").Status("later"));
        var cells = JsonNode.Parse(File.ReadAllText(path))!["cells"]!.AsArray();
        Assert.Equal("error", (string)cells[1]!["outputs"]![0]!["output_type"]!);
        Assert.Null(cells[2]!["execution_count"]);
        Assert.Empty(cells[2]!["outputs"]!.AsArray());
    }
}
