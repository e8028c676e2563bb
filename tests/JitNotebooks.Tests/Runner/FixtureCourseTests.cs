using System.Text.RegularExpressions;
using JitNotebooks.Runner.Host;
using JitNotebooks.Runner.Kernel;

namespace JitNotebooks.Tests.Runner;

/// <summary>Runs the fixture course (Fixtures/course) once; each test checks one kernel behaviour.</summary>
public sealed class FixtureCourse : IAsyncLifetime
{
    public CourseRun Run { get; private set; } = null!;
    public string Output { get; private set; } = "";

    public async Task InitializeAsync() => (Run, Output) = await RunnerHarness.RunAsync([RunnerHarness.Course]);

    public Task DisposeAsync() => Task.CompletedTask;
}

public class FixtureCourseTests(FixtureCourse course) : IClassFixture<FixtureCourse>
{
    private NotebookRun Basics => course.Run.Notebook("01-kernel-basics.ipynb");
    private NotebookRun References => course.Run.Notebook("02-references.ipynb");

    [Fact]
    public void The_whole_fixture_course_runs_in_name_order()
    {
        Assert.True(course.Run.Succeeded, course.Output);
        Assert.Equal(["01-kernel-basics.ipynb", "02-references.ipynb", "03-jit-hello.ipynb", "04-chart.ipynb"],
            course.Run.Notebooks.Select(n => Path.GetFileName(n.Path)));
        Assert.Equal(0, course.Run.ExitCode);
    }

    [Fact]
    public void A_variable_from_one_cell_is_visible_in_the_next()
    {
        var use = Basics.Cell("use");
        Assert.Equal(CellStatus.Ok, use.Status);
        Assert.Equal("42", RunnerHarness.Plain(Assert.Single(use.OfType("execute_result"))));
    }

    [Fact]
    public void The_kernels_default_imports_are_in_scope()
    {
        // StringBuilder (System.Text) and OrderBy (System.Linq) with no using in the notebook.
        Assert.Equal("Hello, notebook\n1\n", Basics.Cell("use").Stdout());
    }

    [Fact]
    public void Display_calls_console_writes_and_the_trailing_value_are_outputs_in_order()
    {
        var cell = Basics.Cell("display");
        Assert.Equal(["display_data", "stream", "display_data", "execute_result"],
            cell.Outcome.Outputs.Select(o => o["output_type"]!.ToString()));
        var outputs = cell.Outcome.Outputs;
        Assert.Equal("[ 1, 2, 3 ]", RunnerHarness.Plain(outputs[0]));
        Assert.Equal("a warning on stderr\n", cell.Stderr());
        Assert.Equal("shown with display", RunnerHarness.Plain(outputs[2]));
        Assert.Equal("the trailing value", RunnerHarness.Plain(outputs[3]));
        Assert.Equal(cell.Outcome.ExecutionCount, (int)outputs[3]["execution_count"]!);
    }

    [Fact]
    public void Types_and_methods_declared_in_a_cell_work_and_values_use_the_kernels_formatter()
    {
        var result = Assert.Single(Basics.Cell("types").OfType("execute_result"));
        Assert.Equal("Point\n      X: 2\n      Y: 84", RunnerHarness.Plain(result).Replace("\r", ""));
    }

    [Fact]
    public void A_value_with_a_registered_html_formatter_gets_text_html_as_well_as_text_plain()
    {
        var result = Assert.Single(Basics.Cell("html").OfType("execute_result"));
        Assert.Equal("<b>(3, 4)</b>", RunnerHarness.Text(result["data"]!["text/html"]));
        Assert.Contains("X: 3", RunnerHarness.Plain(result));
        // Without a formatter of its own, a value has text/plain only (no generic HTML table).
        var plainOnly = Assert.Single(Basics.Cell("use").OfType("execute_result"));
        Assert.Equal(["text/plain"], plainOnly["data"]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public void A_raises_exception_cell_that_throws_passes_and_the_run_goes_on()
    {
        var expected = Basics.Cell("expected");
        Assert.Equal(CellStatus.RaisedAsExpected, expected.Status);
        var error = Assert.Single(expected.OfType("error"));
        Assert.Equal("InvalidOperationException", error["ename"]!.ToString());
        Assert.Equal("expected failure", error["evalue"]!.ToString());
        Assert.Equal("still running after the expected error: 42\n", Basics.Cell("after").Stdout());
    }

    [Fact]
    public void A_pinned_package_is_referenced_from_the_runners_own_copy()
    {
        var iced = References.Cell("iced");
        Assert.Equal(CellStatus.Ok, iced.Status);
        Assert.Equal("syscall", RunnerHarness.Plain(Assert.Single(iced.OfType("execute_result"))));
    }

    [Fact]
    public void A_relative_dll_resolves_against_the_notebooks_folder()
    {
        var library = References.Cell("library");
        Assert.Equal(CellStatus.Ok, library.Status);
        Assert.Equal("%rdi\n", library.Stdout());
        Assert.Equal(HelloWorldProgram.Packed().ToArray().Length.ToString(),
            RunnerHarness.Plain(Assert.Single(library.OfType("execute_result"))));
    }

    [Fact]
    public void JIT_code_writing_to_fd_1_is_captured_in_order_with_console_output()
    {
        var run = course.Run.Notebook("03-jit-hello.ipynb").Cell("run");
        Assert.Equal(CellStatus.Ok, run.Status);
        Assert.Equal("Hello World!\nback in C#\n", run.Stdout());
        Assert.Contains("        Hello World!", course.Output);
    }

    [Fact]
    public void Plotly_charts_render_as_html_with_stable_ids()
    {
        var chart = course.Run.Notebook("04-chart.ipynb");
        var html = RunnerHarness.Text(Assert.Single(chart.Cell("plotly").OfType("execute_result"))["data"]!["text/html"]);
        Assert.Contains("Plotly.newPlot", html);
        Assert.Contains("\"x\":[1,2,3]", html);
        Assert.DoesNotMatch(new Regex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), html);
        var displayed = RunnerHarness.Text(Assert.Single(chart.Cell("second").OfType("display_data"))["data"]!["text/html"]);
        Assert.Contains("\"x\":[1,2]", displayed);
    }

    [Fact]
    public void The_terminal_shows_each_notebook_each_cell_its_text_and_a_summary()
    {
        Assert.Contains("01-kernel-basics.ipynb (8 cells, 7 code)", course.Output);
        Assert.Matches(new Regex(@"cell 3 +ok \(\d+ ms\)"), course.Output);
        Assert.Contains("        Hello, notebook", course.Output);
        Assert.Contains("Summary", course.Output);
        Assert.Contains("All cells ran as expected.", course.Output);
    }
}
