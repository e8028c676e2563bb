using JitNotebooks.Compiler;

namespace JitNotebooks.Tests.Compiler;

public class ParserTests
{
    private static NumberNode N(long v) => new(v);
    private static BinaryNode B(BinaryOperator op, ExprNode l, ExprNode r) => new(op, l, r);

    [Fact]
    public void Precedence_and_left_associativity()
    {
        var f = Parser.Parse("a - b - c * d / 2 % 3", "a", "b", "c", "d");
        ParameterNode a = new("a", 0), b = new("b", 1), c = new("c", 2), d = new("d", 3);
        var expected = B(BinaryOperator.Subtract,
            B(BinaryOperator.Subtract, a, b),
            B(BinaryOperator.Remainder, B(BinaryOperator.Divide, B(BinaryOperator.Multiply, c, d), N(2)), N(3)));
        Assert.Equal(expected, f.Body);
    }

    [Fact]
    public void Parentheses_and_unary_minus()
    {
        var f = Parser.Parse(" -(x + 1) * --x ", "x");
        var x = new ParameterNode("x", 0);
        Assert.Equal(B(BinaryOperator.Multiply, new NegateNode(B(BinaryOperator.Add, x, N(1))), new NegateNode(new NegateNode(x))), f.Body);
    }

    [Fact]
    public void A_minus_sign_before_a_literal_folds_into_it_and_reaches_long_MinValue()
    {
        Assert.Equal(N(-5), Parser.Parse("-5").Body);
        Assert.Equal(N(long.MinValue), Parser.Parse("-9223372036854775808").Body);
        Assert.Equal(N(long.MaxValue), Parser.Parse("9223372036854775807").Body);
        Assert.Equal(new NegateNode(N(5)), Parser.Parse("-(5)").Body);
    }

    [Theory]
    [InlineData("", 0, "a number, a parameter name, '-' or '('", "the end of the input")]
    [InlineData("1 +", 3, "a number, a parameter name, '-' or '('", "the end of the input")]
    [InlineData("(1 + 2", 6, "')' to close the '(' at position 0", "the end of the input")]
    [InlineData("1 2", 2, "an operator (+ - * / %) or the end of the input", "'2'")]
    [InlineData("a * ) ", 4, "a number, a parameter name, '-' or '('", "')'")]
    [InlineData("1 + $", 4, "a number, a parameter name, an operator (+ - * / %) or a parenthesis", "'$'")]
    [InlineData("a + z", 4, "a declared parameter (declared: a)", "'z'")]
    [InlineData("9223372036854775808", 0, "an integer from 0 to 9223372036854775807", "'9223372036854775808'")]
    [InlineData("-9223372036854775809", 1, "an integer from 0 to 9223372036854775808 after '-'", "'9223372036854775809'")]
    [InlineData("99999999999999999999999", 0, "an integer from 0 to 9223372036854775807", "'99999999999999999999999'")]
    [InlineData("a b", 2, "an operator (+ - * / %) or the end of the input", "'b'")]
    [InlineData("()", 1, "a number, a parameter name, '-' or '('", "')'")]
    public void Parse_errors_name_the_position_and_what_was_expected(string source, int position, string expected, string found)
    {
        var e = Assert.Throws<ParseException>(() => Parser.Parse(source, "a"));
        Assert.Equal(position, e.Position);
        Assert.Equal(expected, e.Expected);
        Assert.Equal(found, e.Found);
        Assert.Equal(source, e.SourceText);
        Assert.Contains($"position {position}", e.Message);
        Assert.EndsWith(new string(' ', position) + "^", e.Message); // a caret under the place
    }

    [Fact]
    public void Unknown_name_with_no_parameters_says_none_are_declared()
    {
        var e = Assert.Throws<ParseException>(() => Parser.Parse("x"));
        Assert.Contains("no parameters are declared", e.Expected);
    }

    [Theory]
    [InlineData(new[] { "a", "b", "c", "d", "e", "f", "g" }, "at most 6")]
    [InlineData(new[] { "a", "a" }, "declared twice")]
    [InlineData(new[] { "1a" }, "not a valid parameter name")]
    [InlineData(new[] { "a b" }, "not a valid parameter name")]
    [InlineData(new[] { "" }, "not a valid parameter name")]
    public void Bad_parameter_lists_are_argument_errors(string[] parameters, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => Parser.Parse("1", parameters));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Nesting_beyond_the_limit_is_a_parse_error_not_a_stack_overflow()
    {
        int n = ExpressionLimits.MaxDepth + 1;
        var e = Assert.Throws<ParseException>(() => Parser.Parse(new string('(', n) + "1" + new string(')', n)));
        Assert.Contains("nested", e.Expected);
        var minus = Assert.Throws<ParseException>(() => Parser.Parse(string.Concat(Enumerable.Repeat("-", n)) + "(1)"));
        Assert.Contains("nested", minus.Expected);
        var chain = Assert.Throws<ParseException>(() => Parser.Parse(string.Join(" + ", Enumerable.Repeat("1", n + 1))));
        Assert.Contains($"at most {ExpressionLimits.MaxDepth} levels deep", chain.Expected);
    }

    [Fact]
    public void Printing_then_parsing_gives_back_an_equal_tree()
    {
        CsCheck.Check.Sample(ExpressionGen.Function(maxDepth: 8), f =>
        {
            var reparsed = Parser.Parse(f.Body.ToString(), [.. f.Parameters]);
            Assert.Equal(f.Body, reparsed.Body);
        });
    }

    [Fact]
    public void Hand_built_trees_are_checked_on_construction()
    {
        Assert.Throws<ArgumentException>(() => new ParsedFunction(["a"], new ParameterNode("a", 1)));
        Assert.Throws<ArgumentException>(() => new ParsedFunction(["a"], new ParameterNode("b", 0)));
        ExprNode deep = N(1);
        for (int i = 0; i < ExpressionLimits.MaxDepth; i++) deep = new NegateNode(deep);
        var e = Assert.Throws<ArgumentException>(() => new ParsedFunction([], deep));
        Assert.Contains("levels deep", e.Message);
    }

    [Fact]
    public void Wrong_argument_count_is_an_argument_error_on_every_engine()
    {
        var f = Parser.Parse("a + b", "a", "b");
        Assert.Throws<ArgumentException>(() => Interpreter.Evaluate(f, 1));
        Assert.Throws<ArgumentException>(() => ExpressionTreeCompiler.Compile(f).Invoke(1, 2, 3));
        using var arena = new CodeArena();
        var jit = new X64Compiler().Compile(f, arena);
        Assert.Throws<ArgumentException>(() => jit.Invoke(1));
        Assert.Throws<ArgumentException>(() => jit.Invoke([1, 2, 3]));
        Assert.Equal(3, jit.Invoke(1, 2));
    }
}
