namespace JitNotebooks.Isolation;

/// <summary>
/// The sandbox of an isolated run: a seccomp BPF program the kernel runs on every system call
/// the code makes. Allowed: write (to fds 1 and 2, the only ones left open), exit, exit_group and
/// rt_sigreturn. Anything else raises SIGSYS (reported with the call's number), so random bytes
/// cannot kill other processes, fork, or touch files.
/// </summary>
internal static class SeccompFilter
{
    // struct sock_filter { u16 code; u8 jt; u8 jf; u32 k; }, classic BPF.
    private const ushort LoadWord = 0x20;     // BPF_LD | BPF_W | BPF_ABS: A = seccomp_data[k]
    private const ushort JumpIfEqual = 0x15;  // BPF_JMP | BPF_JEQ | BPF_K
    private const ushort JumpIfAtLeast = 0x35; // BPF_JMP | BPF_JGE | BPF_K
    private const ushort Return = 0x06;       // BPF_RET | BPF_K

    private const uint AuditArchX86_64 = 0xC000003E;
    private const uint X32Bit = 0x40000000;   // x32 system calls: a second ABI, refused
    private const uint Allow = 0x7FFF0000, Trap = 0x00030000, KillProcess = 0x80000000;

    /// <summary>The system calls the code may make.</summary>
    public static readonly (int Number, string Name)[] Allowed = [(1, "write"), (60, "exit"), (231, "exit_group"), (15, "rt_sigreturn")];

    /// <summary>The program, as the 8-byte instructions the kernel reads. Jump offsets count from the next instruction.</summary>
    public static byte[] Program()
    {
        int n = Allowed.Length;
        var program = new List<(ushort Code, byte Jt, byte Jf, uint K)>
        {
            (LoadWord, 0, 0, 4),                                       // A = arch
            (JumpIfEqual, 0, (byte)(n + 4), AuditArchX86_64),          // not x86-64: kill
            (LoadWord, 0, 0, 0),                                       // A = system call number
            (JumpIfAtLeast, (byte)(n + 0), 0, X32Bit),                 // x32: trap
        };
        for (int i = 0; i < n; i++)
            program.Add((JumpIfEqual, (byte)(n - i), 0, (uint)Allowed[i].Number)); // allowed: jump to "allow"
        program.Add((Return, 0, 0, Trap));
        program.Add((Return, 0, 0, Allow));
        program.Add((Return, 0, 0, KillProcess));
        var bytes = new byte[program.Count * 8];
        for (int i = 0; i < program.Count; i++)
        {
            var (code, jt, jf, k) = program[i];
            BitConverter.TryWriteBytes(bytes.AsSpan(i * 8), code);
            bytes[i * 8 + 2] = jt;
            bytes[i * 8 + 3] = jf;
            BitConverter.TryWriteBytes(bytes.AsSpan(i * 8 + 4), k);
        }
        return bytes;
    }

    public static int InstructionCount => Allowed.Length + 7;
}
