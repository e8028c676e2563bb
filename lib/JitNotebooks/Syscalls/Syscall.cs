namespace JitNotebooks;

/// <summary>
/// A Linux x86-64 system call the course uses: its number (what goes in <c>rax</c>) and its
/// C signature (what goes in <c>rdi</c>, <c>rsi</c>, <c>rdx</c>, …).
/// Numbers are from the kernel's arch/x86/entry/syscalls/syscall_64.tbl.
/// </summary>
public sealed record Syscall(string Name, int Number, string Signature)
{
    public static Syscall Read { get; } = new("read", 0, "ssize_t read(int fd, void *buf, size_t count)");
    public static Syscall Write { get; } = new("write", 1, "ssize_t write(int fd, const void *buf, size_t count)");
    public static Syscall Mmap { get; } = new("mmap", 9, "void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset)");
    public static Syscall Mprotect { get; } = new("mprotect", 10, "int mprotect(void *addr, size_t len, int prot)");
    public static Syscall Munmap { get; } = new("munmap", 11, "int munmap(void *addr, size_t length)");
    public static Syscall Getpid { get; } = new("getpid", 39, "pid_t getpid(void)");
    public static Syscall Exit { get; } = new("exit", 60, "void exit(int status)");

    /// <summary>Every syscall above, by number.</summary>
    public static IReadOnlyList<Syscall> All { get; } = [Read, Write, Mmap, Mprotect, Munmap, Getpid, Exit];

    public override string ToString() => $"{Name} = {Number}: {Signature}";
}
