using System.Text.Json.Nodes;
using JitNotebooks.Runner.Host;
using JitNotebooks.Runner.Notebooks;
using JitNotebooks.Tests.Course;
using JitNotebooks.Export.Notebooks;

namespace JitNotebooks.Tests.Runner;

/// <summary>
/// The fixtures make_fixtures.py ran in the real kernel (Jupyter, the pinned tool) carry its outputs:
/// the runner must show the same, cell by cell, once what truly varies is masked (the course's
/// sanitize.cfg: addresses, timings, submission numbers).
/// </summary>
[Collection(FixtureCollection.Name)]
public class RealKernelAgreementTests(FixtureRun fixtures)
{
    /// <summary>The fixtures with the real kernel's outputs stored in them.</summary>
    public static TheoryData<string> WithRealOutputs()
    {
        var data = new TheoryData<string>();
        foreach (var path in FixtureRun.Notebooks.Where(HasOutputs)) data.Add(Path.GetFileName(path));
        return data;
    }

    private static bool HasOutputs(string path) =>
        RunnerHarness.CellsOf(path).Any(c => c!["cell_type"]!.GetValue<string>() == "code" && c["execution_count"] is JsonValue);

    [Theory]
    [MemberData(nameof(WithRealOutputs))]
    public void The_runner_shows_what_the_real_kernel_showed(string name)
    {
        var run = fixtures.Notebook(name);
        var stored = RunnerHarness.CellsOf(run.Path);
        // Jupyter runs cells of kernels the runner skips (F#, PowerShell): the counts then differ.
        var skipsSome = run.Cells.Any(c => c.Status == CellStatus.Skipped);
        foreach (var cell in run.Cells.Where(c => c.Status is not (CellStatus.Skipped or CellStatus.NotRun)))
        {
            var expected = stored[cell.Cell.Index]!["outputs"]!.AsArray().Select(o => o!.AsObject()).ToList();
            var difference = OutputSanitizer.Course.Difference(expected, cell.Outcome.Outputs, ignoreExecutionCount: skipsSome);
            Assert.True(difference is null, $"{name}: cell {cell.Cell.Number}: the runner differs from the real kernel: {difference}");
            if (!skipsSome)
                Assert.Equal(stored[cell.Cell.Index]!["execution_count"]?.GetValue<int>(), cell.Outcome.ExecutionCount);
        }
        // After a failure the runner stops, as nbclient does by default; make_fixtures.py ran Jupyter with
        // --allow-errors, so cells after a failure have outputs there and are not compared.
    }

    [Fact]
    public void Most_fixtures_carry_the_real_kernels_outputs()
    {
        var count = FixtureRun.Notebooks.Count(HasOutputs);
        Assert.True(count >= 18, $"only {count} fixtures carry real-kernel outputs; run make_fixtures.py");
    }

    [Fact(Timeout = 600_000)]
    public async Task The_stored_outputs_are_what_the_real_kernel_shows_today()
    {
        // One fixture run again in Jupyter with the pinned tool: the stored outputs are the kernel's, not edited by hand.
        await Tools.RequiredTools.EnsureRealKernelAsync();
        using var temp = new RunnerHarness.TempFolder();
        var (executed, failure) = await JupyterCourseFixture.ExecuteAsync(RunnerHarness.Kernel("basics.ipynb"), temp.Path);
        Assert.True(executed is not null, failure);
        var stored = RunnerHarness.CellsOf(RunnerHarness.Kernel("basics.ipynb"));
        foreach (var (cell, i) in executed!["cells"]!.AsArray().Select((c, i) => (c!, i)).Where(c => c.Item1["cell_type"]!.ToString() == "code"))
        {
            var difference = OutputSanitizer.Course.Difference(stored[i]!["outputs"]!.AsArray().Select(o => o!.AsObject()),
                cell["outputs"]!.AsArray().Select(o => o!.AsObject()));
            Assert.True(difference is null, $"basics.ipynb: cell {i + 1}: the stored output is not what the real kernel shows: {difference}");
        }
    }

    [Fact]
    public void An_edited_stored_output_makes_the_comparison_fail()
    {
        var run = fixtures.Notebook("basics.ipynb");
        var cell = run.Cell("order");
        var stored = RunnerHarness.CellsOf(run.Path)[cell.Cell.Index]!["outputs"]!.AsArray().Select(o => (JsonObject)o!.DeepClone()).ToList();
        Assert.Null(OutputSanitizer.Course.Difference(stored, cell.Outcome.Outputs));
        var stream = stored.First(o => NotebookDocument.OutputType(o) == "stream" && o["name"]!.ToString() == "stdout");
        stream["text"] = NotebookDocument.MultilineText(stream["text"]).Replace("out 2", "out 3");
        Assert.Contains("out 3", OutputSanitizer.Course.Difference(stored, cell.Outcome.Outputs));
    }
}
