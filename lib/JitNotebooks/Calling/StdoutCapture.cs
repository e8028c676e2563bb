using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace JitNotebooks;

/// <summary>
/// Captures what code writes to file descriptor 1 (stdout), so JIT'd code's output comes back as
/// a value instead of reaching the real stdout, which in a notebook kernel is the protocol channel.
/// </summary>
/// <remarks>
/// <para>How: save fd 1 with <c>dup</c>, <c>dup2</c> a pipe's write end onto fd 1, run, put the
/// saved fd back with <c>dup2</c> (also when the code throws). A reader thread drains the pipe
/// while the code runs, so output larger than the pipe's buffer (64 KiB) cannot block the writer.</para>
/// <para>fd 1 belongs to the whole process, so captures are serialized by a lock, and anything
/// another thread writes to fd 1 meanwhile is captured too. .NET's <see cref="Console.Out"/> writes
/// through its own duplicate of the original fd 1, so Console output is not captured (and is
/// flushed before each capture so it cannot land in the pipe).</para>
/// <para>Where bytes run in the emulator (<see cref="NativePlatform.Mode"/>), no file descriptor is
/// touched: the emulator hands what the code writes to fd 1 straight to the capture.</para>
/// </remarks>
public static partial class StdoutCapture
{
    private const int StdoutFd = 1;
    private const int OCloexec = 0x80000; // pipe ends must not leak into child processes

    /// <summary>Held for the whole of each capture: fd 1 is process-wide.</summary>
    internal static readonly object Gate = new();

    /// <summary>Runs <paramref name="action"/> and returns what it wrote to fd 1.</summary>
    /// <exception cref="OutputCaptureException">pipe/dup/dup2 failed (errno included).</exception>
    /// <remarks>If <paramref name="action"/> throws, fd 1 is restored and the exception propagates.</remarks>
    public static CapturedOutput Run(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return new CapturedOutput(Capture(action));
    }

    /// <summary>Runs <paramref name="func"/>; returns what it wrote to fd 1 and what it returned.</summary>
    /// <example><c>var r = StdoutCapture.Run(() => memory.Call(2, 3)); // r.Result, r.Text</c></example>
    public static CapturedOutput<T> Run<T>(Func<T> func)
    {
        ArgumentNullException.ThrowIfNull(func);
        T result = default!;
        byte[] bytes = Capture(() => result = func());
        return new CapturedOutput<T>(bytes, result);
    }

    private static byte[] Capture(Action action)
    {
        // Emulated code's writes never reach fd 1: the emulator hands them over directly.
        if (NativePlatform.EnterCallPath() == ExecutionMode.Emulated) return Emulation.EmulatedOutput.Capture(action);
        byte[] emulated = [];
        byte[] native = CaptureFd1(() => emulated = Emulation.EmulatedOutput.Capture(action));
        return emulated.Length == 0 ? native : [.. native, .. emulated]; // both only when emulated memory is called in native mode
    }

    private static byte[] CaptureFd1(Action action)
    {
        lock (Gate)
        {
            Console.Out.Flush(); // buffered Console text belongs to the real stdout, not to the capture
            var (readEnd, writeEnd) = Pipe();
            int saved;
            try { saved = Check(dup(StdoutFd), "dup", "Could not save fd 1."); }
            catch { close(readEnd); close(writeEnd); throw; }

            var drain = new PipeDrain(readEnd); // owns readEnd from here on
            bool fd1IsPipe = false;
            try
            {
                // After this, fd 1 is the pipe's only write end: once it is restored, the reader sees EOF.
                try
                {
                    Check(dup2(writeEnd, StdoutFd), "dup2", "Could not point fd 1 at the pipe.");
                    fd1IsPipe = true;
                }
                finally { close(writeEnd); }
                try { action(); }
                finally
                {
                    Check(dup2(saved, StdoutFd), "dup2", "Could not restore fd 1.");
                    fd1IsPipe = false;
                }
            }
            finally
            {
                close(saved);
                // Every path waits for the reader, so no thread outlives the capture; the one path that
                // cannot (fd 1 still the pipe, so no EOF will come) must not hang instead.
                if (!fd1IsPipe) drain.Join();
            }
            return drain.Bytes();
        }
    }

    private static (int ReadEnd, int WriteEnd) Pipe()
    {
        int[] fds = new int[2];
        Check(pipe2(fds, OCloexec), "pipe2", "Could not create the pipe that collects the output.");
        return (fds[0], fds[1]);
    }

    private static int Check(int result, string call, string message) =>
        result >= 0 ? result : throw new OutputCaptureException(call, Marshal.GetLastPInvokeError(), message);

    /// <summary>Reads a pipe to its end on a thread of its own and keeps every byte.</summary>
    private sealed class PipeDrain
    {
        // Below the 85 KB large-object threshold, so each capture's buffer is cheap to collect.
        private const int ChunkSize = 16 * 1024;
        private readonly MemoryStream _bytes = new();
        private readonly Thread _thread;
        private Exception? _failure;

        public PipeDrain(int readFd)
        {
            var stream = new FileStream(new SafeFileHandle(readFd, ownsHandle: true), FileAccess.Read, bufferSize: 0);
            _thread = new Thread(() =>
            {
                try { using (stream) stream.CopyTo(_bytes, ChunkSize); }
                catch (Exception e) { _failure = e; }
            })
            { IsBackground = true, Name = "StdoutCapture drain" };
            _thread.Start();
        }

        public void Join() => _thread.Join();

        public byte[] Bytes()
        {
            if (_failure is not null)
                throw new IOException("Reading the captured output failed: " + _failure.Message, _failure);
            return _bytes.ToArray();
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int pipe2([Out] int[] fds, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int dup(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int dup2(int oldFd, int newFd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);
}
