using System.Runtime.CompilerServices;
using System.Globalization;

namespace JitNotebooks.Compiler;

/// <summary>
/// Recursive descent over the grammar below, one method per rule; loops make <c>+ -</c> and
/// <c>* / %</c> left-associative. Unary minus binds tighter than any binary operator.
/// <code>
/// expression := term   (('+' | '-') term)*
/// term       := unary  (('*' | '/' | '%') unary)*
/// unary      := '-' unary | primary
/// primary    := number | parameter | '(' expression ')'
/// </code>
/// </summary>
public sealed class Parser
{
    private const string OperandDescription = "a number, a parameter name, '-' or '('";

    private readonly string _source;
    private readonly IReadOnlyList<Token> _tokens;
    private readonly IReadOnlyList<string> _parameters;
    private int _next;
    private int _nesting; // parentheses and unary minuses open right now: the parser's own recursion depth

    private Parser(string source, IReadOnlyList<string> parameters)
    {
        _source = source;
        _tokens = Lexer.Tokenize(source);
        _parameters = parameters;
    }

    /// <summary>Parses <paramref name="source"/> as the body of a function of the named parameters.</summary>
    /// <example><c>Parser.Parse("a * b + 1", "a", "b")</c></example>
    /// <exception cref="ParseException">The text is not a valid expression; says where and what was expected.</exception>
    /// <exception cref="ArgumentException">More than six parameters, a duplicate, or a name that is not an identifier.</exception>
    public static ParsedFunction Parse(string source, params string[] parameters)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(parameters);
        // Checked before parsing, so a bad parameter list is reported as such, not as a parse error.
        ExpressionLimits.Check(parameters, new NumberNode(0));
        var parser = new Parser(source, [.. parameters]);
        var (body, _) = parser.ParseExpression();
        parser.Expect(TokenKind.End, "an operator (+ - * / %) or the end of the input");
        return new ParsedFunction(parameters, body);
    }

    private (ExprNode Node, int Depth) ParseExpression()
    {
        var (left, depth) = ParseTerm();
        while (Peek.Kind is TokenKind.Plus or TokenKind.Minus)
        {
            var op = Advance();
            var (right, rightDepth) = ParseTerm();
            (left, depth) = Combine(op, op.Kind == TokenKind.Plus ? BinaryOperator.Add : BinaryOperator.Subtract, left, depth, right, rightDepth);
        }
        return (left, depth);
    }

    private (ExprNode Node, int Depth) ParseTerm()
    {
        var (left, depth) = ParseUnary();
        while (Peek.Kind is TokenKind.Star or TokenKind.Slash or TokenKind.Percent)
        {
            var op = Advance();
            var kind = op.Kind switch
            {
                TokenKind.Star => BinaryOperator.Multiply,
                TokenKind.Slash => BinaryOperator.Divide,
                _ => BinaryOperator.Remainder,
            };
            var (right, rightDepth) = ParseUnary();
            (left, depth) = Combine(op, kind, left, depth, right, rightDepth);
        }
        return (left, depth);
    }

    private (ExprNode Node, int Depth) ParseUnary()
    {
        if (Peek.Kind != TokenKind.Minus) return ParsePrimary();
        var minus = Advance();
        // "-5" is one literal, like C#'s -5: it is also the only way to write long.MinValue.
        if (Peek.Kind == TokenKind.Number) return (new NumberNode(ParseNumber(Advance(), negative: true)), 1);
        Enter(minus);
        var (operand, depth) = ParseUnary();
        _nesting--;
        return CheckDepth(minus, new NegateNode(operand), depth + 1);
    }

    private (ExprNode Node, int Depth) ParsePrimary()
    {
        var token = Peek;
        switch (token.Kind)
        {
            case TokenKind.Number:
                Advance();
                return (new NumberNode(ParseNumber(token, negative: false)), 1);
            case TokenKind.Identifier:
                Advance();
                return (ResolveParameter(token), 1);
            case TokenKind.LeftParen:
                Advance();
                Enter(token);
                var inner = ParseExpression();
                Expect(TokenKind.RightParen, $"')' to close the '(' at position {token.Position}");
                _nesting--;
                return inner;
            default:
                throw new ParseException(_source, token.Position, OperandDescription, token.Describe());
        }
    }

    private ParameterNode ResolveParameter(Token name)
    {
        for (int i = 0; i < _parameters.Count; i++)
            if (_parameters[i] == name.Text) return new ParameterNode(name.Text, i);
        string known = _parameters.Count == 0 ? "no parameters are declared" : "declared: " + string.Join(", ", _parameters);
        throw new ParseException(_source, name.Position, $"a declared parameter ({known})", name.Describe(),
            "Add it to the parameter list, e.g. Parser.Parse(source, \"a\", \"b\").");
    }

    private long ParseNumber(Token token, bool negative)
    {
        // Parsed as an unsigned magnitude so that 9223372036854775808 is accepted after a minus sign.
        bool fits = ulong.TryParse(token.Text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong magnitude)
                    && magnitude <= (negative ? 1UL << 63 : long.MaxValue);
        if (!fits)
            throw new ParseException(_source, token.Position,
                negative ? "an integer from 0 to 9223372036854775808 after '-'" : "an integer from 0 to 9223372036854775807",
                token.Describe(), "Literals are 64-bit signed integers.");
        return negative ? unchecked(-(long)magnitude) : (long)magnitude;
    }

    private (ExprNode Node, int Depth) Combine(Token op, BinaryOperator kind, ExprNode left, int leftDepth, ExprNode right, int rightDepth) =>
        CheckDepth(op, new BinaryNode(kind, left, right), 1 + Math.Max(leftDepth, rightDepth));

    private (ExprNode Node, int Depth) CheckDepth(Token at, ExprNode node, int depth) =>
        depth <= ExpressionLimits.MaxDepth
            ? (node, depth)
            : throw new ParseException(_source, at.Position, $"an expression at most {ExpressionLimits.MaxDepth} levels deep",
                $"one {depth} levels deep", "Split it into smaller functions.");

    private void Enter(Token at)
    {
        if (++_nesting > ExpressionLimits.MaxDepth)
            throw new ParseException(_source, at.Position, $"at most {ExpressionLimits.MaxDepth} nested parentheses or minus signs",
                $"{_nesting} nested levels");
        // Each level costs a few stack frames; on a thread with a small stack, stop cleanly before it overflows.
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
            throw new ParseException(_source, at.Position, "less nesting (this thread's stack is too small for more)",
                $"{_nesting} nested levels", "Parse on a thread with a larger stack (Linux's default is 8 MiB).");
    }

    private Token Peek => _tokens[_next];

    private Token Advance() => _tokens[_next++];

    private void Expect(TokenKind kind, string expected)
    {
        if (Peek.Kind != kind) throw new ParseException(_source, Peek.Position, expected, Peek.Describe());
        Advance();
    }
}
