using System.Text.Json.Nodes;
using JitNotebooks.Runner.Notebooks;
using JitNotebooks.Export.Notebooks;


namespace JitNotebooks.Tests.Course;

/// <summary>
/// The course in the kernel learners run (VS Code's Polyglot extension and Jupyter run the same
/// dotnet-interactive tool): every notebook green, nothing a learner should not see.
/// </summary>
[Collection(CourseCollection.Name)]
public class RealKernelTests(JupyterCourseFixture jupyter)
{
    private JsonArray Cells(string name)
    {
        var (notebook, failure) = jupyter.Results[name];
        Assert.True(notebook is not null, $"{name} failed in the real kernel (Jupyter, .net-csharp):\n{failure}");
        return notebook!["cells"]!.AsArray();
    }

    private static IEnumerable<(int Number, JsonObject Cell, JsonObject Output)> Outputs(JsonArray cells) =>
        cells.Select((c, i) => (Number: i + 1, Cell: c!.AsObject()))
            .Where(c => c.Cell["cell_type"]!.GetValue<string>() == "code")
            .SelectMany(c => c.Cell["outputs"]!.AsArray().Select(o => (c.Number, c.Cell, o!.AsObject())));

    private static bool RaisesException(JsonObject cell) =>
        cell["metadata"]?["tags"] is JsonArray tags && tags.Any(t => t?.GetValue<string>() == "raises-exception");

    [Theory]
    [MemberData(nameof(CourseFiles.Names), MemberType = typeof(CourseFiles))]
    public void Every_notebook_runs_green_in_the_real_kernel(string name)
    {
        foreach (var (number, cell, output) in Outputs(Cells(name)))
            if (output["output_type"]!.GetValue<string>() == "error")
                Assert.True(RaisesException(cell), $"{name}: cell {number} shows an error in the real kernel: {output["evalue"]}");
    }

    [Theory]
    [MemberData(nameof(CourseFiles.Names), MemberType = typeof(CourseFiles))]
    public void No_compiler_warning_reaches_a_learner(string name)
    {
        foreach (var (number, _, output) in Outputs(Cells(name)))
        {
            var text = NotebookDocument.MultilineText(output["text"]) + string.Concat((output["data"] as JsonObject ?? []).Select(p => NotebookDocument.MultilineText(p.Value)));
            Assert.False(text.Contains("warning CS", StringComparison.Ordinal), $"{name}: cell {number} shows a compiler warning:\n{text.Trim()}");
        }
    }

    [Theory]
    [MemberData(nameof(CourseFiles.Names), MemberType = typeof(CourseFiles))]
    public void Every_chart_cell_shows_a_chart(string name)
    {
        var cells = Cells(name);
        foreach (var (cell, number) in cells.Select((c, i) => (c!.AsObject(), i + 1)))
        {
            if (cell["cell_type"]!.GetValue<string>() != "code" || !NotebookDocument.MultilineText(cell["source"]).Contains("new Chart(")) continue;
            var html = cell["outputs"]!.AsArray().Select(o => NotebookDocument.MultilineText(o?["data"]?["text/html"]));
            Assert.True(html.Any(h => h.Contains("class=\"jitnb-chart\"")), $"{name}: cell {number} builds a chart but shows none in the real kernel");
        }
    }

    [Fact]
    public void The_course_has_charts_for_this_test_to_check() =>
        Assert.True(CourseFiles.Notebooks.Count(p => File.ReadAllText(p).Contains("new Chart(")) >= 3);
}
