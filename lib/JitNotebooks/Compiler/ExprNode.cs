namespace JitNotebooks.Compiler;

/// <summary>The five binary operators, all on 64-bit signed integers.</summary>
public enum BinaryOperator
{
    /// <summary><c>+</c>, wrapping on overflow.</summary>
    Add,
    /// <summary><c>-</c>, wrapping on overflow.</summary>
    Subtract,
    /// <summary><c>*</c>, wrapping on overflow (the low 64 bits of the product).</summary>
    Multiply,
    /// <summary><c>/</c>, truncating toward zero; throws on a zero divisor and on long.MinValue / -1.</summary>
    Divide,
    /// <summary><c>%</c>, with the sign of the dividend; throws on a zero divisor and on long.MinValue % -1.</summary>
    Remainder,
}

/// <summary>
/// A node of the expression tree: immutable, compared by value. The parser produces it; the
/// interpreter walks it; the two compilers translate it.
/// </summary>
public abstract record ExprNode
{
    /// <summary>The node written back as source text, fully parenthesized (parses back to an equal tree).</summary>
    public sealed override string ToString() => SourcePrinter.Print(this);
}

/// <summary>An integer literal. The parser folds a minus sign directly before a literal into it (<c>-5</c>).</summary>
public sealed record NumberNode(long Value) : ExprNode;

/// <summary>A parameter, by name and by position in the parameter list (0 = first argument).</summary>
public sealed record ParameterNode(string Name, int Index) : ExprNode;

/// <summary>Unary minus, wrapping: <c>-long.MinValue</c> is <c>long.MinValue</c>.</summary>
public sealed record NegateNode(ExprNode Operand) : ExprNode;

/// <summary>A binary operation; the left operand is evaluated first.</summary>
public sealed record BinaryNode(BinaryOperator Operator, ExprNode Left, ExprNode Right) : ExprNode;
