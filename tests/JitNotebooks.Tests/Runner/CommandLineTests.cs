namespace JitNotebooks.Tests.Runner;

/// <summary>The real command line: exit codes and what the terminal shows.</summary>
public class CommandLineTests
{
    [Fact]
    public async Task A_good_notebook_exits_zero_and_prints_its_cells_output()
    {
        var (exit, stdout, _) = await RunnerHarness.RunCliAsync(Path.Combine(RunnerHarness.Course, "01-kernel-basics.ipynb"));
        Assert.Equal(0, exit);
        Assert.Contains("        Hello, notebook", stdout);
        Assert.Contains("still running after the expected error: 42", stdout);
        Assert.Contains("All cells ran as expected.", stdout);
    }

    [Fact]
    public async Task A_failing_cell_exits_one_naming_notebook_cell_and_line()
    {
        var (exit, stdout, _) = await RunnerHarness.RunCliAsync(RunnerHarness.Failing("runtime-error.ipynb"));
        Assert.Equal(1, exit);
        Assert.Contains("runtime-error.ipynb: cell 2: line 3: System.ArgumentOutOfRangeException", stdout);
    }

    [Theory]
    [InlineData("--timeout", "soon")]
    [InlineData("--frobnicate")]
    [InlineData("no/such/notebook.ipynb")]
    public async Task A_bad_command_line_exits_two_with_a_message(params string[] args)
    {
        var (exit, _, stderr) = await RunnerHarness.RunCliAsync(args);
        Assert.Equal(2, exit);
        Assert.StartsWith("error: ", stderr);
        Assert.Contains("Usage:", stderr);
    }

    [Fact]
    public async Task Help_prints_the_usage()
    {
        var (exit, stdout, _) = await RunnerHarness.RunCliAsync("--help");
        Assert.Equal(0, exit);
        Assert.Contains("--write", stdout);
        Assert.Contains("--timeout", stdout);
    }
}
