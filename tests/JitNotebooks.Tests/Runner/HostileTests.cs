using System.Diagnostics;
using JitNotebooks.Runner.Host;

namespace JitNotebooks.Tests.Runner;

/// <summary>
/// Cells that hang, exit, crash, flood or print from threads: each fails (at most) its own cell, and
/// the run goes on with the next notebook in a fresh worker. None may hang the runner: every test
/// has a time-out far above what it needs.
/// </summary>
public class HostileTests
{
    /// <summary>The worker's process id, as the pid.ipynb fixture shows it.</summary>
    private static string Pid(NotebookRun run) =>
        System.Text.RegularExpressions.Regex.Match(RunnerHarness.Html(Assert.Single(run.Cell("pid").OfType("execute_result"))), @"<pre>(\d+)</pre>").Groups[1].Value;

    [Fact(Timeout = 180_000)]
    public async Task A_cell_that_never_ends_is_stopped_at_the_limit_and_the_next_notebook_runs()
    {
        var (run, output) = await RunnerHarness.RunAsync(["--timeout", "10", "--jobs", "1", RunnerHarness.Hostile("never-ends.ipynb"), RunnerHarness.Hostile("pid.ipynb")]);
        var spins = run.Notebook("never-ends.ipynb");
        Assert.Equal([CellStatus.Ok, CellStatus.Failed, CellStatus.NotRun], spins.Cells.Select(c => c.Status));
        Assert.Equal("did not finish within 10 s (the per-cell limit, --timeout); the cell was stopped", spins.Cell("spins").Outcome.Failure);
        // What it printed before it was stopped is kept, followed by the reason.
        Assert.Equal("spinning now\n", spins.Cell("spins").Stdout());
        Assert.Equal("did not finish within 10 s (the per-cell limit, --timeout); the cell was stopped", spins.Cell("spins").OfType("error").Single()["evalue"]!.ToString());
        Assert.True(spins.Cell("spins").Outcome.Elapsed < TimeSpan.FromSeconds(30));
        Assert.Equal(CellStatus.Ok, run.Notebook("pid.ipynb").Status("pid"));
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("never-ends.ipynb: cell 2: did not finish within 10 s", output);
    }

    [Fact(Timeout = 180_000)]
    public async Task Environment_exit_fails_only_its_cell()
    {
        var (run, _) = await RunnerHarness.RunAsync(["--jobs", "1", RunnerHarness.Hostile("environment-exit.ipynb"), RunnerHarness.Hostile("pid.ipynb")]);
        var exits = run.Notebook("environment-exit.ipynb");
        Assert.Equal([CellStatus.Failed, CellStatus.NotRun], exits.Cells.Select(c => c.Status));
        Assert.Equal("the process running the notebook died during this cell (exit code 3)", exits.Cell("exits").Outcome.Failure);
        Assert.Equal("leaving\n", exits.Cell("exits").Stdout());
        Assert.Equal(CellStatus.Ok, run.Notebook("pid.ipynb").Status("pid"));
    }

    [Fact(Timeout = 180_000)]
    public async Task A_stack_overflow_fails_only_its_cell_and_says_what_the_runtime_said()
    {
        var (run, output) = await RunnerHarness.RunAsync(["--jobs", "1", RunnerHarness.Hostile("stack-overflow.ipynb"), RunnerHarness.Hostile("pid.ipynb")]);
        var overflows = run.Notebook("stack-overflow.ipynb").Cell("overflows");
        Assert.Equal(CellStatus.Failed, overflows.Status);
        Assert.Contains("SIGABRT", overflows.Outcome.Failure);
        Assert.StartsWith("Stack overflow.", overflows.Outcome.Stray);
        // The runtime's trace runs to hundreds of lines: the terminal shows the start of it.
        Assert.Matches(@"\[\d+ more lines\]", output);
        Assert.Equal(CellStatus.Ok, run.Notebook("pid.ipynb").Status("pid"));
    }

    [Fact(Timeout = 180_000)]
    public async Task A_native_crash_fails_only_its_cell_and_the_next_notebook_runs_in_a_fresh_worker()
    {
        using var temp = RunnerHarness.CopyToTemp(RunnerHarness.Hostile("native-crash.ipynb"));
        File.Copy(RunnerHarness.Hostile("pid.ipynb"), temp.File("a-pid.ipynb"));
        File.Copy(RunnerHarness.Hostile("pid.ipynb"), temp.File("z-pid.ipynb"));
        var (run, _) = await RunnerHarness.RunAsync(["--jobs", "1", temp.Path]);
        var crash = run.Notebook("native-crash.ipynb");
        Assert.Equal([CellStatus.Failed, CellStatus.NotRun], crash.Cells.Select(c => c.Status));
        Assert.Equal("the process running the notebook died during this cell (exit code 139: SIGSEGV, a segmentation fault)", crash.Cell("crashes").Outcome.Failure);
        Assert.Equal("about to crash\n", crash.Cell("crashes").Stdout());
        // a-pid ran in the worker that then crashed; z-pid in its replacement.
        Assert.NotEqual(Pid(run.Notebook("a-pid.ipynb")), Pid(run.Notebook("z-pid.ipynb")));
        Assert.Equal(1, run.ExitCode);
    }

    [Fact(Timeout = 180_000)]
    public async Task A_thread_that_keeps_printing_never_reaches_later_cells_and_its_worker_is_replaced()
    {
        using var temp = RunnerHarness.CopyToTemp(RunnerHarness.Hostile("thread-keeps-printing.ipynb"), RunnerHarness.Hostile("pid.ipynb"));
        File.Copy(temp.File("pid.ipynb"), temp.File("z-pid.ipynb"));
        var (run, _) = await RunnerHarness.RunAsync(["--jobs", "1", temp.Path]);
        // Name order: pid, thread-keeps-printing, z-pid.
        var printing = run.Notebook("thread-keeps-printing.ipynb");
        Assert.True(printing.Succeeded);
        var (pid, ticks) = (printing.Cell("starts").Stdout().Split('\n', 2)[0], printing.Cell("starts").Stdout().Split('\n', 2)[1]);
        Assert.Equal(Pid(run.Notebook("pid.ipynb")), pid); // the warm worker of the notebook before
        Assert.StartsWith("tick 0\n", ticks);
        // As in the kernel, what the thread prints after its cell ended is not the next cell's output.
        Assert.Equal(["execute_result"], printing.Cell("next").Outcome.Outputs.Select(o => o["output_type"]!.ToString()));
        // The thread still runs after the notebook: the next notebook gets a fresh worker, so no tick reaches it.
        Assert.NotEqual(Pid(run.Notebook("pid.ipynb")), Pid(run.Notebook("z-pid.ipynb")));
        Assert.Null(run.Notebook("z-pid.ipynb").Cell("pid").Outcome.Stray);
    }

    [Fact(Timeout = 180_000)]
    public async Task The_background_GC_thread_the_runtime_starts_during_a_notebook_is_not_taken_for_a_leftover()
    {
        using var temp = RunnerHarness.CopyToTemp(RunnerHarness.Hostile("pid.ipynb"));
        // First in its worker (name order), so the background GC starts during this notebook, not before it.
        File.WriteAllText(temp.File("a-gc.ipynb"), File.ReadAllText(temp.File("pid.ipynb")).Replace(
            "\"Environment.ProcessId\"",
            "\"var junk = new byte[64][]; for (var i = 0; i < junk.Length; i++) junk[i] = new byte[1 << 20]; junk = null;\\n\"," +
            "\"GC.Collect(2, GCCollectionMode.Forced, blocking: false); System.Threading.Thread.Sleep(200);\\n\"," +
            "\"Console.WriteLine(System.IO.Directory.GetDirectories(\\\"/proc/self/task\\\").Count(t => System.IO.File.ReadAllText(t + \\\"/comm\\\") == \\\".NET BGC\\\\n\\\"));\\n\"," +
            "\"Environment.ProcessId\""));
        File.Move(temp.File("pid.ipynb"), temp.File("z-pid.ipynb"));
        var (run, _) = await RunnerHarness.RunAsync(["--jobs", "1", temp.Path]);
        var gc = run.Notebook("a-gc.ipynb");
        Assert.True(gc.Succeeded, string.Join("\n", gc.Failures()));
        Assert.Equal("1\n", gc.Cell("pid").Stdout()); // the runtime's background GC thread runs now
        Assert.Equal(Pid(gc), Pid(run.Notebook("z-pid.ipynb")));
    }

    [Fact(Timeout = 180_000)]
    public async Task Notebooks_that_leave_nothing_running_share_a_warm_worker()
    {
        using var temp = RunnerHarness.CopyToTemp(RunnerHarness.Hostile("pid.ipynb"));
        File.Copy(temp.File("pid.ipynb"), temp.File("z-pid.ipynb"));
        var (run, _) = await RunnerHarness.RunAsync(["--jobs", "1", temp.Path]);
        Assert.Equal(Pid(run.Notebook("pid.ipynb")), Pid(run.Notebook("z-pid.ipynb")));
    }

    [Fact(Timeout = 300_000)]
    public async Task A_hundred_megabytes_on_the_console_are_cut_to_four_with_a_note_in_bounded_memory()
    {
        using var temp = RunnerHarness.CopyToTemp(RunnerHarness.Hostile("hundred-megabytes.ipynb"));
        var path = temp.File("hundred-megabytes.ipynb");
        using var runner = RunnerHarness.StartCli(["--write", path]);
        var stdout = runner.StandardOutput.ReadToEndAsync();
        _ = runner.StandardError.ReadToEndAsync();
        long peakKb = 0;
        while (!runner.HasExited)
        {
            // VmHWM: the runner process's own peak resident memory (its workers are other processes).
            try
            {
                var line = File.ReadLines($"/proc/{runner.Id}/status").FirstOrDefault(l => l.StartsWith("VmHWM:"));
                if (line is not null) peakKb = Math.Max(peakKb, long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]));
            }
            catch (IOException) { } // it just ended
            await Task.Delay(50);
        }
        Assert.Equal(0, runner.ExitCode);
        Assert.Contains("        [output truncated: 96 MB more]", await stdout);
        Assert.Contains("        still running", await stdout);
        Assert.True(peakKb < 400_000, $"the runner process peaked at {peakKb / 1024} MB");
        var floods = RunnerHarness.CellsOf(path)[0]!["outputs"]!.AsArray();
        var text = string.Concat(floods.Where(o => o!["name"]?.ToString() == "stdout").Select(o => RunnerHarness.Text(o!["text"])));
        Assert.Equal(4 << 20, text.Length);
        Assert.Contains(floods, o => RunnerHarness.Text(o!["text"]) == "[output truncated: 96 MB more]\n");
        Assert.True(new FileInfo(path).Length < 5_000_000);
    }

    [Fact(Timeout = 180_000)]
    public async Task Invalid_utf8_from_native_code_is_decoded_not_fatal()
    {
        var (run, _) = await RunnerHarness.RunAsync(["--jobs", "1", RunnerHarness.Hostile("invalid-utf8.ipynb")]);
        var notebook = run.Notebook("invalid-utf8.ipynb");
        Assert.True(notebook.Succeeded);
        // Straight to fd 1: outside the kernel, shown by the runner as such, never in the notebook.
        Assert.DoesNotContain(notebook.Cell("raw").Outcome.Outputs, o => o["output_type"]!.ToString() != "execute_result");
        Assert.Equal("bad\uFFFD\uFFFD\n", notebook.Cell("raw").Outcome.Stray);
        // Through the library's capture: the replacement characters are in the cell's result.
        Assert.Equal("bad\uFFFD\uFFFD\n", RunnerHarness.Plain(Assert.Single(notebook.Cell("captured").OfType("execute_result"))));
    }

    [Fact]
    public void Every_hostile_fixture_has_a_test() =>
        Assert.Equal(["environment-exit", "hundred-megabytes", "invalid-utf8", "native-crash", "never-ends", "pid", "stack-overflow", "thread-keeps-printing"],
            Directory.GetFiles(Path.Combine(RunnerHarness.Fixtures, "hostile")).Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal));
}
