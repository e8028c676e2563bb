using JitNotebooks.Runner.Host;
using JitNotebooks.Runner.Worker;

// The headless notebook runner. The runner process finds the notebooks and reports; worker
// processes (this program with the hidden --worker flag) host the kernel and run them.
if (args is [NotebookWorker.Flag, var captureFolder])
{
    // Exit even if a cell left a foreground thread running.
    Environment.Exit(await NotebookWorker.RunAsync(captureFolder));
}

try
{
    var options = RunnerOptions.Parse(args);
    if (options.Help)
    {
        Console.WriteLine(RunnerOptions.Usage);
        return 0;
    }
    var course = await CourseRunner.RunAsync(options, Console.Out);
    return course.ExitCode;
}
catch (UsageException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    Console.Error.WriteLine(RunnerOptions.Usage);
    return 2;
}
