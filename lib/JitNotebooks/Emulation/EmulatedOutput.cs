using System.Text;

namespace JitNotebooks.Emulation;

/// <summary>
/// Where emulated <c>write</c> calls go: into the capture of <see cref="StdoutCapture"/> when one is
/// running on this thread, otherwise to the console (fd 1 to Console.Out, fd 2 to Console.Error),
/// which a notebook kernel shows as the cell's output.
/// </summary>
internal static class EmulatedOutput
{
    private static readonly AsyncLocal<MemoryStream?> Sink = new();

    public static void Write(OutputWrite write)
    {
        if (write.Fd == 1 && Sink.Value is { } sink)
        {
            sink.Write(write.Bytes);
            return;
        }
        var writer = write.Fd == 1 ? Console.Out : Console.Error;
        writer.Write(Encoding.UTF8.GetString(write.Bytes));
        writer.Flush();
    }

    /// <summary>Runs <paramref name="action"/> and returns what emulated code wrote to fd 1 meanwhile.</summary>
    public static byte[] Capture(Action action)
    {
        var outer = Sink.Value;
        var sink = new MemoryStream();
        Sink.Value = sink;
        try { action(); }
        finally { Sink.Value = outer; }
        return sink.ToArray();
    }
}
