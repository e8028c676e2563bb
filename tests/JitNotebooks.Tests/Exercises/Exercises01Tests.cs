using JitNotebooks.Exercises;

namespace JitNotebooks.Tests.Exercises;

public class Exercises01Tests
{
    [Fact]
    public void CountRegister_accepts_rdx_the_register_of_the_articles_third_mov()
    {
        // The article's third mov, 48 c7 c2 0c 00 00 00, loads the count 12: Iced says its operand is rdx.
        var mov = IcedHelpers.DecodeOne([0x48, 0xc7, 0xc2, 0x0c, 0x00, 0x00, 0x00]);
        Assert.Equal(Iced.Intel.Register.RDX, mov.Op0Register);
        Assert.True(Exercises01.CountRegister(Reg64.Rdx).IsCorrect);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(Reg64.Rsi)]
    [InlineData(Reg64.Rax)]
    [InlineData((Reg64)99)]
    public void CountRegister_rejects_wrong_answers_without_throwing(Reg64? answer)
    {
        Assert.False(Exercises01.CountRegister(answer).IsCorrect);
    }

    [Fact]
    public void FourthArgumentRegister_accepts_r10_and_explains_rcx()
    {
        Assert.True(Exercises01.FourthArgumentRegister(Reg64.R10).IsCorrect);
        var rcx = Exercises01.FourthArgumentRegister(Reg64.Rcx);
        Assert.False(rcx.IsCorrect);
        Assert.Contains("syscall overwrites rcx", rcx.Message);
        Assert.False(Exercises01.FourthArgumentRegister(null).IsCorrect);
        Assert.False(Exercises01.FourthArgumentRegister(Reg64.R8).IsCorrect);
    }

    [Fact]
    public void ExitSyscallNumber_accepts_60_and_rejects_the_rest()
    {
        Assert.True(Exercises01.ExitSyscallNumber(60).IsCorrect);
        Assert.False(Exercises01.ExitSyscallNumber(0).IsCorrect);   // the untouched starting value
        Assert.False(Exercises01.ExitSyscallNumber(1).IsCorrect);   // write
        Assert.False(Exercises01.ExitSyscallNumber(231).IsCorrect); // exit_group
    }
}
