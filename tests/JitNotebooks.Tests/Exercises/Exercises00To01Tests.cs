using JitNotebooks.Exercises;

namespace JitNotebooks.Tests.Exercises;

public class Exercises00To01Tests
{
    // 0x1f: three 7-byte movs, a 7-byte lea, syscall (2), ret (1), counted here by hand.
    [Fact]
    public void CodeLength_is_31_and_knows_the_data_and_ret_mistakes()
    {
        Assert.True(Exercises00.CodeLength.Check(31).IsCorrect);
        Assert.Equal(ExerciseStatus.NotAnswered, Exercises00.CodeLength.Check(null).Status);
        Assert.Equal("counted-the-data", Exercises00.CodeLength.Check(43).Diagnosis);
        Assert.Equal("counted-the-data", Exercises00.CodeLength.Check(46).Diagnosis); // the packed layout
        Assert.Equal("offset-of-ret", Exercises00.CodeLength.Check(0x1e).Diagnosis);
        Assert.Equal("seven-byte-instructions-only", Exercises00.CodeLength.Check(28).Diagnosis);
        Assert.Equal("with-the-filler", Exercises00.CodeLength.Check(32).Diagnosis);
        Assert.Null(Exercises00.CodeLength.Check(0).Diagnosis);
    }

    [Fact]
    public void BytesPrinted_is_12_and_knows_the_newline_mistake()
    {
        Assert.True(Exercises00.BytesPrinted.Check(12).IsCorrect);
        Assert.Equal("counted-a-newline", Exercises00.BytesPrinted.Check(13).Diagnosis);
        Assert.Equal("skipped-a-character", Exercises00.BytesPrinted.Check(11).Diagnosis);
        Assert.Equal("whole-program", Exercises00.BytesPrinted.Check(43).Diagnosis);
    }

    [Theory]
    [InlineData(Reg64.Rsi, "buffer-register")]
    [InlineData(Reg64.Rdi, "fd-register")]
    [InlineData(Reg64.Rax, "number-register")]
    [InlineData(Reg64.R8, null)]
    public void CountRegister_names_what_a_wrong_register_carries(Reg64 answer, string? diagnosis)
    {
        var result = Exercises01.CountRegister.Check(answer);
        Assert.Equal(ExerciseStatus.NotYet, result.Status);
        Assert.Equal(diagnosis, result.Diagnosis);
        Assert.True(Exercises01.CountRegister.Check(Reg64.Rdx).IsCorrect);
    }

    [Fact]
    public void ExitSyscallNumber_is_60_and_knows_write_hex_exit_group_and_arm64()
    {
        Assert.True(Exercises01.ExitSyscallNumber.Check(60).IsCorrect);
        Assert.True(Exercises01.ExitSyscallNumber.Check(0x3c).IsCorrect); // the same number, typed in hex
        Assert.Equal("write-number", Exercises01.ExitSyscallNumber.Check(1).Diagnosis);
        Assert.Equal("decimal-read-as-hex", Exercises01.ExitSyscallNumber.Check(0x60).Diagnosis);
        Assert.Equal("exit-group", Exercises01.ExitSyscallNumber.Check(231).Diagnosis);
        Assert.Equal("other-architecture", Exercises01.ExitSyscallNumber.Check(93).Diagnosis);
    }

    [Fact]
    public void FourthArgumentRegister_is_r10_and_explains_rcx()
    {
        Assert.True(Exercises01.FourthArgumentRegister.Check(Reg64.R10).IsCorrect);
        var rcx = Exercises01.FourthArgumentRegister.Check(Reg64.Rcx);
        Assert.Equal("c-convention", rcx.Diagnosis);
        Assert.Contains("return address", rcx.Message);
        Assert.Equal("other-clobbered", Exercises01.FourthArgumentRegister.Check(Reg64.R11).Diagnosis);
        Assert.Equal("fifth-argument", Exercises01.FourthArgumentRegister.Check(Reg64.R8).Diagnosis);
        Assert.Equal("third-argument", Exercises01.FourthArgumentRegister.Check(Reg64.Rdx).Diagnosis);
    }
}
