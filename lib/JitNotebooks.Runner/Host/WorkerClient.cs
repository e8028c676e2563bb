using System.Diagnostics;
using System.Text;
using System.Threading.Channels;
using JitNotebooks.Runner.Notebooks;
using JitNotebooks.Runner.Worker;

namespace JitNotebooks.Runner.Host;

/// <summary>
/// One worker process, seen from the runner: started once, reused for notebook after notebook, and
/// replaced after it crashes or is killed. The runner enforces the per-cell time limit by killing it,
/// and turns a worker that dies mid-cell (a crashing JIT'd cell) into a failure of that cell.
/// </summary>
internal sealed class WorkerClient : IDisposable
{
    private readonly Process _process;
    private readonly Channel<WorkerMessage?> _messages = Channel.CreateUnbounded<WorkerMessage?>();
    private readonly DirectoryInfo _capture;
    private readonly TimeSpan _timeout;

    private WorkerClient(Process process, DirectoryInfo capture, TimeSpan timeout)
    {
        _process = process;
        _capture = capture;
        _timeout = timeout;
        _ = PumpAsync();
    }

    /// <summary>False once the process has ended, been killed, or still runs a thread of an earlier notebook: start another.</summary>
    public bool IsAlive => !_process.HasExited && !_recycle;

    private bool _recycle, _ready; // ready: the worker has warmed its kernel up

    public static WorkerClient Start(TimeSpan cellTimeout, IReadOnlyDictionary<string, string> environment)
    {
        var capture = Directory.CreateTempSubdirectory("jitnotebooks-worker-");
        var (fileName, prefix) = WorkerCommand();
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            RedirectStandardError = false, // the worker points fd 2 at its capture file at once
            UseShellExecute = false,
            StandardOutputEncoding = new UTF8Encoding(false),
            StandardInputEncoding = new UTF8Encoding(false),
        };
        foreach (var arg in prefix.Append(NotebookWorker.Flag).Append(capture.FullName)) info.ArgumentList.Add(arg);
        foreach (var (name, value) in environment) info.Environment[name] = value;
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {fileName}");
        return new WorkerClient(process, capture, cellTimeout);
    }

    /// <summary>Runs one notebook; the outcome of every code cell, in order.</summary>
    public async Task<NotebookRun> RunAsync(NotebookFile notebook, bool strict)
    {
        var clock = Stopwatch.StartNew();
        var outcomes = new Dictionary<int, CellOutcome>();
        string? failure = null;
        try
        {
            await _process.StandardInput.WriteLineAsync(new WorkerMessage("run", notebook.Path, notebook.Cells).ToJsonLine());
            await _process.StandardInput.FlushAsync();
            failure = await ReadUntilDoneAsync(notebook, outcomes);
        }
        catch (IOException e)
        {
            failure = $"the worker process could not be reached ({e.Message})";
        }
        var cells = notebook.Cells.Where(c => c.IsCode)
            .Select(c => new CellRun(c, outcomes.GetValueOrDefault(c.Index) ?? CellOutcome.NotRun)).ToList();
        return new NotebookRun(notebook.Path, failure, cells, clock.Elapsed, strict);
    }

    /// <returns>A notebook-level failure (the worker died or did not answer between cells), or null.</returns>
    private async Task<string?> ReadUntilDoneAsync(NotebookFile notebook, Dictionary<int, CellOutcome> outcomes)
    {
        WorkerMessage? running = null;
        var outputs = new CellOutputList();
        var cellClock = new Stopwatch();
        // A worker still warming up (a loaded machine can take many seconds) gets a minute more; from "ready" on, the limit applies.
        var deadline = DateTime.UtcNow + _timeout + (_ready ? TimeSpan.Zero : TimeSpan.FromMinutes(1));
        while (true)
        {
            var message = await NextAsync(deadline);
            if (message is { Event: "timeout" })
            {
                Kill();
                if (running is null) return $"the worker did not answer within {_timeout.TotalSeconds:0.#} s";
                outcomes[running.Cell] = Stopped(running, outputs, cellClock.Elapsed,
                    $"did not finish within {_timeout.TotalSeconds:0.#} s (the per-cell limit, --timeout); the cell was stopped");
                return null;
            }
            if (message is null)
            {
                await _process.WaitForExitAsync();
                var exit = DescribeExit(_process.ExitCode);
                if (running is null) return $"the worker process ended unexpectedly ({exit}){(Captured(0, 0) is { } text ? ": " + text : "")}";
                outcomes[running.Cell] = Stopped(running, outputs, cellClock.Elapsed, $"the process running the notebook died during this cell ({exit})");
                return null;
            }
            switch (message.Event)
            {
                case "ready":
                    _ready = true;
                    deadline = DateTime.UtcNow + _timeout;
                    break;
                case "start":
                    running = message;
                    outputs = new CellOutputList();
                    cellClock.Restart();
                    deadline = DateTime.UtcNow + _timeout;
                    break;
                case "output" when message.Output is { } output:
                    outputs.Add(output, message.DisplayId, message.Update);
                    break;
                case "end":
                    outcomes[message.Cell] = new CellOutcome(message.Status, outputs.Items,
                        message.ExecutionCount, TimeSpan.FromMilliseconds(message.Milliseconds), message.Failure, message.Stray);
                    running = null;
                    deadline = DateTime.UtcNow + _timeout;
                    break;
                case "skipped":
                    outcomes[message.Cell] = new CellOutcome(CellStatus.Skipped, [], null, TimeSpan.Zero, message.Failure);
                    break;
                case "done":
                    _recycle = message.Recycle;
                    return null;
            }
        }
    }

    private async Task<WorkerMessage?> NextAsync(DateTime deadline)
    {
        var wait = deadline - DateTime.UtcNow;
        if (wait <= TimeSpan.Zero) return new WorkerMessage("timeout");
        using var cancel = new CancellationTokenSource(wait);
        try
        {
            return await _messages.Reader.ReadAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            return new WorkerMessage("timeout");
        }
        catch (ChannelClosedException)
        {
            return null;
        }
    }

    /// <summary>Reads the worker's reports into the channel; null marks its end.</summary>
    private async Task PumpAsync()
    {
        try
        {
            while (await _process.StandardOutput.ReadLineAsync() is { } line)
                if (WorkerMessage.Parse(line) is { } message) await _messages.Writer.WriteAsync(message);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException) { }
        _messages.Writer.TryComplete();
    }

    /// <summary>A cell the runner had to stop: its outputs so far, what it wrote outside the kernel, then why.</summary>
    private CellOutcome Stopped(WorkerMessage start, CellOutputList outputs, TimeSpan elapsed, string reason)
    {
        outputs.Add(Outputs.ToJson(new Microsoft.DotNet.Interactive.Documents.ErrorElement(reason, "Error", [reason])), null, false);
        return new CellOutcome(CellStatus.Failed, outputs.Items, null, elapsed, reason, Captured(start.StdoutOffset, start.StderrOffset));
    }

    /// <summary>What the worker wrote to its fds 1 and 2 from these offsets on (a crash's last words), or null.</summary>
    private string? Captured(long stdoutOffset, long stderrOffset)
    {
        var text = ReadFrom(Path.Combine(_capture.FullName, "stdout"), stdoutOffset) + ReadFrom(Path.Combine(_capture.FullName, "stderr"), stderrOffset);
        return text.Trim() is { Length: > 0 } trimmed ? trimmed : null;
    }

    private static string ReadFrom(string path, long offset)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            file.Position = Math.Min(offset, file.Length);
            return ConsoleCapture.ReadBounded(file, new UTF8Encoding(false).GetDecoder());
        }
        catch (IOException) { return ""; }
    }

    private void Kill()
    {
        try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        _process.WaitForExit(5000);
    }

    public void Dispose()
    {
        try { _process.StandardInput.Close(); } catch (IOException) { }
        if (!_process.WaitForExit(2000)) Kill();
        _process.Dispose();
        try { _capture.Delete(recursive: true); } catch (IOException) { }
    }

    /// <summary>The runner's own executable (apphost) next to its dll, else `dotnet JitNotebooks.Runner.dll`.</summary>
    private static (string FileName, string[] Prefix) WorkerCommand()
    {
        var dll = typeof(WorkerClient).Assembly.Location;
        var apphost = Path.ChangeExtension(dll, OperatingSystem.IsWindows() ? ".exe" : null);
        if (File.Exists(apphost)) return (apphost, []);
        var current = Environment.ProcessPath;
        var host = current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
        return (host, [dll]);
    }

    /// <summary>Exit codes above 128 are a signal on Unix: name the ones a JIT'd cell raises.</summary>
    private static string DescribeExit(int code) => $"exit code {code}" + code switch
    {
        132 => ": SIGILL, an illegal instruction",
        133 => ": SIGTRAP, an int3 breakpoint instruction ran",
        134 => ": SIGABRT, the runtime aborted (a stack overflow does this)",
        135 => ": SIGBUS",
        136 => ": SIGFPE, an arithmetic fault such as idiv by zero",
        137 => ": SIGKILL",
        139 => ": SIGSEGV, a segmentation fault",
        > 128 and < 160 => $": killed by signal {code - 128}",
        _ => "",
    };
}
