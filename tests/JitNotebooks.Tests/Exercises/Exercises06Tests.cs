using Iced.Intel;
using JitNotebooks.Exercises;

namespace JitNotebooks.Tests.Exercises;

// Runs JIT'd code that writes to fd 1, so it joins the serial fd-1 collection.
[Collection(Fd1Collection.Name)]
public class Exercises06Tests
{
    [Fact]
    public void PrintsTarget_accepts_the_worked_solution()
    {
        var result = Exercises06.PrintsTarget("JIT says hi!\n", 13);
        Assert.True(result.IsCorrect, result.Message);
    }

    [Theory]
    [InlineData("Hello World!", 12)]   // untouched
    [InlineData("JIT says hi!\n", 12)] // count not updated: the newline is missing
    [InlineData("JIT says hi!", 12)]   // no newline
    [InlineData("JIT says hi!\n", 99)] // count past the message: refused before running
    [InlineData("JIT says hi!\n", -1)]
    [InlineData(null, 0)]
    public void PrintsTarget_rejects_wrong_answers(string? message, int count)
    {
        var result = Exercises06.PrintsTarget(message, count);
        Assert.False(result.IsCorrect);
        Assert.StartsWith("❌", result.ToString());
    }

    [Fact]
    public void PrintsTarget_does_not_leak_to_the_real_stdout()
    {
        string leaked = Fd1.RedirectToFile(() => Exercises06.PrintsTarget("JIT says hi!\n", 13));
        Assert.Equal("", leaked);
    }

    [Fact]
    public void BuildPrintProgram_decodes_to_the_write_syscall_with_the_count()
    {
        byte[] bytes = Exercises06.BuildPrintProgram("JIT says hi!\n", 13).ToArray();
        var decoder = Iced.Intel.Decoder.Create(64, new ByteArrayCodeReader(bytes));
        var code = new List<Instruction>();
        for (int i = 0; i < 6; i++) { decoder.Decode(out var ins); code.Add(ins); }
        Assert.Equal(Code.Mov_rm64_imm32, code[2].Code);
        Assert.Equal(Register.RDX, code[2].Op0Register);
        Assert.Equal(13u, code[2].Immediate32);
        Assert.Equal(Code.Lea_r64_m, code[3].Code);
        Assert.Equal(0x1fUL, code[3].IPRelativeMemoryAddress); // data right after ret at 0x1e
        Assert.Equal(Code.Syscall, code[4].Code);
        Assert.Equal("JIT says hi!\n", System.Text.Encoding.ASCII.GetString(bytes, 0x1f, 13));
    }

    [Fact]
    public void ReturnsFortyTwo_accepts_the_worked_solution()
    {
        // Encoded by Iced, not by the library.
        var writer = new CodeWriterImpl();
        var encoder = Iced.Intel.Encoder.Create(64, writer);
        encoder.Encode(Instruction.Create(Code.Mov_rm64_imm32, Register.RAX, 42), 0);
        encoder.Encode(Instruction.Create(Code.Retnq), 7);
        var result = Exercises06.ReturnsFortyTwo(writer.Bytes.ToArray());
        Assert.True(result.IsCorrect, result.Message);
    }

    [Theory]
    [InlineData(new byte[] { })]                                                  // untouched
    [InlineData(new byte[] { 0x48, 0xc7, 0xc0, 0x42, 0x00, 0x00, 0x00, 0xc3 })]   // 0x42 is 66
    [InlineData(new byte[] { 0x48, 0xc7, 0xc0, 0x2a, 0x00, 0x00, 0x00 })]         // no ret
    [InlineData(new byte[] { 0x48, 0xc7, 0xc7, 0x2a, 0x00, 0x00, 0x00, 0xc3 })]   // rdi, not rax
    [InlineData(new byte[] { 0x0f, 0xff })]                                       // invalid
    public void ReturnsFortyTwo_rejects_wrong_answers_without_running_them(byte[] code) =>
        Assert.False(Exercises06.ReturnsFortyTwo(code).IsCorrect);

    [Fact]
    public void ReturnsFortyTwo_never_throws_on_null() => Assert.False(Exercises06.ReturnsFortyTwo(null).IsCorrect);

    private sealed class CodeWriterImpl : CodeWriter
    {
        public readonly List<byte> Bytes = [];
        public override void WriteByte(byte value) => Bytes.Add(value);
    }
}
