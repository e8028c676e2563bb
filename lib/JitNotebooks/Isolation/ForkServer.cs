using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.InteropServices;
using JitNotebooks.Emulation;

namespace JitNotebooks.Isolation;

/// <summary>
/// The host side of the isolated runner: maps the server's code, data and the mailbox it shares
/// with the workers, forks the server once (again after it dies), and runs one request at a time:
/// the code and arguments go into the mailbox, one byte down the request pipe wakes the server,
/// the status pipe reports the worker's pid and then its wait status, and the output pipes are
/// drained meanwhile so a chatty program cannot block on a full pipe.
/// </summary>
/// <remarks>
/// Why a fork server: forking the .NET process itself costs milliseconds per run (the kernel copies
/// the page tables of hundreds of megabytes), and the child of a multithreaded runtime may only make
/// async-signal-safe calls. The server is forked once, drops every page of .NET, and from then on
/// forks a worker in tens of microseconds; neither ever runs managed code or libc.
/// </remarks>
internal sealed unsafe class ForkServer
{
    private const int OutputLimit = 1 << 20;
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(1);
    private static readonly object Gate = new();
    private static ForkServer? _instance;

    private readonly byte* _data;
    private readonly byte* _mailbox;
    private readonly ExecutableMemory _code;
    private readonly int _forkServerOffset;
    private int _pid, _request = -1, _status = -1, _stdout = -1, _stderr = -1;

    private ForkServer()
    {
        _data = (byte*)MapOrThrow(ForkServerProgram.DataSize, LinuxCalls.MapPrivate);
        _mailbox = (byte*)MapOrThrow(ForkServerProgram.MailboxSize, LinuxCalls.MapShared); // seen by the host and every worker
        using var staging = ExecutableMemory.MapWritable(16 * 1024);
        var (bytes, forkServer, handler, restorer) = ForkServerProgram.Assemble((ulong)staging.Address, (ulong)_data, (ulong)_mailbox);
        _code = staging.Write(bytes).MakeExecutable();
        _forkServerOffset = forkServer;
        PrepareData((ulong)_code.Address + (ulong)handler, (ulong)_code.Address + (ulong)restorer);
    }

    /// <summary>The server's process id (0 before the first run); for tests that kill it.</summary>
    internal static int ServerProcessId
    {
        get { lock (Gate) return _instance?._pid ?? 0; }
    }

    public static IsolatedRun Run(ReadOnlySpan<byte> code, long[] arguments, TimeSpan timeout)
    {
        var copy = code.ToArray();
        lock (Gate)
        {
            var server = _instance ??= new ForkServer();
            for (int attempt = 0; ; attempt++)
            {
                server.EnsureStarted();
                var result = server.RunOnce(copy, arguments, timeout);
                if (result is not null) return result;
                server.Stop(); // the server died under this run: start a new one and run again, once
                if (attempt == 1)
                    throw new IsolationUnavailableException("The isolated runner's server died twice in a row; isolated runs are not possible here.");
            }
        }
    }

    // ---- setup -------------------------------------------------------------------------------------

    private static nint MapOrThrow(int length, int sharing)
    {
        nint p = LinuxCalls.mmap(0, (nuint)length, LinuxCalls.ProtRead | LinuxCalls.ProtWrite, sharing | LinuxCalls.MapAnonymous, -1, 0);
        return p != -1 ? p : throw new IsolationUnavailableException($"mmap of {length} bytes for the isolated runner failed (errno {LinuxCalls.Errno}).");
    }

    private void PrepareData(ulong handler, ulong restorer)
    {
        const ulong SaSiginfo = 4, SaOnstack = 0x0800_0000, SaRestorer = 0x0400_0000;
        var d = new Span<byte>(_data, ForkServerProgram.DataSize);
        // struct kernel_sigaction { handler; flags; restorer; mask }: every signal blocked while the handler runs.
        Put(d, ForkServerProgram.CrashAction, handler);
        Put(d, ForkServerProgram.CrashAction + 8, SaSiginfo | SaOnstack | SaRestorer);
        Put(d, ForkServerProgram.CrashAction + 16, restorer);
        Put(d, ForkServerProgram.CrashAction + 24, ulong.MaxValue);
        // stack_t { ss_sp; ss_flags; ss_size }: the handler still runs when the code wrecked rsp.
        Put(d, ForkServerProgram.AltStackInfo, (ulong)_data + ForkServerProgram.AltStack);
        Put(d, ForkServerProgram.AltStackInfo + 16, ForkServerProgram.AltStackSize);
        // struct sock_fprog { len; filter }
        var filter = SeccompFilter.Program();
        BinaryPrimitives.WriteUInt16LittleEndian(d[ForkServerProgram.FilterProgram..], (ushort)(filter.Length / 8));
        Put(d, ForkServerProgram.FilterProgram + 8, (ulong)_data + ForkServerProgram.Filter);
        filter.CopyTo(d[ForkServerProgram.Filter..]);
    }

    private static void Put(Span<byte> span, int offset, ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(span[offset..], value);

    private void EnsureStarted()
    {
        if (_pid > 0) return;
        var (requestRead, requestWrite) = Pipe();
        var (statusRead, statusWrite) = Pipe();
        var (stdoutRead, stdoutWrite) = Pipe();
        var (stderrRead, stderrWrite) = Pipe();
        int[] serverEnds = [requestRead, statusWrite, stdoutWrite, stderrWrite];
        try
        {
            if (serverEnds.Any(fd => fd >= 1000))
                throw new IsolationUnavailableException("This process has over 1000 files open; the isolated runner needs fd numbers below 1000.");
            var d = new Span<byte>(_data, ForkServerProgram.DataSize);
            for (int i = 0; i < 4; i++) Put(d, ForkServerProgram.Fds + 8 * i, (ulong)serverEnds[i]);
            // This thread forks, so its rseq area (in its TLS, at the thread pointer) must stay mapped in the server.
            ulong fsBase;
            ((delegate* unmanaged<ulong*, void>)_code.Address)(&fsBase);
            WriteUnmapList(d, fsBase);
            long pid = ((delegate* unmanaged<long>)(_code.Address + _forkServerOffset))();
            if (pid <= 0) throw new IsolationUnavailableException($"fork failed (errno {-pid}): the isolated runner cannot start.");
            _pid = (int)pid;
        }
        finally
        {
            foreach (int fd in serverEnds) LinuxCalls.close(fd); // the server has its own copies now
        }
        (_request, _status, _stdout, _stderr) = (requestWrite, statusRead, stdoutRead, stderrRead);
        foreach (int fd in new[] { _status, _stdout, _stderr })
            LinuxCalls.fcntl(fd, LinuxCalls.FSetfl, LinuxCalls.fcntl(fd, LinuxCalls.FGetfl, 0) | LinuxCalls.ONonblock);
    }

    /// <summary>
    /// Everything in the user address space except the server's code, data and mailbox, and the
    /// mapping(s) around the forking thread's thread pointer (its TLS holds the rseq area glibc
    /// registered with the kernel, which the kernel keeps writing to).
    /// </summary>
    private void WriteUnmapList(Span<byte> d, ulong threadPointer)
    {
        const ulong UserEnd = 0x7fff_ffff_f000, Page = 4096;
        var keep = new List<(ulong Start, ulong End)>
        {
            ((ulong)_data, (ulong)_data + ForkServerProgram.DataSize),
            ((ulong)_mailbox, (ulong)_mailbox + ForkServerProgram.MailboxSize),
            ((ulong)_code.Address, (ulong)_code.Address + (ulong)_code.MappedSize),
        };
        foreach (var m in ProcMaps.ReadSelf())
            if (m.Start < threadPointer + Page && threadPointer < m.End + Page) keep.Add((m.Start, m.End));
        var gaps = new List<(ulong Start, ulong Length)>();
        ulong from = 0;
        foreach (var (start, end) in keep.OrderBy(k => k.Start))
        {
            if (start > from) gaps.Add((from, start - from));
            from = Math.Max(from, (end + Page - 1) / Page * Page);
        }
        gaps.Add((from, UserEnd - from));
        if (gaps.Count > ForkServerProgram.MaxUnmapRanges)
            throw new IsolationUnavailableException("Too many ranges to keep in the isolated runner's server.");
        Put(d, ForkServerProgram.UnmapList, (ulong)gaps.Count);
        for (int i = 0; i < gaps.Count; i++)
        {
            Put(d, ForkServerProgram.UnmapList + 8 + 16 * i, gaps[i].Start);
            Put(d, ForkServerProgram.UnmapList + 16 + 16 * i, gaps[i].Length);
        }
    }

    private static (int Read, int Write) Pipe()
    {
        int* fds = stackalloc int[2];
        if (LinuxCalls.pipe2(fds, LinuxCalls.OCloexec) != 0)
            throw new IsolationUnavailableException($"pipe2 failed (errno {LinuxCalls.Errno}).");
        return (fds[0], fds[1]);
    }

    /// <summary>Kills and reaps the server and closes the host's pipe ends.</summary>
    private void Stop()
    {
        if (_pid > 0)
        {
            LinuxCalls.kill(_pid, LinuxCalls.Sigkill);
            int status;
            LinuxCalls.waitpid(_pid, &status, 0);
        }
        foreach (int fd in new[] { _request, _status, _stdout, _stderr })
            if (fd >= 0) LinuxCalls.close(fd);
        (_pid, _request, _status, _stdout, _stderr) = (0, -1, -1, -1, -1);
    }

    // ---- one run -----------------------------------------------------------------------------------

    /// <summary>Runs the code in a fresh worker; null when the server itself died (the caller restarts it).</summary>
    private IsolatedRun? RunOnce(byte[] code, long[] arguments, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var mailbox = new Span<byte>(_mailbox, ForkServerProgram.MailboxSize);
        mailbox[..ForkServerProgram.Code].Clear();
        Put(mailbox, ForkServerProgram.CodeLength, (ulong)code.Length);
        for (int i = 0; i < 6; i++) Put(mailbox, ForkServerProgram.Arguments + 8 * i, i < arguments.Length ? (ulong)arguments[i] : 0);
        long micros = Math.Max(1, (long)(timeout.TotalMilliseconds * 1000));
        Put(mailbox, ForkServerProgram.Timer + 16, (ulong)(micros / 1_000_000)); // it_value.tv_sec
        Put(mailbox, ForkServerProgram.Timer + 24, (ulong)(micros % 1_000_000)); // it_value.tv_usec
        code.CopyTo(mailbox[ForkServerProgram.Code..]);

        long go = 1;
        if (LinuxCalls.write(_request, (byte*)&go, 8) != 8) return null;
        var output = new Collector();
        var errors = new Collector();
        var started = ReadRecord(output, errors, DateTime.UtcNow + TimeSpan.FromSeconds(10));
        if (started is not { } s || s.Status != -1) return null;
        if (s.Pid <= 0) throw new IsolationUnavailableException($"The isolated runner could not fork a worker (errno {-s.Pid}).");

        bool killed = false;
        var deadline = DateTime.UtcNow + timeout + Grace;
        (long Pid, long Status)? ended;
        while ((ended = ReadRecord(output, errors, deadline)) is null)
        {
            if (!IsAlive()) return null;
            if (killed) return null; // killed and still no status: the server is stuck
            // The worker's own timer should have ended it; make sure.
            LinuxCalls.kill((int)s.Pid, LinuxCalls.Sigkill);
            killed = true;
            deadline = DateTime.UtcNow + TimeSpan.FromSeconds(2);
        }
        output.Drain(_stdout);
        errors.Drain(_stderr);
        return Classify(code, arguments, (int)ended.Value.Status, killed, timeout, output.Bytes(), errors.Bytes(), clock.Elapsed);
    }

    private bool IsAlive() => _pid > 0 && LinuxCalls.kill(_pid, 0) == 0;

    /// <summary>Waits for one (pid, status) record, draining the output pipes meanwhile; null at the deadline or when the server is gone.</summary>
    private (long Pid, long Status)? ReadRecord(Collector output, Collector errors, DateTime deadline)
    {
        var fds = stackalloc LinuxCalls.PollFd[3];
        fds[0] = new() { Fd = _status, Events = LinuxCalls.PollIn };
        fds[1] = new() { Fd = _stdout, Events = LinuxCalls.PollIn };
        fds[2] = new() { Fd = _stderr, Events = LinuxCalls.PollIn };
        var record = stackalloc long[2];
        while (true)
        {
            nint n = LinuxCalls.read(_status, (byte*)record, 16);
            if (n == 16) return (record[0], record[1]);
            if (n == 0) return null; // EOF: the server exited
            int wait = (int)Math.Clamp((deadline - DateTime.UtcNow).TotalMilliseconds, 0, int.MaxValue);
            if (wait == 0) return null;
            LinuxCalls.poll(fds, 3, wait);
            output.Drain(_stdout);
            errors.Drain(_stderr);
        }
    }

    /// <summary>Keeps up to 1 MiB of a pipe's bytes (and throws the rest away, so the writer never blocks).</summary>
    private sealed class Collector
    {
        private readonly MemoryStream _bytes = new();

        public void Drain(int fd)
        {
            var buffer = stackalloc byte[16 * 1024];
            nint n;
            while ((n = LinuxCalls.read(fd, buffer, 16 * 1024)) > 0)
                if (_bytes.Length < OutputLimit)
                    _bytes.Write(new ReadOnlySpan<byte>(buffer, (int)Math.Min(n, OutputLimit - _bytes.Length)));
        }

        public byte[] Bytes() => _bytes.ToArray();
    }

    // ---- what happened -------------------------------------------------------------------------------

    private IsolatedRun Classify(byte[] code, long[] arguments, int status, bool killed, TimeSpan timeout, byte[] output, byte[] errors, TimeSpan elapsed)
    {
        byte* mailbox = _mailbox;
        long Get(int offset) => *(long*)(mailbox + offset);
        long kind = Get(ForkServerProgram.Kind);
        bool exited = (status & 0x7f) == 0;
        int exitCode = (status >> 8) & 0xff, signal = status & 0x7f;

        if (kind == ForkServerProgram.KindSetupFailed)
            throw new IsolationUnavailableException(
                $"The isolated worker could not set itself up (errno {-Get(ForkServerProgram.Rax)}): mmap, mprotect or seccomp failed. " +
                "Isolated runs need a Linux kernel with seccomp filters.");
        if (kind == ForkServerProgram.KindReturned && exited && exitCode == 0)
            return new IsolatedRun.Returned(Get(ForkServerProgram.Rax), Get(ForkServerProgram.Rdx), output, errors, elapsed, emulated: false);
        if (kind == ForkServerProgram.KindSignaled)
            return Crash(code, arguments, (LinuxSignal)Get(ForkServerProgram.Signal), (ulong)Get(ForkServerProgram.Rip), (ulong)Get(ForkServerProgram.FaultAddress),
                (int)Get(ForkServerProgram.SyscallNumber), (ulong)Get(ForkServerProgram.CodeBase), output, errors, elapsed);
        if (killed || !exited && signal == (int)LinuxSignal.SIGALRM)
            return new IsolatedRun.TimedOut(timeout, output, errors, elapsed, emulated: false);
        if (!exited)
            return Crash(code, arguments, (LinuxSignal)signal, null, null, null, null, output, errors, elapsed); // the handler could not run
        if (kind == ForkServerProgram.KindRunning)
            return new IsolatedRun.Exited(exitCode, output, errors, elapsed, emulated: false);
        throw new IsolationUnavailableException($"The isolated worker ended (status {status}) before running the code.");
    }

    private static IsolatedRun.Crashed Crash(byte[] code, long[] arguments, LinuxSignal signal, ulong? rip, ulong? faultAddress, int? syscall, ulong? codeBase,
        byte[] output, byte[] errors, TimeSpan elapsed)
    {
        long? offset = rip is { } r && codeBase is { } b && r >= b && r - b < (ulong)code.Length ? (long)(r - b) : null;
        // Traps report the instruction after: int3 (cc) and the refused syscall (0f 05) are one and two bytes back.
        if (signal == LinuxSignal.SIGTRAP && rip is { } tr && codeBase is { } tb && tr > tb && tr - tb <= (ulong)code.Length && code[tr - tb - 1] == 0xCC)
            offset = (long)(tr - tb - 1);
        if (signal == LinuxSignal.SIGSYS && rip is { } sr && codeBase is { } sb && sr - sb >= 2 && sr - sb <= (ulong)code.Length)
            offset = (long)(sr - sb - 2);
        string? detail = null, instruction = offset is { } o ? AttText.Format(code[(int)o..], (ulong)o) : null;
        // Where the CPU could not say, or to add an explanation: run the same bytes in the emulator.
        try { Emulator.Run(code, new EmulatorOptions { MaxSteps = 1_000_000 }, arguments); }
        catch (EmulationException e) when (e.Signal == signal || e is UnsupportedSyscallException && signal == LinuxSignal.SIGSYS)
        {
            offset ??= e.Offset;
            instruction ??= e.InstructionText;
            detail = "The emulator explains: " + e.Problem;
        }
        catch (EmulationException) { }
        return new IsolatedRun.Crashed(signal, offset, instruction,
            signal is LinuxSignal.SIGSEGV or LinuxSignal.SIGBUS ? faultAddress : null, rip,
            signal == LinuxSignal.SIGSYS ? syscall : null, detail, output, errors, elapsed, emulated: false);
    }
}
