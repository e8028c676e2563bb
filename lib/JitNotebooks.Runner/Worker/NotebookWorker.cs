using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using JitNotebooks.Runner.Host;
using JitNotebooks.Runner.Notebooks;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;

namespace JitNotebooks.Runner.Worker;

/// <summary>
/// A worker process (`--worker captureFolder`): warms the kernel up once, then runs the notebooks
/// the runner sends it one at a time, each in a fresh kernel, and reports as it goes. It owns
/// nothing the runner needs to survive: a hung cell is killed with it, a crash ends only it.
/// </summary>
internal static class NotebookWorker
{
    public const string Flag = "--worker";

    public static async Task<int> RunAsync(string captureFolder)
    {
        var capture = ConsoleCapture.Start(captureFolder);
        var channel = new StreamWriter(capture.Channel, new UTF8Encoding(false)) { AutoFlush = true };
        var sendLock = new object();
        void Send(WorkerMessage message)
        {
            lock (sendLock) channel.WriteLine(message.ToJsonLine());
        }

        var clock = Stopwatch.StartNew();
        await WarmUpAsync();
        capture.TakeNew();
        var threads = OwnThreads();
        Send(new WorkerMessage("ready", Milliseconds: clock.Elapsed.TotalMilliseconds));

        while (await capture.Requests.ReadLineAsync() is { } line)
        {
            if (WorkerMessage.Parse(line) is { Event: "run", Path: { } path, Cells: { } cells })
            {
                await RunNotebookAsync(path, cells, capture, Send);
                // A thread a cell started that outlives its notebook would run on in the next one: the runner starts a fresh worker then.
                bool leftover = OwnThreads() > threads;
                for (int wait = 0; wait < 20 && leftover; wait++)
                {
                    await Task.Delay(10); // the kernel's own threads take a moment to end
                    leftover = OwnThreads() > threads;
                }
                Send(new WorkerMessage("done", path, Recycle: leftover));
            }
        }
        return 0;
    }

    /// <summary>Loads the kernel's assemblies and compiles once, so the first notebook does not pay for it alone.</summary>
    private static async Task WarmUpAsync()
    {
        KernelFactory.ResetFormatting();
        using var kernel = KernelFactory.Create();
        await kernel.SendAsync(new SubmitCode("var warm = new System.Collections.Generic.List<int> { 1 }; display(warm.Count); warm"));
    }

    /// <summary>
    /// The process's threads other than the thread pool's, which grows and shrinks on its own, and the
    /// background GC's, which the runtime starts at the first background collection (on Linux, where
    /// threads carry names; a thread a cell starts inherits its creator's, so only this one is told apart).
    /// </summary>
    private static int OwnThreads()
    {
        using var process = Process.GetCurrentProcess();
        var backgroundGc = OperatingSystem.IsLinux()
            ? Directory.GetDirectories("/proc/self/task").Count(task => ThreadName(task) == ".NET BGC\n")
            : 0;
        return process.Threads.Count - ThreadPool.ThreadCount - backgroundGc;
    }

    private static string? ThreadName(string task)
    {
        try { return File.ReadAllText(Path.Combine(task, "comm")); }
        catch (IOException) { return null; } // the thread ended meanwhile
    }

    /// <summary>Runs the cells the runner read from the notebook at <paramref name="path"/>, in a fresh kernel.</summary>
    private static async Task RunNotebookAsync(string path, IReadOnlyList<NotebookCell> notebook, ConsoleCapture capture, Action<WorkerMessage> send)
    {
        // As in VS Code and Jupyter, a notebook's kernel starts in the notebook's folder.
        Directory.SetCurrentDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        KernelFactory.ResetFormatting();
        using var kernel = KernelFactory.Create();
        int cellIndex = -1;
        var cells = new CellExecutor(kernel, (output, displayId, update) =>
            send(new WorkerMessage("output", Cell: cellIndex, Output: output, DisplayId: displayId, Update: update)));

        foreach (var cell in notebook.Where(c => c.IsCode && !string.IsNullOrWhiteSpace(c.Source)))
        {
            if (!KernelFactory.Hosted.Contains(cell.KernelName))
            {
                send(new WorkerMessage("skipped", Cell: cell.Index,
                    Failure: $"a {cell.KernelName} cell: this runner hosts the {string.Join(", ", KernelFactory.Hosted)} kernels"));
                continue;
            }
            var (stdout, stderr) = capture.Offsets;
            cellIndex = cell.Index;
            send(new WorkerMessage("start", Cell: cell.Index, StdoutOffset: stdout, StderrOffset: stderr));
            var clock = Stopwatch.StartNew();
            var (status, count, failure) = await cells.RunAsync(cell);
            var (strayOut, strayErr) = capture.TakeNew();
            send(new WorkerMessage("end", Cell: cell.Index, Status: status, Milliseconds: clock.Elapsed.TotalMilliseconds,
                ExecutionCount: count, Failure: failure, Stray: NullIfEmpty(strayOut + strayErr)));
            if (status == CellStatus.Failed) break; // as nbclient does: later cells would build on a failure
        }
    }

    private static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;
}
