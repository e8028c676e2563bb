using System.Runtime.InteropServices;
using System.Text;

namespace JitNotebooks.Tests;

/// <summary>
/// Tests that touch file descriptor 1 run here, one at a time and after every parallel test
/// (xunit runs a collection with DisableParallelization alone), so nothing else writes to fd 1
/// or maps pages while they look.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class Fd1Collection
{
    public const string Name = "fd 1 (process-wide stdout)";
}

/// <summary>
/// The test's own, independent view of fd 1: raw libc calls, not the library's.
/// </summary>
internal static partial class Fd1
{
    /// <summary>Writes straight to fd 1 with write(2), as JIT'd code would.</summary>
    public static void Write(string text)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        Assert.Equal(bytes.Length, (int)write(1, bytes, (nuint)bytes.Length));
    }

    /// <summary>
    /// Points fd 1 at a fresh temporary file for the duration of <paramref name="body"/>, then
    /// restores it and returns everything that reached "the real stdout" meanwhile.
    /// </summary>
    public static string RedirectToFile(Action body)
    {
        string path = Path.GetTempFileName();
        Console.Out.Flush();
        lock (StdoutCapture.Gate) // no library capture may start while the test owns fd 1
        {
            int file = open(path, 0x1 /* O_WRONLY */ | 0x80000 /* O_CLOEXEC */);
            Assert.True(file >= 0, "open failed");
            int saved = dup(1);
            Assert.True(saved >= 0, "dup failed");
            try
            {
                Assert.Equal(1, dup2(file, 1));
                close(file);
                body();
            }
            finally
            {
                Assert.Equal(1, dup2(saved, 1));
                close(saved);
            }
        }
        string text = File.ReadAllText(path);
        File.Delete(path);
        return text;
    }

    /// <summary>Identity of what fd 1 points at: (device, inode) from fstat, via /proc/self/fd.</summary>
    public static string Target() => new FileInfo("/proc/self/fd/1").LinkTarget ?? "";

    public static int OpenDescriptorCount() => Directory.GetFiles("/proc/self/fd").Length;

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint write(int fd, byte[] buf, nuint count);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int dup(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int dup2(int oldFd, int newFd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);
}
