using System.Text;
using System.Text.Json.Nodes;
using JitNotebooks.Runner.Kernel;
using JitNotebooks.Runner.Notebooks;

namespace JitNotebooks.Runner.Worker;

/// <summary>
/// The child process that runs one notebook (`--worker`). It owns nothing the parent needs to
/// survive: a hung cell is killed with it, a crash ends only it.
/// </summary>
internal static class NotebookWorker
{
    public const string Flag = "--worker";

    /// <summary>`--worker notebook.ipynb captureFolder`.</summary>
    public static async Task<int> RunAsync(string notebookPath, string captureFolder)
    {
        var capture = ConsoleCapture.Start(captureFolder);
        var channel = new StreamWriter(capture.Channel, new UTF8Encoding(false)) { AutoFlush = true };
        void Send(WorkerMessage message) => channel.WriteLine(message.ToJsonLine());

        var notebook = NotebookDocument.Load(notebookPath);
        var kernel = new ScriptKernel(Path.GetDirectoryName(Path.GetFullPath(notebookPath))!, capture.TakeNew);
        var warmup = System.Diagnostics.Stopwatch.StartNew();
        await kernel.StartAsync();
        capture.TakeNew();
        Send(new WorkerMessage("ready", Milliseconds: warmup.Elapsed.TotalMilliseconds));

        foreach (var cell in notebook.Cells.Where(c => c.IsCode && !string.IsNullOrWhiteSpace(c.Source)))
        {
            var (stdout, stderr) = capture.Offsets;
            Send(new WorkerMessage("start", cell.Index, stdout, stderr));
            var outcome = await kernel.RunCellAsync(cell);
            Send(new WorkerMessage("end", cell.Index, Status: outcome.Status, Milliseconds: outcome.Elapsed.TotalMilliseconds,
                Outputs: new JsonArray(outcome.Outputs.Select(o => (JsonNode)o.DeepClone()).ToArray()),
                ExecutionCount: outcome.ExecutionCount, Failure: outcome.Failure, Line: outcome.Line));
            if (outcome.Status == CellStatus.Failed) break;
        }
        Send(new WorkerMessage("done"));
        return 0;
    }
}
