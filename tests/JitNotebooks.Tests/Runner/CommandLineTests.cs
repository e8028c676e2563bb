using JitNotebooks.Runner.Host;

namespace JitNotebooks.Tests.Runner;

/// <summary>The real command line: options, usage errors, exit codes.</summary>
public class CommandLineTests
{
    [Theory]
    [InlineData("--timeout 0", "--timeout takes a positive seconds, e.g. --timeout 120; \"0\" is not one")]
    [InlineData("--timeout -1", "--timeout takes a positive seconds, e.g. --timeout 120; \"-1\" is not one")]
    [InlineData("--timeout abc", "--timeout takes a positive seconds, e.g. --timeout 120; \"abc\" is not one")]
    [InlineData("--timeout NaN", "\"NaN\" is not one")]
    [InlineData("--timeout=Infinity", "\"Infinity\" is not one")]
    [InlineData("--jobs 0", "--jobs takes a positive whole number of processes, e.g. --jobs 2; \"0\" is not one")]
    [InlineData("--jobs 1.5", "\"1.5\" is not one")]
    [InlineData("--jobs 100000", "\"100000\" is not one")]
    [InlineData("--timeout", "--timeout needs a value; see --help")]
    [InlineData("--export-cs", "--export-cs needs a value; see --help")]
    [InlineData("--frobnicate", "unknown option --frobnicate; see --help")]
    [InlineData("-x", "unknown option -x; see --help")]
    public void A_bad_option_is_a_usage_error_naming_it(string line, string message)
    {
        var e = Assert.Throws<UsageException>(() => RunnerOptions.Parse(line.Split(' ')));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Options_parse_in_both_spellings()
    {
        var options = RunnerOptions.Parse(["--timeout=2.5", "--jobs", "3", "--write", "--strict", "--emulate", "--export-cs", "out", "a.ipynb", "b"]);
        Assert.Equal(TimeSpan.FromSeconds(2.5), options.CellTimeout);
        Assert.Equal(3, options.Jobs);
        Assert.True(options.Write && options.Strict && options.Emulate);
        Assert.Equal("out", options.ExportFolder);
        Assert.Equal(["a.ipynb", "b"], options.Paths);
        Assert.Equal(Environment.ProcessorCount, RunnerOptions.Parse([]).Jobs);
        Assert.Equal(RunnerOptions.DefaultCellTimeout, RunnerOptions.Parse([]).CellTimeout);
    }

    [Theory]
    [InlineData("--timeout", "0")]
    [InlineData("--timeout", "-1")]
    [InlineData("--timeout", "abc")]
    [InlineData("--jobs", "0")]
    [InlineData("--frobnicate")]
    [InlineData("no/such/notebook.ipynb")]
    public async Task A_bad_command_line_exits_two_with_the_message_and_the_usage(params string[] args)
    {
        var (exit, stdout, stderr) = await RunnerHarness.RunCliAsync(args);
        Assert.Equal(2, exit);
        Assert.StartsWith("error: ", stderr);
        Assert.Contains("Usage:", stderr);
        Assert.Equal("", stdout);
    }

    [Fact]
    public async Task Help_prints_the_usage_and_exits_zero()
    {
        var (exit, stdout, stderr) = await RunnerHarness.RunCliAsync("--help");
        Assert.Equal(0, exit);
        Assert.Equal("", stderr);
        foreach (var option in new[] { "--write", "--timeout", "--jobs", "--emulate", "--strict", "--export-cs", "Exit code: 0" })
            Assert.Contains(option, stdout);
    }

    [Fact]
    public async Task A_green_notebook_exits_zero_and_a_failing_one_one_naming_notebook_and_cell()
    {
        var (green, stdout, _) = await RunnerHarness.RunCliAsync(RunnerHarness.Kernel("deterministic.ipynb"));
        Assert.Equal(0, green);
        Assert.Contains("        same every time", stdout);
        Assert.Contains("All cells ran as expected.", stdout);
        var (red, failed, _) = await RunnerHarness.RunCliAsync(RunnerHarness.Kernel("runtime-error.ipynb"));
        Assert.Equal(1, red);
        Assert.Contains("FAILED (1):\n  runtime-error.ipynb: cell 2: System.ArgumentOutOfRangeException: Index was out of range.", failed);
        Assert.Contains("  1 later cell(s) not run after the failure", failed);
    }

    [Fact]
    public async Task With_no_path_the_runner_finds_the_notebooks_folder_above_the_current_one()
    {
        using var temp = new RunnerHarness.TempFolder();
        var inner = Directory.CreateDirectory(Path.Combine(temp.Path, "notebooks", "deeper")).FullName;
        File.Copy(RunnerHarness.Kernel("deterministic.ipynb"), Path.Combine(temp.Path, "notebooks", "a.ipynb"));
        var (exit, stdout, _) = await RunnerHarness.RunCliAsync([], null, inner);
        Assert.Equal(0, exit);
        Assert.Contains(Path.Combine(temp.Path, "notebooks", "a.ipynb"), stdout);
        var (none, _, stderr) = await RunnerHarness.RunCliAsync([], null, "/");
        Assert.Equal(2, none);
        Assert.Contains("no notebooks/ folder in / or above it", stderr);
    }
}
