using System.Text;
using Iced.Intel;

namespace JitNotebooks.Exercises;

/// <summary>Self-checking exercises of notebook 06 (calling the bytes).</summary>
public static class Exercises06
{
    /// <summary>What exercise 1's program must print: 13 bytes, with a newline at the end.</summary>
    public const string TargetText = "JIT says hi!\n";

    /// <summary>
    /// Builds the article's program around <paramref name="message"/> with <paramref name="count"/>
    /// in <c>rdx</c>: <c>write(1, message, count); ret</c>, data right after the code.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The count is negative or longer than the message (the syscall would read past it).</exception>
    public static CodeBuilder BuildPrintProgram(string message, int count)
    {
        ArgumentNullException.ThrowIfNull(message);
        byte[] data = Encoding.UTF8.GetBytes(message);
        if (count < 0 || count > data.Length)
            throw new ArgumentOutOfRangeException(nameof(count), count,
                $"The count must be between 0 and the message's {data.Length} bytes; a larger one would make write read past the message.");
        var b = new CodeBuilder();
        var text = b.CreateLabel("message");
        b.MovImm32(Reg64.Rax, Syscall.Write.Number)
         .MovImm32(Reg64.Rdi, 1)
         .MovImm32(Reg64.Rdx, count)
         .LeaRipRelative(Reg64.Rsi, text)
         .Syscall()
         .Ret()
         .MarkCodeEnd()
         .Bind(text)
         .EmitData(data, "message");
        b.Patch();
        return b;
    }

    /// <summary>
    /// Exercise 1: make the JIT'd code print <see cref="TargetText"/>. The check builds the
    /// program with <see cref="BuildPrintProgram"/>, runs it, captures fd 1 and compares.
    /// </summary>
    public static CheckResult PrintsTarget(string? message, int count) => Check.Safely(() =>
    {
        if (message is null) return CheckResult.NotYet("no message yet.");
        int length = Encoding.UTF8.GetByteCount(message);
        if (count > length)
            return CheckResult.NotYet($"the count {count} is more than the message's {length} bytes; write would read past the message.");
        if (count < 0)
            return CheckResult.NotYet("a byte count cannot be negative.");
        if (!NativePlatform.CanRunJitCode)
            return CheckResult.NotYet("this machine cannot run JIT'd x86-64 code (" + NativePlatform.Describe() + ").");
        var memory = ExecutableMemory.Create(BuildPrintProgram(message, count));
        string printed;
        try { printed = memory.RunCapturingStdout().Text; }
        finally { memory.Dispose(); }
        if (printed == TargetText)
            return CheckResult.Correct($"your JIT'd code printed {Show(printed)} ({count} bytes).");
        if (message == TargetText)
            return CheckResult.NotYet($"it printed {Show(printed)}: the message is right, now make the count (rdx) match the bytes to print.");
        return CheckResult.NotYet($"it printed {Show(printed)}, not {Show(TargetText)}. Change the message, and the count in rdx to its length in bytes.");
    });

    /// <summary>Exercise 2's machine code: <c>mov $42,%rax; ret</c> (the 7-byte mov with a 32-bit immediate).</summary>
    private static readonly byte[] FortyTwo = [0x48, 0xC7, 0xC0, 0x2A, 0x00, 0x00, 0x00, 0xC3];

    /// <summary>
    /// Exercise 2: the bytes of <c>mov $42,%rax; ret</c>. Only the exact bytes are run (anything
    /// else could crash the process); the check then calls them and expects 42 back in rax.
    /// </summary>
    public static CheckResult ReturnsFortyTwo(byte[]? code) => Check.Safely(() =>
    {
        if (code is null || code.Length == 0)
            return CheckResult.NotYet("no bytes yet. Start from notebook 02's mov $imm32,%rax (48 c7 c0 …), then ret (c3).");
        if (!code.SequenceEqual(FortyTwo))
            return CheckResult.NotYet($"Iced reads your bytes as: {Describe(code)}. Wanted: mov $0x2a,%rax then ret (8 bytes; 42 is 0x2a, little-endian).");
        if (!NativePlatform.CanRunJitCode)
            return CheckResult.NotYet("the bytes are right, but this machine cannot run them (" + NativePlatform.Describe() + ").");
        var memory = ExecutableMemory.Create(code);
        long result;
        try { result = memory.Call(); }
        finally { memory.Dispose(); }
        return result == 42
            ? CheckResult.Correct("called through a function pointer, your code returned 42 in rax.")
            : CheckResult.NotYet($"the code returned {result}, not 42.");
    });

    private static string Describe(byte[] code)
    {
        var decoder = Iced.Intel.Decoder.Create(64, new ByteArrayCodeReader(code));
        var formatter = new GasFormatter();
        var parts = new List<string>();
        while (decoder.IP < (ulong)code.Length)
        {
            decoder.Decode(out var instruction);
            var output = new StringOutput();
            formatter.Format(instruction, output);
            parts.Add(instruction.IsInvalid ? "(bad)" : output.ToString());
        }
        return string.Join("; ", parts);
    }

    private static string Show(string text) => "\"" + text.Replace("\n", "\\n") + "\"";
}
