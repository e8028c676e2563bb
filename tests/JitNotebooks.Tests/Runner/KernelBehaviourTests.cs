using JitNotebooks.Runner.Host;

namespace JitNotebooks.Tests.Runner;

/// <summary>
/// What the runner gives for a cell, in the shape the tool's Jupyter front end gives it: the kernel/
/// fixtures (their stored real-kernel outputs are compared in <see cref="RealKernelAgreementTests"/>).
/// </summary>
[Collection(FixtureCollection.Name)]
public class KernelBehaviourTests(FixtureRun fixtures)
{
    private NotebookRun Basics => fixtures.Notebook("basics.ipynb");

    [Fact]
    public void Variables_live_from_one_cell_to_the_next()
    {
        var use = Basics.Cell("use");
        Assert.Equal(CellStatus.Ok, use.Status);
        Assert.Equal("Hello, notebook\n", use.Stdout());
        // The kernel's browser front ends format an int as HTML only.
        var result = Assert.Single(use.OfType("execute_result"));
        Assert.Contains("<pre>42</pre>", RunnerHarness.Html(result));
        Assert.Null(result["data"]!["text/plain"]);
        Assert.Equal(2, result["execution_count"]!.GetValue<int>());
    }

    [Fact]
    public void Display_console_stderr_and_the_result_come_in_order_with_one_stream_output_per_run_of_writes()
    {
        var order = Basics.Cell("order");
        var shape = order.Outcome.Outputs.Select(o => o["output_type"] + (o["name"] is { } n ? ":" + n : "")).ToList();
        Assert.Equal(["display_data", "stream:stderr", "stream:stdout", "display_data", "execute_result"], shape);
        // Three writes (WriteLine, Write, WriteLine) are one output, as nbclient joins them.
        Assert.Equal("out 1\nout 2\n", RunnerHarness.Text(order.Outcome.Outputs[2]["text"]));
        Assert.Equal("shown with display", RunnerHarness.Plain(order.Outcome.Outputs[3]));
        Assert.Equal("the trailing value", RunnerHarness.Plain(order.Outcome.Outputs[4]));
        Assert.Equal(order.Outcome.ExecutionCount, order.Outcome.Outputs[4]["execution_count"]!.GetValue<int>());
    }

    [Fact]
    public void Types_and_functions_declared_in_a_cell_are_usable_later()
    {
        var types = Basics.Cell("types");
        Assert.Contains("Point { X = 2, Y = 84 }", RunnerHarness.Html(Assert.Single(types.OfType("execute_result"))));
        Assert.Equal(CellStatus.Ok, Basics.Status("table"));
    }

    [Fact]
    public void An_empty_cell_is_not_run_and_gets_no_execution_count()
    {
        var empty = Basics.Cell("empty");
        Assert.Equal(CellStatus.NotRun, empty.Status);
        Assert.Null(empty.Outcome.ExecutionCount);
        Assert.True(Basics.Succeeded);
    }

    [Fact]
    public void A_raises_exception_cell_that_throws_is_as_expected_and_the_notebook_goes_on()
    {
        var expected = Basics.Cell("expected");
        Assert.Equal(CellStatus.RaisedAsExpected, expected.Status);
        Assert.Equal("System.InvalidOperationException: expected failure", expected.Outcome.Failure);
        var error = Assert.Single(expected.OfType("error"));
        Assert.StartsWith("System.InvalidOperationException: expected failure", error["evalue"]!.ToString());
        Assert.Equal("still running after the expected error: 42\n", Basics.Cell("after").Stdout());
    }

    [Fact]
    public void A_raises_exception_cell_that_does_not_throw_fails()
    {
        var run = fixtures.Notebook("raises-but-does-not.ipynb");
        Assert.Equal(CellStatus.Failed, run.Status("quiet"));
        Assert.Equal("the cell is tagged raises-exception but ran without an error", run.Cell("quiet").Outcome.Failure);
        Assert.Empty(run.Cell("quiet").OfType("error"));
        Assert.False(run.Succeeded);
    }

    [Fact]
    public void A_compile_error_fails_its_cell_with_the_diagnostics_on_stderr_and_a_compilation_error_output()
    {
        var run = fixtures.Notebook("compile-error.ipynb");
        var bad = run.Cell("bad");
        Assert.Equal(CellStatus.Failed, bad.Status);
        Assert.Equal("(3,9): error CS0103: The name 'undefinedName' does not exist in the current context", bad.Outcome.Failure);
        // The tool's Jupyter front end: the diagnostics, spaced out on stderr, then an error saying only "compilation error".
        Assert.Equal("\n(3,9): error CS0103: The name 'undefinedName' does not exist in the current context\n\n", bad.Stderr());
        var error = Assert.Single(bad.OfType("error"));
        Assert.Equal("Error", error["ename"]!.ToString());
        Assert.Equal("compilation error", error["evalue"]!.ToString());
        Assert.Empty(error["traceback"]!.AsArray());
        Assert.Equal(CellStatus.NotRun, run.Status("later"));
        Assert.Equal(["compile-error.ipynb: cell 2: (3,9): error CS0103: The name 'undefinedName' does not exist in the current context"], run.Failures());
    }

    [Fact]
    public void A_runtime_error_fails_its_cell_with_the_exception_as_evalue_and_its_stack_as_traceback()
    {
        var run = fixtures.Notebook("runtime-error.ipynb");
        var bad = run.Cell("bad");
        Assert.Equal(CellStatus.Failed, bad.Status);
        Assert.Equal("before the error\n", bad.Stdout());
        Assert.StartsWith("System.ArgumentOutOfRangeException: Index was out of range.", bad.Outcome.Failure);
        var error = Assert.Single(bad.OfType("error"));
        Assert.Equal("Error", error["ename"]!.ToString());
        var evalue = error["evalue"]!.ToString();
        Assert.StartsWith("System.ArgumentOutOfRangeException: Index was out of range.", evalue);
        var traceback = error["traceback"]!.AsArray().Select(l => l!.ToString()).ToList();
        Assert.Equal(evalue, traceback[0]); // exception.ToString(), then the stack line by line
        Assert.All(traceback.Skip(1), line => Assert.Matches(@"^(   at |--- End of stack trace)", line));
        Assert.Contains(traceback, l => l.Contains("Submission#"));
        Assert.Equal(CellStatus.NotRun, run.Status("later"));
    }

    [Fact]
    public void An_unknown_magic_command_fails_naming_it()
    {
        var run = fixtures.Notebook("unknown-magic.ipynb");
        Assert.Equal(CellStatus.Failed, run.Status("bad"));
        Assert.Contains("Unknown magic command '#!nosuch'", run.Cell("bad").Outcome.Failure);
    }

    [Fact]
    public void A_missing_dll_fails_naming_it()
    {
        var bad = fixtures.Notebook("missing-dll.ipynb").Cell("bad");
        Assert.Equal("(1,1): error CS0006: Metadata file 'bin/NoSuchLibrary.dll' could not be found", bad.Outcome.Failure);
    }

    [Fact]
    public void A_nuget_reference_shows_one_installed_packages_display()
    {
        var iced = fixtures.Notebook("packages.ipynb").Cell("iced");
        var display = Assert.Single(iced.OfType("display_data"));
        var html = RunnerHarness.Html(display);
        Assert.Contains("<strong>Installed Packages</strong>", html);
        Assert.Contains("Iced, 1.22.0", html);
        Assert.DoesNotContain("Installing", html);
        Assert.Equal("syscall", RunnerHarness.Plain(Assert.Single(iced.OfType("execute_result"))));
    }

    [Fact]
    public void The_course_librarys_tables_show_as_html_and_as_text()
    {
        var table = Assert.Single(fixtures.Notebook("packages.ipynb").Cell("library").OfType("execute_result"));
        Assert.Contains("<table", RunnerHarness.Html(table));
        Assert.Equal("register  encoding\n--------  --------\nrax       0\nrdi       7", RunnerHarness.Plain(table));
    }
}

/// <summary>The runner hosts the kernel of the tool learners run: one version, stated twice, kept equal.</summary>
public class PinnedToolTests
{
    [Fact]
    public void The_runner_takes_its_tool_assemblies_from_the_tool_version_the_repository_pins()
    {
        var pinned = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(RunnerHarness.RepoRoot, ".config", "dotnet-tools.json")))!
            ["tools"]!["microsoft.dotnet-interactive"]!["version"]!.GetValue<string>();
        var props = System.Xml.Linq.XDocument.Load(Path.Combine(RunnerHarness.RepoRoot, "Directory.Packages.props"));
        Assert.Equal(pinned, props.Descendants("DotnetInteractiveToolVersion").Single().Value);
    }
}
