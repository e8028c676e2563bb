using JitNotebooks.Runner.Host;
using JitNotebooks.Runner.Kernel;

namespace JitNotebooks.Tests.Runner;

/// <summary>Each way a cell can fail: the run fails, and the message names notebook, cell and line.</summary>
public class FailureTests
{
    private static async Task<(NotebookRun Notebook, CourseRun Run, string Output)> RunFailing(string name, params string[] extra)
    {
        var (run, output) = await RunnerHarness.RunAsync([.. extra, RunnerHarness.Failing(name)]);
        Assert.False(run.Succeeded, output);
        Assert.Equal(1, run.ExitCode);
        return (run.Notebook(name), run, output);
    }

    [Fact]
    public async Task A_compile_error_names_the_cell_the_line_and_the_compiler_error()
    {
        var (notebook, _, output) = await RunFailing("compile-error.ipynb");
        Assert.Equal(CellStatus.Ok, notebook.Status("ok"));
        Assert.Equal(CellStatus.Failed, notebook.Status("bad"));
        Assert.Equal(CellStatus.NotRun, notebook.Status("later"));
        Assert.Equal(3, notebook.Cell("bad").Outcome.Line);
        var failure = Assert.Single(notebook.Failures());
        Assert.StartsWith("compile-error.ipynb: cell 2: line 3, column 9: error CS0103:", failure);
        Assert.Contains("undefinedName", failure);
        Assert.Contains(failure, output);
        Assert.Equal("CompilationError", Assert.Single(notebook.Cell("bad").OfType("error"))["ename"]!.ToString());
    }

    [Fact]
    public async Task A_runtime_error_names_the_cell_the_line_and_the_exception()
    {
        var (notebook, _, output) = await RunFailing("runtime-error.ipynb");
        var bad = notebook.Cell("bad");
        Assert.Equal(CellStatus.Failed, bad.Status);
        Assert.Equal(3, bad.Outcome.Line);
        Assert.Equal("before the error\n", bad.Stdout());
        var failure = Assert.Single(notebook.Failures());
        Assert.StartsWith("runtime-error.ipynb: cell 2: line 3: System.ArgumentOutOfRangeException:", failure);
        Assert.Contains(failure, output);
        var error = Assert.Single(bad.OfType("error"));
        Assert.Equal("ArgumentOutOfRangeException", error["ename"]!.ToString());
        Assert.Contains(error["traceback"]!.AsArray(), l => l!.ToString().Contains("cell 2:line 3"));
    }

    [Fact]
    public async Task An_unpinned_package_is_an_error_naming_the_cell_and_the_pinned_packages()
    {
        var (notebook, _, _) = await RunFailing("unpinned-package.ipynb");
        var failure = Assert.Single(notebook.Failures());
        Assert.StartsWith("unpinned-package.ipynb: cell 1: line 2: package Newtonsoft.Json is not pinned", failure);
        Assert.Contains("Iced 1.22.0", failure);
    }

    [Fact]
    public async Task Another_version_of_a_pinned_package_is_an_error_naming_the_pinned_version()
    {
        var (notebook, _, _) = await RunFailing("wrong-version.ipynb");
        var failure = Assert.Single(notebook.Failures());
        Assert.Contains("cell 1: line 1: package Iced 1.21.0 is not the pinned version", failure);
        Assert.Contains("pins Iced 1.22.0", failure);
    }

    [Fact]
    public async Task An_unknown_magic_is_an_error_not_a_silent_skip()
    {
        var (notebook, _, _) = await RunFailing("unknown-magic.ipynb");
        Assert.Contains("cell 1: line 1: unknown magic command #!time", Assert.Single(notebook.Failures()));
        Assert.Equal("", notebook.Cell("bad").Stdout());
    }

    [Fact]
    public async Task A_missing_dll_names_the_path_and_how_to_build_it()
    {
        var (notebook, _, _) = await RunFailing("missing-dll.ipynb");
        var failure = Assert.Single(notebook.Failures());
        Assert.Contains(Path.Combine(RunnerHarness.Fixtures, "failing", "bin", "NoSuchLibrary.dll"), failure);
        Assert.Contains("dotnet build", failure);
    }

    [Fact]
    public async Task A_raises_exception_cell_that_does_not_throw_fails_the_run()
    {
        var (notebook, _, _) = await RunFailing("raises-but-does-not.ipynb");
        Assert.Contains("tagged raises-exception but ran without an error", Assert.Single(notebook.Failures()));
    }

    [Fact]
    public async Task A_hung_cell_is_stopped_at_the_time_limit_keeping_what_it_printed()
    {
        // Generous enough for the first cell on a loaded machine, short enough for a test.
        var (notebook, _, output) = await RunFailing("hung-cell.ipynb", "--timeout", "10");
        Assert.Equal(CellStatus.Ok, notebook.Status("prints"));
        var hung = notebook.Cell("hangs");
        Assert.Equal(CellStatus.Failed, hung.Status);
        Assert.Equal("hanging now\n", hung.Stdout());
        Assert.Contains("hung-cell.ipynb: cell 2: did not finish within 10 s", Assert.Single(notebook.Failures()));
        Assert.Equal(CellStatus.NotRun, notebook.Status("later"));
        Assert.Contains("--timeout", output);
    }

    [Fact]
    public async Task A_crashing_cell_fails_that_cell_and_the_next_notebook_still_runs()
    {
        var basics = Path.Combine(RunnerHarness.Course, "01-kernel-basics.ipynb");
        var (run, output) = await RunnerHarness.RunAsync([RunnerHarness.Failing("crash.ipynb"), basics]);
        var crash = run.Notebook("crash.ipynb").Cell("crash");
        Assert.Equal(CellStatus.Failed, crash.Status);
        Assert.Equal("about to crash\n", crash.Stdout());
        Assert.Contains("died during this cell", crash.Outcome.Failure);
        Assert.True(run.Notebook("01-kernel-basics.ipynb").Succeeded, output);
        Assert.Equal(1, run.ExitCode);
    }
}
