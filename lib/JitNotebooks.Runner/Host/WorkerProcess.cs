using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using JitNotebooks.Runner.Kernel;
using JitNotebooks.Runner.Notebooks;
using JitNotebooks.Runner.Worker;

namespace JitNotebooks.Runner.Host;

/// <summary>
/// Runs one notebook in a child process (the runner itself, with `--worker`) and reads its
/// JSON-lines reports. The parent enforces the per-cell time limit by killing the child, and turns
/// a child that dies mid-cell (a crashing JIT'd cell) into a failure of that cell.
/// </summary>
internal sealed class WorkerProcess
{
    private readonly NotebookDocument _notebook;
    private readonly TimeSpan _timeout;
    private readonly Action<CellRun> _onCellFinished;
    private readonly Dictionary<int, CellOutcome> _outcomes = [];
    private TimeSpan _warmup;

    public WorkerProcess(NotebookDocument notebook, TimeSpan timeout, Action<CellRun> onCellFinished)
    {
        _notebook = notebook;
        _timeout = timeout;
        _onCellFinished = onCellFinished;
    }

    public async Task<NotebookRun> RunAsync()
    {
        var clock = Stopwatch.StartNew();
        var capture = Directory.CreateTempSubdirectory("jitnotebooks-runner-");
        try
        {
            using var process = Start(capture.FullName);
            var failure = await ReadReportsAsync(process, capture.FullName);
            var cells = _notebook.Cells.Where(c => c.IsCode)
                .Select(c => new CellRun(c, _outcomes.TryGetValue(c.Index, out var o) ? o : new CellOutcome(CellStatus.NotRun, [], null, TimeSpan.Zero)))
                .ToList();
            return new NotebookRun(_notebook.Path, failure, cells, _warmup, clock.Elapsed);
        }
        finally
        {
            try { capture.Delete(recursive: true); } catch (IOException) { }
        }
    }

    private Process Start(string captureFolder)
    {
        var (fileName, prefix) = WorkerCommand();
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            // As in VS Code, the kernel's current folder is the notebook's.
            WorkingDirectory = Path.GetDirectoryName(Path.GetFullPath(_notebook.Path))!,
            StandardOutputEncoding = new UTF8Encoding(false),
        };
        foreach (var arg in prefix.Concat([NotebookWorker.Flag, Path.GetFullPath(_notebook.Path), captureFolder]))
            info.ArgumentList.Add(arg);
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {fileName}");
        process.StandardInput.Close();
        return process;
    }

    /// <summary>The runner's own executable (apphost) next to its dll, else `dotnet JitNotebooks.Runner.dll`.</summary>
    private static (string FileName, string[] Prefix) WorkerCommand()
    {
        var dll = typeof(WorkerProcess).Assembly.Location;
        var apphost = Path.ChangeExtension(dll, OperatingSystem.IsWindows() ? ".exe" : null);
        if (File.Exists(apphost)) return (apphost, []);
        var current = Environment.ProcessPath;
        var host = current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
        return (host, [dll]);
    }

    /// <returns>A notebook-level failure (the worker never got going), or null.</returns>
    private async Task<string?> ReadReportsAsync(Process process, string captureFolder)
    {
        var stderrTask = process.StandardError.ReadToEndAsync();
        WorkerMessage? running = null;
        var cellClock = Stopwatch.StartNew();
        Task<string?>? pending = null;
        while (true)
        {
            pending ??= process.StandardOutput.ReadLineAsync();
            var finished = await Task.WhenAny(pending, Task.Delay(_timeout));
            if (finished != pending)
            {
                Kill(process);
                if (running is null)
                    return $"the worker did not start within {_timeout.TotalSeconds:0.#} s";
                Finish(running, Stopped(running, captureFolder, "CellTimeout",
                    $"did not finish within {_timeout.TotalSeconds:0.#} s (the per-cell limit, --timeout); the cell was stopped", cellClock.Elapsed));
                return null;
            }
            var line = await pending;
            pending = null;
            if (line is null)
            {
                await process.WaitForExitAsync();
                var exit = DescribeExit(process.ExitCode);
                if (running is not null)
                {
                    Finish(running, Stopped(running, captureFolder, "WorkerCrashed",
                        $"the process running the notebook died during this cell ({exit})", cellClock.Elapsed));
                    return null;
                }
                var stderr = (await stderrTask).Trim();
                var captured = ReadFrom(ConsoleCapture.StderrPath(captureFolder), 0).Trim();
                return $"the worker process ended unexpectedly ({exit}): {captured}{stderr}".TrimEnd(' ', ':');
            }
            var message = WorkerMessage.Parse(line);
            switch (message?.Event)
            {
                case "ready": _warmup = TimeSpan.FromMilliseconds(message.Milliseconds); break;
                case "start":
                    running = message;
                    cellClock.Restart();
                    break;
                case "end":
                    Finish(message, new CellOutcome(message.Status,
                        message.Outputs?.Select(o => (JsonObject)o!.DeepClone()).ToList() ?? [],
                        message.ExecutionCount, TimeSpan.FromMilliseconds(message.Milliseconds), message.Failure, message.Line));
                    running = null;
                    break;
                case "done":
                    if (!process.WaitForExit(TimeSpan.FromSeconds(10))) Kill(process);
                    return null;
            }
        }
    }

    private void Finish(WorkerMessage message, CellOutcome outcome)
    {
        _outcomes[message.Cell] = outcome;
        _onCellFinished(new CellRun(_notebook.Cells[message.Cell], outcome));
    }

    /// <summary>A cell the parent had to stop: what it printed before, then the reason as an error output.</summary>
    private CellOutcome Stopped(WorkerMessage start, string captureFolder, string ename, string reason, TimeSpan elapsed)
    {
        var outputs = new List<JsonObject>();
        var stdout = ReadFrom(ConsoleCapture.StdoutPath(captureFolder), start.StdoutOffset);
        var stderr = ReadFrom(ConsoleCapture.StderrPath(captureFolder), start.StderrOffset);
        if (stdout.Length > 0) outputs.Add(NbOutput.Stream("stdout", stdout));
        if (stderr.Length > 0) outputs.Add(NbOutput.Stream("stderr", stderr));
        outputs.Add(NbOutput.Error(ename, reason, [reason]));
        var count = _outcomes.Values.Count(o => o.ExecutionCount is not null) + 1;
        var raised = _notebook.Cells[start.Cell].RaisesException ? " (a raises-exception cell must throw, not hang or crash)" : "";
        return new CellOutcome(CellStatus.Failed, outputs, count, elapsed, reason + raised);
    }

    private static string ReadFrom(string path, long offset)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            file.Position = Math.Min(offset, file.Length);
            return new StreamReader(file, new UTF8Encoding(false)).ReadToEnd();
        }
        catch (IOException) { return ""; }
    }

    private static void Kill(Process process)
    {
        try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        process.WaitForExit(5000);
    }

    /// <summary>Exit codes above 128 are a signal on Unix: name the common ones.</summary>
    private static string DescribeExit(int code) => code switch
    {
        134 => "exit code 134: SIGABRT, the runtime aborted",
        133 => "exit code 133: SIGTRAP, an int3 breakpoint instruction ran",
        135 => "exit code 135: SIGBUS",
        139 => "exit code 139: SIGSEGV, a segmentation fault",
        132 => "exit code 132: SIGILL, an illegal instruction",
        > 128 and < 160 => $"exit code {code}: killed by signal {code - 128}",
        _ => $"exit code {code}",
    };
}
