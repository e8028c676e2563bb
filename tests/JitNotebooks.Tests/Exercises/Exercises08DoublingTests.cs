using Iced.Intel;
using JitNotebooks.Compiler;
using JitNotebooks.Exercises;
using JitNotebooks.Verification;

namespace JitNotebooks.Tests.Exercises;

/// <summary>08.3 beyond the catalog's shared checks: every way to double is accepted, and bytes that break the function are caught by running it.</summary>
public class Exercises08DoublingTests
{
    public static TheoryData<string, byte[]> Doublings() => new()
    {
        // Encoded by Iced, independently of the exercise.
        { "add %r10,%r10 (01 /r)", IcedBytes.Encode(Instruction.Create(Code.Add_rm64_r64, Register.R10, Register.R10)) },
        { "add %r10,%r10 (03 /r)", IcedBytes.Encode(Instruction.Create(Code.Add_r64_rm64, Register.R10, Register.R10)) },
        { "shl $1,%r10 (d1 /4)", IcedBytes.Encode(Instruction.Create(Code.Shl_rm64_1, Register.R10, 1)) },
        { "shl $1,%r10 (c1 /4 ib)", IcedBytes.Encode(Instruction.Create(Code.Shl_rm64_imm8, Register.R10, 1)) },
        { "lea (%r10,%r10),%r10", IcedBytes.Encode(Instruction.Create(Code.Lea_r64_m, Register.R10, new MemoryOperand(Register.R10, Register.R10, 1))) },
    };

    [Theory]
    [MemberData(nameof(Doublings))]
    public void Every_instruction_that_doubles_r10_is_accepted(string name, byte[] bytes)
    {
        var result = Exercises08.DoubleWithoutImul.Check(bytes);
        Assert.True(result.IsCorrect, $"{name}: {result.ToText()}");
    }

    [Fact]
    public void The_solution_shortens_the_function_by_one_byte_and_says_so()
    {
        byte[] add = [0x4d, 0x01, 0xd2];
        Assert.Equal(new X64Compiler().Generate(Exercises08.Doubling).Bytes.Length - 1, Exercises08.WithDoubling(add).Generate(Exercises08.Doubling).Bytes.Length);
        Assert.Contains("in 1 byte less", Exercises08.DoubleWithoutImul.Check(add).Message);
    }

    [Fact]
    public void Bytes_that_crash_are_run_isolated_and_reported_as_a_crash()
    {
        var result = Exercises08.DoubleWithoutImul.Check(new byte[] { 0x0f, 0x0b }); // ud2: SIGILL, in the isolated child only
        Assert.False(result.IsCorrect);
        Assert.Equal("crashed", result.Diagnosis);
        Assert.Contains("did not return", result.Message);
    }

    [Fact]
    public void Bytes_that_change_another_register_too_show_in_the_results()
    {
        // add %r10,%r10 then xor %r10,%r10: decodes, runs, returns 0.
        var result = Exercises08.DoubleWithoutImul.Check(new byte[] { 0x4d, 0x01, 0xd2, 0x4d, 0x31, 0xd2 });
        Assert.False(result.IsCorrect);
        Assert.Null(result.Diagnosis);
        Assert.Contains("for x = 21 the compiled function returned 0, not 42", result.Message);
    }

    [Fact]
    public void Bytes_Iced_cannot_decode_are_not_run()
    {
        var result = Exercises08.DoubleWithoutImul.Check(new byte[] { 0x4d, 0x01 }); // cut short
        Assert.False(result.IsCorrect);
        Assert.Contains("Iced cannot decode", result.Message);
    }

    [Fact]
    public void Too_many_bytes_are_refused_before_the_compiler_sees_them()
    {
        var result = Exercises08.DoubleWithoutImul.Check(Enumerable.Repeat((byte)0x90, X64Compiler.MaxRuleBytes + 1).ToArray());
        Assert.False(result.IsCorrect);
        Assert.Contains($"that is {X64Compiler.MaxRuleBytes + 1} bytes", result.Message);
    }

    [Fact]
    public void The_32_bit_mistake_really_fails_beyond_32_bits()
    {
        // The diagnosis claims a large x comes out wrong: run the bytes to prove it.
        var add32 = IcedBytes.Encode(Instruction.Create(Code.Add_rm32_r32, Register.R10D, Register.R10D));
        var result = Exercises08.DoubleWithoutImul.Check(add32);
        Assert.Equal("32-bit-operation", result.Diagnosis);
        var program = Exercises08.WithDoubling(add32).Generate(Exercises08.Doubling);
        var run = JitNotebooks.Isolation.IsolatedRunner.RunIsolated(program.Code, 1L << 40);
        Assert.Equal(0, Assert.IsType<JitNotebooks.Isolation.IsolatedRun.Returned>(run).Value);
    }
}
