using Iced.Intel;
using JitNotebooks.Exercises;

namespace JitNotebooks.Tests.Exercises;

public class Exercises02Tests
{
    [Fact]
    public void MovRax60_accepts_the_worked_solution_which_Iced_decodes_as_mov_rax_60()
    {
        byte[] solution = [0x48, 0xc7, 0xc0, 0x3c, 0x00, 0x00, 0x00];
        var decoded = IcedHelpers.DecodeOne(solution);
        Assert.Equal(Code.Mov_rm64_imm32, decoded.Code);
        Assert.Equal(Iced.Intel.Register.RAX, decoded.Op0Register);
        Assert.Equal(60L, decoded.Immediate32to64);
        Assert.True(Exercises02.MovRax60(solution).IsCorrect);
    }

    [Fact]
    public void MovR9MinusOne_accepts_the_worked_solution_which_Iced_decodes_as_mov_r9_minus_one()
    {
        byte[] solution = [0x49, 0xc7, 0xc1, 0xff, 0xff, 0xff, 0xff];
        var decoded = IcedHelpers.DecodeOne(solution);
        Assert.Equal(Code.Mov_rm64_imm32, decoded.Code);
        Assert.Equal(Iced.Intel.Register.R9, decoded.Op0Register);
        Assert.Equal(-1L, decoded.Immediate32to64);
        Assert.True(Exercises02.MovR9MinusOne(solution).IsCorrect);
    }

    public static TheoryData<byte[]?> WrongMovRax60 => new()
    {
        Array.Empty<byte>(),                                  // the untouched starting value
        null,
        new byte[] { 0x48, 0xc7, 0xc0, 0x00, 0x00, 0x00, 0x3c }, // big-endian immediate
        new byte[] { 0x48, 0xc7, 0xc0, 0x60, 0x00, 0x00, 0x00 }, // 60 read as hex
        new byte[] { 0xb8, 0x3c, 0x00, 0x00, 0x00 },             // the 5-byte form, not the one asked for
    };

    [Theory]
    [MemberData(nameof(WrongMovRax60))]
    public void MovRax60_rejects_wrong_answers(byte[]? answer) => Assert.False(Exercises02.MovRax60(answer).IsCorrect);

    public static TheoryData<byte[]?> WrongMovR9 => new()
    {
        Array.Empty<byte>(),
        null,
        new byte[] { 0x48, 0xc7, 0xc1, 0xff, 0xff, 0xff, 0xff }, // REX.B missing: that is rcx
        new byte[] { 0x49, 0xc7, 0xc9, 0xff, 0xff, 0xff, 0xff }, // 9 in reg, not rm
        new byte[] { 0x49, 0xc7, 0xc1, 0x01, 0x00, 0x00, 0x80 }, // sign-magnitude -1
    };

    [Theory]
    [MemberData(nameof(WrongMovR9))]
    public void MovR9MinusOne_rejects_wrong_answers(byte[]? answer) => Assert.False(Exercises02.MovR9MinusOne(answer).IsCorrect);

    [Fact]
    public void BytesSavedPerMov_accepts_2_and_rejects_the_rest()
    {
        Assert.True(Exercises02.BytesSavedPerMov(2).IsCorrect);
        Assert.False(Exercises02.BytesSavedPerMov(0).IsCorrect);
        Assert.False(Exercises02.BytesSavedPerMov(5).IsCorrect);
        Assert.False(Exercises02.BytesSavedPerMov(-2).IsCorrect);
    }
}
