using CsCheck;
using JitNotebooks.Compiler;

namespace JitNotebooks.Tests.Compiler;

/// <summary>Random functions and inputs for the property tests, biased towards the edges.</summary>
internal static class ExpressionGen
{
    public static readonly string[] Names = ["a", "b", "c", "d", "e", "f"];

    /// <summary>Values where arithmetic goes wrong: 0, ±1, the extremes, and near them.</summary>
    public static readonly long[] EdgeValues = [0, 1, -1, 2, -2, long.MinValue, long.MaxValue, long.MinValue + 1, long.MaxValue - 1, int.MaxValue, int.MinValue, (long)int.MaxValue + 1, (long)int.MinValue - 1];

    public static readonly Gen<long> Value = Gen.Frequency((3, Gen.Int[0, EdgeValues.Length - 1].Select(i => EdgeValues[i])), (2, Gen.Long[-100, 100]), (2, Gen.Long));

    private static Gen<ExprNode> Node(int arity, int depth)
    {
        var number = Value.Select(v => (ExprNode)new NumberNode(v));
        var leaf = arity == 0 ? number : Gen.Frequency((1, number), (2, Gen.Int[0, arity - 1].Select(i => (ExprNode)new ParameterNode(Names[i], i))));
        if (depth <= 1) return leaf;
        var sub = Node(arity, depth - 1);
        var binary = Gen.Select(Gen.Enum<BinaryOperator>(), sub, sub, (op, l, r) => (ExprNode)new BinaryNode(op, l, r));
        var negate = sub.Select(o => (ExprNode)new NegateNode(o));
        // x / -1 and x % -1 on purpose: they overflow exactly when x is long.MinValue.
        var byMinusOne = Gen.Select(Gen.Bool, sub, (div, l) => (ExprNode)new BinaryNode(div ? BinaryOperator.Divide : BinaryOperator.Remainder, l, new NumberNode(-1)));
        return Gen.Frequency((2, leaf), (1, negate), (4, binary), (1, byMinusOne));
    }

    public static Gen<ParsedFunction> Function(int maxDepth) =>
        from arity in Gen.Int[0, 6]
        from depth in Gen.Int[1, maxDepth]
        from body in Node(arity, depth)
        select new ParsedFunction(Names[..arity], body);

    public static Gen<long[]> Arguments(int arity) => Value.Array[arity];
}
