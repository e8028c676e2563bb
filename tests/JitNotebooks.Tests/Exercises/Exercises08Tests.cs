using JitNotebooks.Exercises;

namespace JitNotebooks.Tests.Exercises;

public class Exercises08Tests
{
    [Theory]
    [InlineData("a * a + b * b")]       // the worked solution
    [InlineData("b*b + a*a")]
    [InlineData("(a + b) * (a + b) - 2 * a * b")]
    public void Target_accepts_the_worked_solution_and_equivalents(string source) =>
        Assert.True(Exercises08.TargetExpression(source).IsCorrect, Exercises08.TargetExpression(source).Message);

    [Theory]
    [InlineData(null)]
    [InlineData("")]                 // the untouched starting value
    [InlineData("a + b")]            // wrong values
    [InlineData("a * a + b")]        // right on some rows only
    [InlineData("a * a + * b")]      // a parse error
    [InlineData("a / (b - b)")]      // divides by zero
    [InlineData("x * x")]            // undeclared parameter
    public void Target_rejects_wrong_answers_without_throwing(string? source) =>
        Assert.False(Exercises08.TargetExpression(source).IsCorrect);

    [Fact]
    public void Target_reports_where_a_parse_error_is() =>
        Assert.Contains("position 8", Exercises08.TargetExpression("a * a + * b").Message);

    // "(a + 2) * / b": '(' 0, 'a' 1, '+' 3, '2' 5, ')' 6, '*' 8, '/' 10.
    [Fact]
    public void Position_accepts_the_worked_solution() => Assert.True(Exercises08.ParseErrorPosition(10).IsCorrect);

    [Theory]
    [InlineData(-1)] // the untouched starting value
    [InlineData(8)]
    [InlineData(11)]
    public void Position_rejects_wrong_answers(int answer) => Assert.False(Exercises08.ParseErrorPosition(answer).IsCorrect);
}
