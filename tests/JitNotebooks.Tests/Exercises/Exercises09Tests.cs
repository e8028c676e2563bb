using JitNotebooks.Compiler;
using JitNotebooks.Exercises;

namespace JitNotebooks.Tests.Exercises;

public class Exercises09Tests
{
    [Fact]
    public void The_answer_is_the_floor_which_the_correction_turns_into_Csharps_quotient()
    {
        // Independent of the exercise: the /7 sequence's steps, read from MagicDivisor.
        var m = MagicDivisor.For(7);
        Assert.Equal(-1, m.Quotient(-7));
        Assert.Equal(-2, Exercises09.WithoutCorrection(-7));
        Assert.Equal((long)Math.Floor(-7 / 7.0 - 1e-9), Exercises09.WithoutCorrection(-7));
        Assert.All(new long[] { -100, -8, -1, 0, 1, 6, 7, 100, long.MinValue, long.MaxValue },
            x => Assert.Equal(x / 7, Exercises09.WithoutCorrection(x) + (Exercises09.WithoutCorrection(x) < 0 ? 1 : 0)));
    }

    [Fact]
    public void QuotientBeforeCorrection_accepts_the_solution()
    {
        var result = Exercises09.QuotientBeforeCorrection.Check(-2);
        Assert.True(result.IsCorrect, result.ToText());
    }

    [Theory]
    [InlineData(-1L, "after-correction")]
    [InlineData(2L, "positive")]
    [InlineData(-7L, "the-dividend")]
    [InlineData(5L, null)]
    public void QuotientBeforeCorrection_diagnoses_mistakes(long answer, string? diagnosis)
    {
        var result = Exercises09.QuotientBeforeCorrection.Check(answer);
        Assert.False(result.IsCorrect);
        Assert.Equal(diagnosis, result.Diagnosis);
    }

    [Fact]
    public void QuotientBeforeCorrection_untouched_reveals_nothing()
    {
        var result = Exercises09.QuotientBeforeCorrection.Check(null);
        Assert.Equal(ExerciseStatus.NotAnswered, result.Status);
        Assert.DoesNotContain("-2", result.Message);
    }
}
