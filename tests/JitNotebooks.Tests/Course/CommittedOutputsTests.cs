using System.Text.Json.Nodes;
using JitNotebooks.Export.Charts;
using JitNotebooks.Runner.Host;
using JitNotebooks.Tests.Runner;
using JitNotebooks.Export.Notebooks;

namespace JitNotebooks.Tests.Course;

/// <summary>
/// The notebooks are committed with the outputs of a real run, so GitHub and every reader see
/// them; these tests keep them true (nbval's approach): a fresh run must give the committed outputs,
/// once what truly varies is masked by sanitize.cfg. Regenerate with the runner's --write.
/// </summary>
[Collection(CourseCollection.Name)]
public class CommittedOutputsTests(CourseRunFixture course)
{
    private const string Regenerate = "regenerate with: dotnet run --project lib/JitNotebooks.Runner -- --write";

    [Theory]
    [MemberData(nameof(CourseFiles.Names), MemberType = typeof(CourseFiles))]
    public void Every_code_cell_is_committed_with_the_outputs_of_a_run(string name)
    {
        foreach (var (cell, number) in CourseFiles.Cells(name).Select((c, i) => (c!.AsObject(), i + 1)))
            if (cell["cell_type"]!.GetValue<string>() == "code" && NotebookDocument.MultilineText(cell["source"]).Trim().Length > 0)
                Assert.True(cell["execution_count"] is not null, $"{name}: cell {number} was committed without running it; {Regenerate}");
    }

    [Theory]
    [MemberData(nameof(CourseFiles.Names), MemberType = typeof(CourseFiles))]
    public void The_committed_outputs_are_what_a_fresh_run_gives(string name)
    {
        var stale = Stale(name, CourseFiles.Cells(name), course.Notebook(name));
        Assert.True(stale is null, stale + "; " + Regenerate);
    }

    [Theory]
    [MemberData(nameof(CourseFiles.Names), MemberType = typeof(CourseFiles))]
    public void Committed_outputs_hold_no_path_of_the_machine_that_wrote_them(string name)
    {
        var text = File.ReadAllText(Path.Combine(CourseFiles.Folder, name));
        foreach (var machinePath in new[] { RunnerHarness.RepoRoot, "/home/", "/root/", "/tmp/", "C:\\\\Users" })
            Assert.False(text.Contains(machinePath, StringComparison.Ordinal), $"{name} contains \"{machinePath}\"");
    }

    [Theory]
    [MemberData(nameof(CourseFiles.Names), MemberType = typeof(CourseFiles))]
    public void Every_committed_chart_carries_a_picture_of_its_own_figure(string name)
    {
        var notebook = JsonNode.Parse(File.ReadAllText(Path.Combine(CourseFiles.Folder, name)))!.AsObject();
        foreach (var output in ChartImages.ChartOutputs(notebook))
        {
            var html = NotebookDocument.MultilineText(output["data"]!["text/html"]);
            var figure = Assert.Single(ChartImages.Figures(html));
            Assert.Contains($"{ChartImages.HashAttribute}=\"{ChartImages.FigureHash(figure.Json)}\"", html);
            Assert.StartsWith("iVBORw0KGgo", NotebookDocument.MultilineText(output["data"]!["image/png"])); // a PNG, base64
        }
    }

    /// <summary>The first cell whose committed outputs differ from the run's, in words; null when all agree.</summary>
    internal static string? Stale(string name, JsonArray committed, NotebookRun fresh)
    {
        foreach (var cell in fresh.Cells)
        {
            var stored = committed[cell.Cell.Index]!["outputs"]!.AsArray().Select(o => o!.AsObject());
            if (OutputSanitizer.Course.Difference(stored, cell.Outcome.Outputs) is { } difference)
                return $"{name}: cell {cell.Cell.Number}: the committed output is stale: {difference}";
        }
        return null;
    }
}

/// <summary>The staleness check itself, on a fixture: it passes on true outputs and fails on an edited one.</summary>
public class CommittedOutputsFixtureTests
{
    private static string Fixture(string name) => Path.Combine(RunnerHarness.RepoRoot, "tests", "JitNotebooks.Tests", "Course", "Fixtures", name);

    [Fact]
    public async Task True_committed_outputs_pass_and_an_edited_one_fails_naming_the_cell()
    {
        var path = Fixture("committed-outputs.ipynb");
        var (run, output) = await RunnerHarness.RunAsync([path]);
        Assert.True(run.Succeeded, output);
        var cells = JsonNode.Parse(File.ReadAllText(path))!["cells"]!.AsArray();
        Assert.Null(CommittedOutputsTests.Stale("committed-outputs.ipynb", cells, run.Notebooks[0]));

        // Edit the committed text of cell 2, as a lesson change without --write would leave it.
        var edited = cells.DeepClone().AsArray();
        var stream = edited[1]!["outputs"]![0]!;
        stream["text"] = NotebookDocument.MultilineText(stream["text"]).Replace("12 bytes", "13 bytes");
        var stale = CommittedOutputsTests.Stale("committed-outputs.ipynb", edited, run.Notebooks[0]);
        Assert.NotNull(stale);
        Assert.StartsWith("committed-outputs.ipynb: cell 2: the committed output is stale", stale);
        Assert.Contains("13 bytes", stale);
    }

    [Fact]
    public async Task What_truly_varies_is_masked_and_nothing_else()
    {
        // The fixture prints a fresh mmap address each run: masked. Its byte count is not.
        var path = Fixture("committed-outputs.ipynb");
        var first = await RunnerHarness.RunAsync([path]);
        var second = await RunnerHarness.RunAsync([path]);
        var a = first.Run.Notebooks[0].Cells[2].Outcome.Outputs;
        var b = second.Run.Notebooks[0].Cells[2].Outcome.Outputs;
        Assert.NotEqual(NotebookDocument.MultilineText(a[0]["text"]), NotebookDocument.MultilineText(b[0]["text"])); // two runs, two addresses
        Assert.Null(OutputSanitizer.Course.Difference(a, b));
    }

    [Fact]
    public void The_sanitize_file_is_read_as_nbval_reads_it_and_a_broken_rule_is_named()
    {
        Assert.Contains("mapped addresses", OutputSanitizer.Course.RuleNames);
        Assert.Equal("mapped at ADDRESS", OutputSanitizer.Course.Apply("mapped at 0x7f3a2c001000"));
        var e = Assert.Throws<FormatException>(() => OutputSanitizer.Parse("[broken]\nregex: ([a-z\nreplace: x\n"));
        Assert.Contains("[broken]", e.Message);
        Assert.Throws<FormatException>(() => OutputSanitizer.Parse("[no regex]\nreplace: x\n"));
    }
}
