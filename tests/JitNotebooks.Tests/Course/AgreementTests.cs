using System.Text.Json.Nodes;
using JitNotebooks.Runner.Host;
using JitNotebooks.Export.Notebooks;


namespace JitNotebooks.Tests.Course;

/// <summary>
/// The runner is only worth its name if it shows what the real kernel shows: every notebook, run
/// both ways, gives the same outputs cell by cell once what truly varies is masked (sanitize.cfg).
/// </summary>
[Collection(CourseCollection.Name)]
public class AgreementTests(CourseRunFixture runner, JupyterCourseFixture jupyter)
{
    [Theory]
    [MemberData(nameof(CourseFiles.Names), MemberType = typeof(CourseFiles))]
    public void The_runner_and_the_real_kernel_agree_cell_by_cell(string name)
    {
        var (notebook, failure) = jupyter.Results[name];
        Assert.True(notebook is not null, $"{name} failed in the real kernel:\n{failure}");
        var real = notebook!["cells"]!.AsArray();
        foreach (var cell in runner.Notebook(name).Cells)
        {
            var expected = real[cell.Cell.Index]!["outputs"]!.AsArray().Select(o => o!.AsObject());
            var difference = OutputSanitizer.Course.Difference(expected, cell.Outcome.Outputs);
            Assert.True(difference is null, $"{name}: cell {cell.Cell.Number}: the runner differs from the real kernel: {difference}");
        }
    }

    [Fact]
    public void An_edited_output_makes_the_comparison_fail_naming_the_output()
    {
        // The comparison itself must be able to fail: edit one stream output of a real run.
        var cell = runner.Run.Notebooks.SelectMany(n => n.Cells).First(c => c.Outcome.Outputs.Any(o => o["output_type"]!.ToString() == "stream"));
        var edited = cell.Outcome.Outputs.Select(o => (JsonObject)o.DeepClone()).ToList();
        var stream = edited.First(o => o["output_type"]!.ToString() == "stream");
        stream["text"] = NotebookDocument.MultilineText(stream["text"]) + "one more line\n";
        Assert.Null(OutputSanitizer.Course.Difference(cell.Outcome.Outputs, cell.Outcome.Outputs));
        var difference = OutputSanitizer.Course.Difference(cell.Outcome.Outputs, edited);
        Assert.NotNull(difference);
        Assert.Contains("one more line", difference);
    }
}
