using Iced.Intel;
using JitNotebooks.Exercises;

namespace JitNotebooks.Tests.Exercises;

public class Exercises02Tests
{
    [Fact]
    public void MovRax60_accepts_the_bytes_Iced_decodes_as_mov_rax_60()
    {
        byte[] solution = [0x48, 0xc7, 0xc0, 0x3c, 0x00, 0x00, 0x00];
        var decoded = IcedHelpers.DecodeOne(solution);
        Assert.Equal(Code.Mov_rm64_imm32, decoded.Code);
        Assert.Equal(Register.RAX, decoded.Op0Register);
        Assert.Equal(60L, decoded.Immediate32to64);
        Assert.True(Exercises02.MovRax60.Check(solution).IsCorrect);
    }

    [Fact]
    public void MovRax60_untouched_is_not_answered_and_shows_no_bytes()
    {
        foreach (var untouched in new byte[]?[] { [], null })
        {
            var result = Exercises02.MovRax60.Check(untouched);
            Assert.Equal(ExerciseStatus.NotAnswered, result.Status);
            Assert.DoesNotContain("3c", result.Message);
            Assert.DoesNotContain("c7", result.Message);
        }
    }

    [Theory]
    [InlineData(new byte[] { 0x48, 0xc7, 0xc0, 0x60, 0x00, 0x00, 0x00 }, "sixty-as-0x60")]
    [InlineData(new byte[] { 0x48, 0xc7, 0xc0, 0x01, 0x00, 0x00, 0x00 }, "unchanged-value")]
    [InlineData(new byte[] { 0x48, 0xc7, 0xc0, 0x00, 0x00, 0x00, 0x3c }, "byte-order-reversed")]
    [InlineData(new byte[] { 0x48, 0xc7, 0xc0, 0x3c }, "short-immediate")]
    [InlineData(new byte[] { 0xb8, 0x3c, 0x00, 0x00, 0x00 }, "five-byte-form")]
    [InlineData(new byte[] { 48, 0xc7, 0xc0, 0x3c, 00, 00, 00 }, "bytes-in-decimal")]
    [InlineData(new byte[] { 0x48, 0xc7, 0xc7, 0x3c, 0x00, 0x00, 0x00 }, null)] // rdi: the general nudge names the field
    public void MovRax60_diagnoses_the_likely_mistakes(byte[] answer, string? diagnosis)
    {
        var result = Exercises02.MovRax60.Check(answer);
        Assert.Equal(ExerciseStatus.NotYet, result.Status);
        Assert.Equal(diagnosis, result.Diagnosis);
    }

    [Fact]
    public void MovRax60_general_nudge_quotes_Iced_and_names_the_field()
    {
        var result = Exercises02.MovRax60.Check([0x48, 0xc7, 0xc7, 0x3c, 0x00, 0x00, 0x00]);
        Assert.Contains("mov $0x3c,%rdi", result.Message);
        Assert.Contains("ModRM", result.Message);
    }

    [Fact]
    public void MovR9MinusOne_accepts_the_bytes_Iced_decodes_as_mov_r9_minus_one()
    {
        byte[] solution = [0x49, 0xc7, 0xc1, 0xff, 0xff, 0xff, 0xff];
        var decoded = IcedHelpers.DecodeOne(solution);
        Assert.Equal(Register.R9, decoded.Op0Register);
        Assert.Equal(-1L, decoded.Immediate32to64);
        Assert.True(Exercises02.MovR9MinusOne.Check(solution).IsCorrect);
    }

    [Theory]
    [InlineData(new byte[] { 0x48, 0xc7, 0xc1, 0xff, 0xff, 0xff, 0xff }, "rex-b-missing")]
    [InlineData(new byte[] { 0x4c, 0xc7, 0xc1, 0xff, 0xff, 0xff, 0xff }, "rex-r-instead-of-b")]
    [InlineData(new byte[] { 0x49, 0xc7, 0xc9, 0xff, 0xff, 0xff, 0xff }, "whole-number-in-modrm")]
    [InlineData(new byte[] { 0x49, 0xc7, 0xc1, 0x01, 0x00, 0x00, 0x80 }, "sign-magnitude")]
    [InlineData(new byte[] { 0x49, 0xc7, 0xc1, 0x01, 0x00, 0x00, 0x00 }, "plus-one")]
    [InlineData(new byte[] { 0x49, 0xc7, 0xc1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff }, "eight-byte-immediate")]
    public void MovR9MinusOne_diagnoses_the_likely_mistakes(byte[] answer, string diagnosis) =>
        Assert.Equal(diagnosis, Exercises02.MovR9MinusOne.Check(answer).Diagnosis);

    [Fact]
    public void MovR9MinusOne_says_which_register_REX_B_missing_selects()
    {
        var result = Exercises02.MovR9MinusOne.Check([0x48, 0xc7, 0xc1, 0xff, 0xff, 0xff, 0xff]);
        Assert.Contains("%rcx", result.Message);
    }

    [Fact]
    public void BytesSavedPerMov_is_2_per_mov_not_6_for_the_program()
    {
        Assert.True(Exercises02.BytesSavedPerMov.Check(2).IsCorrect);
        Assert.Equal("whole-program-saving", Exercises02.BytesSavedPerMov.Check(6).Diagnosis);
        Assert.Equal("short-form-length", Exercises02.BytesSavedPerMov.Check(5).Diagnosis);
        Assert.Equal("long-form-length", Exercises02.BytesSavedPerMov.Check(7).Diagnosis);
        Assert.Equal("compared-with-movabs", Exercises02.BytesSavedPerMov.Check(3).Diagnosis);
        Assert.Equal("negative", Exercises02.BytesSavedPerMov.Check(-2).Diagnosis);
        Assert.Null(Exercises02.BytesSavedPerMov.Check(4).Diagnosis);
    }

    public static TheoryData<byte[]> CorrectReturn42 => new()
    {
        new byte[] { 0x48, 0xc7, 0xc0, 0x2a, 0x00, 0x00, 0x00, 0xc3 },                   // the article's form
        new byte[] { 0xb8, 0x2a, 0x00, 0x00, 0x00, 0xc3 },                               // mov $42,%eax: zero-extends
        new byte[] { 0x48, 0xb8, 0x2a, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xc3 }, // movabs
    };

    [Theory]
    [MemberData(nameof(CorrectReturn42))]
    public void Return42_accepts_any_mov_of_42_into_rax_then_ret(byte[] answer) =>
        Assert.True(Exercises02.Return42.Check(answer).IsCorrect, Exercises02.Return42.Check(answer).ToText());

    [Theory]
    [InlineData(new byte[] { 0x48, 0xc7, 0xc0, 0x3c, 0x00, 0x00, 0x00, 0x0f, 0x05 }, "calls-syscall")]
    [InlineData(new byte[] { 0x48, 0xc7, 0xc0, 0x2a, 0x00, 0x00, 0x00 }, "no-ret")]
    [InlineData(new byte[] { 0xc3, 0x48, 0xc7, 0xc0, 0x2a, 0x00, 0x00, 0x00 }, "ret-first")]
    [InlineData(new byte[] { 0x48, 0xc7, 0xc0, 0x42, 0x00, 0x00, 0x00, 0xc3 }, "forty-two-as-0x42")]
    [InlineData(new byte[] { 0x48, 0xc7, 0xc0, 0x00, 0x00, 0x00, 0x2a, 0xc3 }, "byte-order-reversed")]
    [InlineData(new byte[] { 0x48, 0xc7, 0xc7, 0x2a, 0x00, 0x00, 0x00, 0xc3 }, "wrong-register")]
    [InlineData(new byte[] { 48, 0xc7, 0xc0, 0x2a, 00, 00, 00, 0xc3 }, "bytes-in-decimal")]
    [InlineData(new byte[] { 0x0f, 0xff }, null)]
    public void Return42_diagnoses_the_likely_mistakes(byte[] answer, string? diagnosis)
    {
        var result = Exercises02.Return42.Check(answer);
        Assert.Equal(ExerciseStatus.NotYet, result.Status);
        Assert.Equal(diagnosis, result.Diagnosis);
    }
}
