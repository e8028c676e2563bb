using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace JitNotebooks.Runner.Worker;

/// <summary>
/// Keeps the worker's channels to the runner away from cells. Standard output and error are pointed
/// (dup2) at two files, so anything written to fds 1 and 2 outside the kernel's own console capture
/// (JIT'd code calling write(2), a thread still printing after its cell) lands there, not in the
/// channel; the worker keeps a duplicate of the original fd 1 as its channel to the runner, and of
/// fd 0 for the runner's requests, while fd 0 becomes /dev/null: a cell that reads stdin reads
/// nothing, as in the kernel. On Windows (no JIT'd code runs there) Console's streams are redirected.
/// </summary>
internal sealed partial class ConsoleCapture(Stream channel, TextReader requests, ConsoleCapture.CapturedFile stdout, ConsoleCapture.CapturedFile stderr)
{
    // The capture files behind fds 1 and 2: kept referenced so they are never closed.
    private static FileStream[] s_keepAlive = [];

    /// <summary>The worker's channel to the parent: the process's original standard output.</summary>
    public Stream Channel { get; } = channel;

    /// <summary>The runner's requests: the process's original standard input.</summary>
    public TextReader Requests { get; } = requests;

    public static ConsoleCapture Start(string folder)
    {
        var (stdoutPath, stderrPath) = (Path.Combine(folder, "stdout"), Path.Combine(folder, "stderr"));
        if (OperatingSystem.IsWindows())
        {
            var channel = Console.OpenStandardOutput();
            var requests = new StreamReader(Console.OpenStandardInput(), new UTF8Encoding(false));
            Console.SetIn(TextReader.Null);
            Console.SetOut(new StreamWriter(OpenForWriting(stdoutPath), new UTF8Encoding(false)) { AutoFlush = true });
            Console.SetError(new StreamWriter(OpenForWriting(stderrPath), new UTF8Encoding(false)) { AutoFlush = true });
            return new ConsoleCapture(channel, requests, new CapturedFile(stdoutPath), new CapturedFile(stderrPath));
        }

        // Console.Out must not exist yet: .NET dups fd 1 when it creates it, and would keep
        // writing to the original stdout (our channel) after the dup2 below.
        var channelFd = Check(Dup(1), "dup(1)");
        var requestsFd = Check(Dup(0), "dup(0)");
        using (var devNull = new FileStream("/dev/null", FileMode.Open, FileAccess.Read))
            Check(Dup2((int)devNull.SafeFileHandle.DangerousGetHandle(), 0), "dup2(stdin)");
        // The FileStreams stay open for the life of the worker: fds 1 and 2 point at their files.
        var outFile = OpenForWriting(stdoutPath);
        var errFile = OpenForWriting(stderrPath);
        Check(Dup2((int)outFile.SafeFileHandle.DangerousGetHandle(), 1), "dup2(stdout)");
        Check(Dup2((int)errFile.SafeFileHandle.DangerousGetHandle(), 2), "dup2(stderr)");
        s_keepAlive = [outFile, errFile];
        // Belt and braces: (re)open Console's writers on the new fds 1 and 2.
        Console.SetOut(new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = true });
        Console.SetError(new StreamWriter(Console.OpenStandardError(), new UTF8Encoding(false)) { AutoFlush = true });
        var channelStream = new FileStream(new SafeFileHandle(channelFd, ownsHandle: true), FileAccess.Write, bufferSize: 1);
        var requestStream = new FileStream(new SafeFileHandle(requestsFd, ownsHandle: true), FileAccess.Read, bufferSize: 1);
        return new ConsoleCapture(channelStream, new StreamReader(requestStream, new UTF8Encoding(false)),
            new CapturedFile(stdoutPath), new CapturedFile(stderrPath));
    }

    /// <summary>Where each capture file ends now: the parent reads a hung cell's output from here.</summary>
    public (long Stdout, long Stderr) Offsets => (stdout.Offset, stderr.Offset);

    /// <summary>What was written since the last call, as (stdout, stderr) text.</summary>
    public (string Stdout, string Stderr) TakeNew()
    {
        Console.Out.Flush();
        Console.Error.Flush();
        return (stdout.ReadNew(), stderr.ReadNew());
    }

    private static FileStream OpenForWriting(string path) =>
        new(path, FileMode.Create, FileAccess.Write, FileShare.ReadWrite, bufferSize: 1);

    private static int Check(int result, string call) => result >= 0
        ? result
        : throw new IOException($"{call} failed with errno {Marshal.GetLastPInvokeError()}");

    [LibraryImport("libc", EntryPoint = "dup", SetLastError = true)]
    private static partial int Dup(int fd);

    [LibraryImport("libc", EntryPoint = "dup2", SetLastError = true)]
    private static partial int Dup2(int oldFd, int newFd);

    /// <summary>
    /// What was written to <paramref name="file"/> from its position on, at most <see cref="CellExecutor.OutputLimit"/>
    /// bytes of it (the rest skipped with a note), decoded as UTF-8 (invalid bytes become U+FFFD).
    /// </summary>
    public static string ReadBounded(FileStream file, Decoder decoder)
    {
        var text = new StringBuilder();
        var bytes = new byte[8192];
        var chars = new char[8192 + 4];
        long left = CellExecutor.OutputLimit;
        int read;
        while (left > 0 && (read = file.Read(bytes, 0, (int)Math.Min(bytes.Length, left))) > 0)
        {
            left -= read;
            text.Append(chars, 0, decoder.GetChars(bytes, 0, read, chars, 0));
        }
        var skipped = file.Length - file.Position;
        if (left == 0 && skipped > 0)
        {
            file.Seek(0, SeekOrigin.End);
            decoder.Reset();
            text.Append($"\n[output truncated: {skipped / 1048576.0:0.#} MB more]\n");
        }
        return text.ToString();
    }

    /// <summary>Reads a growing file incrementally, decoding UTF-8 across chunk boundaries.</summary>
    internal sealed class CapturedFile(string path)
    {
        private readonly Decoder _decoder = new UTF8Encoding(false).GetDecoder();
        private readonly FileStream _reader = new(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);

        public long Offset => _reader.Position;

        public string ReadNew() => ReadBounded(_reader, _decoder);
    }
}
