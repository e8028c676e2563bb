using JitNotebooks.Exercises;
using JitNotebooks.Verification;

namespace JitNotebooks.Tests.Exercises;

public class Exercises07To08Tests
{
    // Counted by hand: loop: starts at 0x0c (xor 3 + test 3 + jle 6); body add 3 + add 3 + sub 4 = 10
    // bytes; the 6-byte jne ends at 0x1c; 0x0c - 0x1c = -16. The original loop: 0x0c - 0x19 = -13.
    [Theory]
    [InlineData(-16, null)]
    [InlineData(16, "sign-reversed")]
    [InlineData(-13, "unchanged-value")]
    [InlineData(-10, "from-jne-start")]
    [InlineData(-12, "from-the-field")]
    public void BackwardJumpDisplacement(int answer, string? diagnosis)
    {
        var result = Exercises07.BackwardJumpDisplacement.Check(answer);
        Assert.Equal(diagnosis is null, result.IsCorrect);
        Assert.Equal(diagnosis, result.Diagnosis);
    }

    [Fact]
    public void The_doubled_variant_branches_back_to_its_loop_start_by_Iced()
    {
        var code = Exercises07.DoubledSumTo().ToArray();
        var all = IcedBytes.Decode(code);
        var jne = all.Single(i => i.Mnemonic == Iced.Intel.Mnemonic.Jne);
        Assert.Equal(0x0cUL, jne.NearBranch64);
        Assert.Equal(Iced.Intel.Mnemonic.Add, all.Single(i => i.IP == 0x0c).Mnemonic);
    }

    public static TheoryData<byte[]> CorrectAdd3 => new()
    {
        new byte[] { 0x48, 0x89, 0xf8, 0x48, 0x01, 0xf0, 0x48, 0x01, 0xd0, 0xc3 }, // the worked solution
        new byte[] { 0x48, 0x89, 0xf8, 0x48, 0x01, 0xd0, 0x48, 0x01, 0xf0, 0xc3 }, // adds swapped
        new byte[] { 0x48, 0x8b, 0xc7, 0x48, 0x03, 0xc6, 0x48, 0x03, 0xc2, 0xc3 }, // the other ModRM direction
    };

    [Theory]
    [MemberData(nameof(CorrectAdd3))]
    public void Add3_accepts_correct_encodings(byte[] answer) =>
        Assert.True(Exercises07.Add3.Check(answer).IsCorrect, Exercises07.Add3.Check(answer).ToText());

    [Theory]
    [InlineData(new byte[] { 0x48, 0x89, 0xf8, 0x48, 0x01, 0xf0, 0xc3 }, "add-unchanged")]
    [InlineData(new byte[] { 0x48, 0x89, 0xf8, 0x48, 0x01, 0xf0, 0x48, 0x01, 0xd0 }, "no-ret")]
    [InlineData(new byte[] { 0x48, 0x89, 0xf8, 0x48, 0x01, 0xf0, 0x48, 0x01, 0xc8, 0xc3 }, "fourth-argument-register")]
    [InlineData(new byte[] { 0x48, 0x89, 0xf8, 0x48, 0x01, 0xf0, 0x48, 0x01, 0xc2, 0xc3 }, "into-another-register")]
    [InlineData(new byte[] { 48, 89, 0xf8, 48, 01, 0xf0, 48, 01, 0xd0, 0xc3 }, "bytes-in-decimal")]
    [InlineData(new byte[] { 0x48, 0x89, 0xf8, 0x48, 0x01, 0xf0, 0x48, 0x01, 0xf0, 0xc3 }, null)] // b twice
    [InlineData(new byte[] { 0x48, 0x89, 0xf8, 0x48, 0x29, 0xf0, 0x48, 0x01, 0xd0, 0xc3 }, null)] // sub, not add
    [InlineData(new byte[] { 0x48, 0x01 }, null)]                                                 // cut off
    [InlineData(new byte[] { 0x0f, 0x0b, 0x0f, 0x0b }, null)]                                     // ud2: valid but wrong
    public void Add3_diagnoses_without_running_or_throwing(byte[] answer, string? diagnosis)
    {
        var result = Exercises07.Add3.Check(answer);
        Assert.Equal(ExerciseStatus.NotYet, result.Status);
        Assert.Equal(diagnosis, result.Diagnosis);
    }

    [Theory]
    [InlineData("a * a + b * b")]
    [InlineData("b*b + a*a")]
    [InlineData("(a + b) * (a + b) - 2 * a * b")]
    public void TargetExpression_accepts_the_solution_and_equivalents(string source) =>
        Assert.True(Exercises08.TargetExpression.Check(source).IsCorrect, Exercises08.TargetExpression.Check(source).ToText());

    [Theory]
    [InlineData("a^2 + b^2", "caret-is-not-power")]
    [InlineData("x * x + y * y", "unknown-name")]
    [InlineData("a * a + * b", "does-not-parse")]
    [InlineData("(a + b) * (a + b)", "square-of-the-sum")]
    [InlineData("a + b", null)]
    [InlineData("a / (b - b)", null)] // divides by zero: the nudge says so
    public void TargetExpression_diagnoses(string source, string? diagnosis)
    {
        var result = Exercises08.TargetExpression.Check(source);
        Assert.Equal(ExerciseStatus.NotYet, result.Status);
        Assert.Equal(diagnosis, result.Diagnosis);
    }

    [Fact]
    public void TargetExpression_says_where_a_parse_error_is_and_which_row_is_off()
    {
        Assert.Contains("position 8", Exercises08.TargetExpression.Check("a * a + * b").Message);
        Assert.Contains("with a = 3, b = 4 it gives 7, not 25", Exercises08.TargetExpression.Check("a + b").Message);
        Assert.Contains("DivideByZeroException", Exercises08.TargetExpression.Check("a / (b - b)").Message);
    }

    // "(a + 2) * / b": '(' 0, 'a' 1, '+' 3, '2' 5, ')' 6, '*' 8, '/' 10.
    [Theory]
    [InlineData(10, null)]
    [InlineData(11, "counted-from-one")]
    [InlineData(8, "the-operator-before")]
    [InlineData(6, "without-spaces")]
    [InlineData(9, "at-the-space")]
    [InlineData(3, null)]
    public void ParseErrorPosition(int answer, string? diagnosis)
    {
        var result = Exercises08.ParseErrorPosition.Check(answer);
        Assert.Equal(diagnosis is null && answer == 10, result.IsCorrect);
        Assert.Equal(diagnosis, result.Diagnosis);
    }
}
