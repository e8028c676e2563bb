using System.Runtime.CompilerServices;
using System.Globalization;
using System.Text;

namespace JitNotebooks.Compiler;

/// <summary>
/// Writes a tree back as source text with every binary operation in parentheses, so the text
/// parses back to an equal tree (the tests check this round trip).
/// </summary>
public static class SourcePrinter
{
    private static readonly Dictionary<BinaryOperator, string> Symbols = new()
    {
        [BinaryOperator.Add] = "+", [BinaryOperator.Subtract] = "-", [BinaryOperator.Multiply] = "*",
        [BinaryOperator.Divide] = "/", [BinaryOperator.Remainder] = "%",
    };

    /// <summary>The operator as written in source.</summary>
    public static string Symbol(BinaryOperator op) => Symbols[op];

    public static string Print(ExprNode node)
    {
        var text = new StringBuilder();
        Write(node, text);
        return text.ToString();
    }

    private static void Write(ExprNode node, StringBuilder text)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        switch (node)
        {
            case NumberNode n:
                // A negative literal is written "-5"; the parser folds the sign back into the literal.
                text.Append(n.Value.ToString(CultureInfo.InvariantCulture));
                break;
            case ParameterNode p:
                text.Append(p.Name);
                break;
            case NegateNode n:
                // "-(…)" keeps a negated literal a NegateNode instead of folding into a negative literal.
                text.Append("-(");
                Write(n.Operand, text);
                text.Append(')');
                break;
            case BinaryNode b:
                text.Append('(');
                Write(b.Left, text);
                text.Append(' ').Append(Symbols[b.Operator]).Append(' ');
                Write(b.Right, text);
                text.Append(')');
                break;
            default:
                throw new ArgumentException($"Unknown node type {node.GetType().Name}.", nameof(node));
        }
    }
}
