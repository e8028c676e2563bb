using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;

namespace JitNotebooks.Isolation;

/// <summary>
/// The isolated runner's machine code, written with Iced's assembler: the course's own medicine.
/// After the host's raw <c>fork</c> it never returns to .NET, so the child runs nothing but these
/// instructions and system calls (nothing of the runtime, nothing of libc: async-signal-safe by
/// construction).
/// <list type="number">
/// <item><b>get_fs_base</b> (called from C#): the thread pointer, whose page must stay mapped in the server.</item>
/// <item><b>fork_server</b> (called from C#): forks; the parent returns the pid.</item>
/// <item><b>The server</b> (the child): moves to its own stack, keeps only four pipe ends, resets
/// every signal to its default, and unmaps every page of the .NET process except its code, its data
/// and the shared mailbox, so it is tiny and each of its own forks is cheap. Then it loops: read a
/// request byte, fork a worker, report its pid, wait for it, report its wait status.</item>
/// <item><b>The worker</b> (the server's child): points fds 1 and 2 at the output pipes, closes the
/// rest, installs a handler for the crash signals on an alternate stack, copies the code into
/// fresh pages (read-write, then read-execute: W^X here too), arms a timer whose SIGALRM ends a
/// runaway loop, enters the seccomp sandbox and calls the code as a System V function.</item>
/// <item><b>The handler</b>: writes the signal, the fault address and the faulting rip (from the
/// ucontext the kernel hands it) into the mailbox, then exits.</item>
/// </list>
/// </summary>
internal static class ForkServerProgram
{
    // ---- the private data page the server keeps (offsets) --------------------------------------------
    public const int CrashAction = 0x000;    // struct kernel_sigaction for the crash signals (32 bytes)
    public const int DefaultAction = 0x020;  // SIG_DFL (all zero)
    public const int EmptySet = 0x040;       // an empty signal mask
    public const int AltStackInfo = 0x048;   // stack_t for sigaltstack (24 bytes)
    public const int FilterProgram = 0x060;  // struct sock_fprog (16 bytes)
    public const int Fds = 0x070;            // request read end, status write end, stdout write end, stderr write end
    public const int Record = 0x090;         // (pid, status) written to the status pipe
    public const int WaitStatus = 0x0A0;
    public const int Command = 0x0A8;
    public const int Filter = 0x100;         // the seccomp instructions
    public const int UnmapList = 0x200;      // count, then (start, length) pairs
    public const int MaxUnmapRanges = 60;
    public const int AltStack = 0x1000, AltStackSize = 0x8000;
    public const int ServerStack = 0x9000, ServerStackTop = 0x19000;
    public const int DataSize = ServerStackTop;

    // ---- the shared mailbox (offsets) -----------------------------------------------------------------
    public const int Kind = 0x00, Rax = 0x08, Rdx = 0x10, Signal = 0x18, SignalCode = 0x20, FaultAddress = 0x28,
        Rip = 0x30, Rsp = 0x38, SyscallNumber = 0x40, CodeBase = 0x48, CodeLength = 0x50, Arguments = 0x58, Timer = 0x88,
        Code = 0x100;
    public const int MaxCodeSize = 64 * 1024;
    public const int MailboxSize = Code + MaxCodeSize;

    /// <summary>What the worker got to (the mailbox's Kind).</summary>
    public const long KindNone = 0, KindRunning = 1, KindReturned = 2, KindSignaled = 3, KindSetupFailed = 4;

    /// <summary>The fds the server keeps: 1000 request, 1001 status, 1002 stdout, 1003 stderr.</summary>
    private const int FirstFd = 1000;

    private const int SysRead = 0, SysWrite = 1, SysClose = 3, SysMmap = 9, SysMprotect = 10, SysMunmap = 11,
        SysRtSigaction = 13, SysRtSigprocmask = 14, SysDup2 = 33, SysSetitimer = 38, SysFork = 57, SysWait4 = 61,
        SysSigaltstack = 131, SysPrctl = 157, SysArchPrctl = 158, SysSeccomp = 317, SysCloseRange = 436, SysExitGroup = 231;

    /// <summary>The signals whose handler records where the code crashed.</summary>
    public static readonly LinuxSignal[] CrashSignals =
        [LinuxSignal.SIGILL, LinuxSignal.SIGTRAP, LinuxSignal.SIGBUS, LinuxSignal.SIGFPE, LinuxSignal.SIGSEGV, LinuxSignal.SIGSYS];

    /// <summary>
    /// Assembles the program for the address it will run at; returns the bytes and the offsets of
    /// fork_server, the handler and the restorer (get_fs_base is at offset 0).
    /// </summary>
    public static (byte[] Bytes, int ForkServerOffset, int HandlerOffset, int RestorerOffset) Assemble(ulong codeAddress, ulong data, ulong mailbox)
    {
        var a = new Assembler(64);
        var serverChild = a.CreateLabel("server_child");
        var serverLoop = a.CreateLabel("server_loop");
        var serverExit = a.CreateLabel("server_exit");
        var worker = a.CreateLabel("worker");
        var setupFailed = a.CreateLabel("setup_failed");
        var handler = a.CreateLabel("handler");
        var restorer = a.CreateLabel("restorer");

        void Sys(int number)
        {
            a.mov(eax, number);
            a.syscall();
        }

        void Loop(AssemblerRegister32 counter, int from, int to, Action body)
        {
            var top = a.CreateLabel();
            a.mov(counter, from);
            a.Label(ref top);
            body();
            a.inc(counter);
            a.cmp(counter, to);
            a.jb(top);
        }

        // void get_fs_base(ulong *out): the thread pointer, so the host can keep the page holding this
        // thread's rseq area (the kernel writes to it on every return to user space: unmapped, it is SIGSEGV).
        a.mov(rsi, rdi);
        a.mov(edi, 0x1003);                                 // ARCH_GET_FS
        Sys(SysArchPrctl);
        a.ret();
        var forkServer = a.CreateLabel("fork_server");
        a.Label(ref forkServer);

        // fork_server: long fork_server(void)
        Sys(SysFork);
        a.test(rax, rax);
        a.jz(serverChild);
        a.ret();

        // ---- the server -------------------------------------------------------------------------------
        a.Label(ref serverChild);
        a.mov(rsp, data + ServerStackTop);
        a.mov(rbx, data);
        for (int i = 0; i < 4; i++)
        {
            a.mov(rdi, __qword_ptr[rbx + Fds + 8 * i]);
            a.mov(esi, FirstFd + i);
            Sys(SysDup2);
        }
        // Close everything else: close_range, or one by one on kernels older than 5.9.
        var lowClosed = a.CreateLabel();
        a.xor(edi, edi);
        a.mov(esi, FirstFd - 1);
        a.xor(edx, edx);
        Sys(SysCloseRange);
        a.test(rax, rax);
        a.jz(lowClosed);
        Loop(r12d, 0, FirstFd, () => { a.mov(edi, r12d); Sys(SysClose); });
        a.Label(ref lowClosed);
        var highClosed = a.CreateLabel();
        a.mov(edi, FirstFd + 4);
        a.mov(esi, -1);
        a.xor(edx, edx);
        Sys(SysCloseRange);
        a.test(rax, rax);
        a.jz(highClosed);
        Loop(r12d, FirstFd + 4, 65536, () => { a.mov(edi, r12d); Sys(SysClose); });
        a.Label(ref highClosed);
        // Every signal back to its default: the host's handlers live in pages about to be unmapped.
        Loop(r12d, 1, 65, () =>
        {
            a.mov(edi, r12d);
            a.lea(rsi, __[rbx + DefaultAction]);
            a.xor(edx, edx);
            a.mov(r10d, 8);
            Sys(SysRtSigaction);
        });
        a.mov(edi, 2); // SIG_SETMASK
        a.lea(rsi, __[rbx + EmptySet]);
        a.xor(edx, edx);
        a.mov(r10d, 8);
        Sys(SysRtSigprocmask);
        // Shed the .NET process: unmap everything but this code, the data and the mailbox.
        var unmapNext = a.CreateLabel();
        a.mov(r12, __qword_ptr[rbx + UnmapList]);
        a.lea(r13, __[rbx + UnmapList + 8]);
        a.Label(ref unmapNext);
        a.test(r12, r12);
        a.jz(serverLoop);                                   // all done
        a.mov(rdi, __qword_ptr[r13]);
        a.mov(rsi, __qword_ptr[r13 + 8]);
        Sys(SysMunmap);
        a.add(r13, 16);
        a.dec(r12);
        a.jmp(unmapNext);

        // The loop: one request byte, one worker.
        a.Label(ref serverLoop);
        a.mov(edi, FirstFd);
        a.lea(rsi, __[rbx + Command]);
        a.mov(edx, 8);
        Sys(SysRead);
        a.cmp(rax, 8);
        a.jne(serverExit);                                  // EOF: the host is gone
        Sys(SysFork);
        a.test(rax, rax);
        a.jz(worker);
        a.mov(__qword_ptr[rbx + Record], rax);              // (pid, -1): started (or -errno, -1)
        a.mov(__qword_ptr[rbx + Record + 8], -1);
        a.mov(edi, FirstFd + 1);
        a.lea(rsi, __[rbx + Record]);
        a.mov(edx, 16);
        Sys(SysWrite);
        a.cmp(__qword_ptr[rbx + Record], 0);
        a.jl(serverLoop);
        var wait = a.CreateLabel();
        a.Label(ref wait);
        a.mov(__qword_ptr[rbx + WaitStatus], 0);
        a.mov(rdi, __qword_ptr[rbx + Record]);
        a.lea(rsi, __[rbx + WaitStatus]);
        a.xor(edx, edx);
        a.xor(r10d, r10d);
        Sys(SysWait4);
        a.cmp(rax, -4);                                     // EINTR: wait again
        a.je(wait);
        a.mov(rax, __qword_ptr[rbx + WaitStatus]);
        a.mov(__qword_ptr[rbx + Record + 8], rax);          // (pid, status): ended
        a.mov(edi, FirstFd + 1);
        a.lea(rsi, __[rbx + Record]);
        a.mov(edx, 16);
        Sys(SysWrite);
        a.jmp(serverLoop);
        a.Label(ref serverExit);
        a.xor(edi, edi);
        Sys(SysExitGroup);

        // ---- the worker -------------------------------------------------------------------------------
        a.Label(ref worker);
        a.mov(edi, FirstFd + 2);
        a.mov(esi, 1);
        Sys(SysDup2);
        a.mov(edi, FirstFd + 3);
        a.mov(esi, 2);
        Sys(SysDup2);
        for (int fd = FirstFd; fd < FirstFd + 4; fd++)
        {
            a.mov(edi, fd);
            Sys(SysClose);
        }
        a.lea(rdi, __[rbx + AltStackInfo]);
        a.xor(esi, esi);
        Sys(SysSigaltstack);
        foreach (var signal in CrashSignals)
        {
            a.mov(edi, (int)signal);
            a.lea(rsi, __[rbx + CrashAction]);
            a.xor(edx, edx);
            a.mov(r10d, 8);
            Sys(SysRtSigaction);
        }
        a.mov(r14, mailbox);
        // Fresh pages for the code: read-write for the copy, then read-execute.
        a.mov(r15, __qword_ptr[r14 + CodeLength]);
        a.lea(r12, __[r15 + 4095]);
        a.and(r12, -4096);
        a.xor(edi, edi);
        a.mov(rsi, r12);
        a.mov(edx, 3);                                      // PROT_READ | PROT_WRITE
        a.mov(r10d, 0x22);                                  // MAP_PRIVATE | MAP_ANONYMOUS
        a.mov(r8, -1);
        a.xor(r9d, r9d);
        Sys(SysMmap);
        a.cmp(rax, -4096);
        a.ja(setupFailed);                                  // -4095 … -1: an errno
        a.mov(r13, rax);
        a.mov(rdi, rax);
        a.lea(rsi, __[r14 + Code]);
        a.mov(rcx, r15);
        a.rep.movsb();
        a.mov(rdi, r13);
        a.mov(rsi, r12);
        a.mov(edx, 5);                                      // PROT_READ | PROT_EXEC
        Sys(SysMprotect);
        a.test(rax, rax);
        a.jnz(setupFailed);
        a.mov(__qword_ptr[r14 + CodeBase], r13);
        a.xor(edi, edi);                                    // ITIMER_REAL: SIGALRM ends a runaway loop
        a.lea(rsi, __[r14 + Timer]);
        a.xor(edx, edx);
        Sys(SysSetitimer);
        a.mov(edi, 38);                                     // PR_SET_NO_NEW_PRIVS, required for an unprivileged filter
        a.mov(esi, 1);
        a.xor(edx, edx);
        a.xor(r10d, r10d);
        a.xor(r8d, r8d);
        Sys(SysPrctl);
        a.mov(edi, 1);                                      // SECCOMP_SET_MODE_FILTER
        a.xor(esi, esi);
        a.lea(rdx, __[rbx + FilterProgram]);
        Sys(SysSeccomp);
        a.test(rax, rax);
        a.jnz(setupFailed);
        a.mov(__qword_ptr[r14 + Kind], (int)KindRunning);
        a.mov(rdi, __qword_ptr[r14 + Arguments]);
        a.mov(rsi, __qword_ptr[r14 + Arguments + 8]);
        a.mov(rdx, __qword_ptr[r14 + Arguments + 16]);
        a.mov(rcx, __qword_ptr[r14 + Arguments + 24]);
        a.mov(r8, __qword_ptr[r14 + Arguments + 32]);
        a.mov(r9, __qword_ptr[r14 + Arguments + 40]);
        a.mov(rax, r13);
        a.and(rsp, -16);                                    // System V: rsp a multiple of 16 at the call
        foreach (var r in new[] { rbx, rbp, r10, r11, r12, r13, r14, r15 }) a.xor(r, r);
        a.call(rax);
        a.mov(r11, mailbox);                                // returned: rsp may be anything, so no stack from here on
        a.mov(__qword_ptr[r11 + Rax], rax);
        a.mov(__qword_ptr[r11 + Rdx], rdx);
        a.mov(__qword_ptr[r11 + Kind], (int)KindReturned);
        a.xor(edi, edi);
        Sys(SysExitGroup);
        a.Label(ref setupFailed);
        a.mov(r11, mailbox);
        a.mov(__qword_ptr[r11 + Rax], rax);
        a.mov(__qword_ptr[r11 + Kind], (int)KindSetupFailed);
        a.mov(edi, 127);
        Sys(SysExitGroup);

        // ---- the handler: void handler(int sig, siginfo_t *info, ucontext_t *context) -----------------
        a.Label(ref handler);
        a.mov(r11, mailbox);
        a.mov(__qword_ptr[r11 + Signal], rdi);
        a.movsxd(rax, __dword_ptr[rsi + 8]);               // si_code
        a.mov(__qword_ptr[r11 + SignalCode], rax);
        a.mov(rax, __qword_ptr[rsi + 16]);                  // si_addr (SIGSYS: the address after the syscall)
        a.mov(__qword_ptr[r11 + FaultAddress], rax);
        a.movsxd(rax, __dword_ptr[rsi + 24]);              // SIGSYS: si_syscall
        a.mov(__qword_ptr[r11 + SyscallNumber], rax);
        a.mov(rax, __qword_ptr[rdx + 40 + 16 * 8]);         // uc_mcontext.gregs[REG_RIP]
        a.mov(__qword_ptr[r11 + Rip], rax);
        a.mov(rax, __qword_ptr[rdx + 40 + 15 * 8]);         // uc_mcontext.gregs[REG_RSP]
        a.mov(__qword_ptr[r11 + Rsp], rax);
        a.mov(__qword_ptr[r11 + Kind], (int)KindSignaled);
        a.lea(edi, __[rdi + 128]);
        Sys(SysExitGroup);
        a.Label(ref restorer);                              // required by the kernel, never reached: the handler exits
        a.ud2();

        var stream = new MemoryStream();
        var result = a.Assemble(new StreamCodeWriter(stream), codeAddress, BlockEncoderOptions.ReturnNewInstructionOffsets);
        int Offset(Label label) => (int)(result.GetLabelRIP(label) - codeAddress);
        return (stream.ToArray(), Offset(forkServer), Offset(handler), Offset(restorer));
    }
}
