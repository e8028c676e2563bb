using System.Runtime.CompilerServices;
namespace JitNotebooks.Compiler;

/// <summary>
/// Engine 1: walks the tree and computes each node with C#'s own operators, in an unchecked
/// context. So its results and its exceptions are .NET's by definition: wrapping + - * and
/// unary minus; <c>/</c> and <c>%</c> truncating toward zero; <see cref="DivideByZeroException"/>
/// for a zero divisor and <see cref="OverflowException"/> for <c>long.MinValue / -1</c> and
/// <c>long.MinValue % -1</c> (what x64 .NET throws). The other two engines are tested against it.
/// </summary>
public static class Interpreter
{
    /// <summary>Evaluates the function's body with the given arguments.</summary>
    /// <exception cref="ArgumentException">The wrong number of arguments.</exception>
    /// <exception cref="DivideByZeroException">A divisor was zero.</exception>
    /// <exception cref="OverflowException"><c>long.MinValue / -1</c> or <c>long.MinValue % -1</c>.</exception>
    public static long Evaluate(ParsedFunction function, params long[] arguments)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(arguments);
        function.CheckArgumentCount(arguments.Length);
        return Evaluate(function.Body, arguments);
    }

    /// <summary>The recursive walk itself (no checks: call <see cref="Evaluate(ParsedFunction, long[])"/> from outside).</summary>
    // Fully optimized from the first call: a notebook measures it for a second or two, too short for
    // tiered compilation to promote it, and a tier-0 interpreter would flatter the compilers.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static long Evaluate(ExprNode node, long[] arguments)
    {
        // One frame per tree level: refuse cleanly (InsufficientExecutionStackException) rather than overflow.
        RuntimeHelpers.EnsureSufficientExecutionStack();
        return node switch
        {
            NumberNode n => n.Value,
            ParameterNode p => arguments[p.Index],
            NegateNode n => unchecked(-Evaluate(n.Operand, arguments)),
            BinaryNode b => Apply(b.Operator, Evaluate(b.Left, arguments), Evaluate(b.Right, arguments)),
            _ => throw new ArgumentException($"Unknown node type {node.GetType().Name}.", nameof(node)),
        };
    }

    /// <summary>One binary operation with C#'s semantics.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static long Apply(BinaryOperator op, long left, long right) => unchecked(op switch
    {
        BinaryOperator.Add => left + right,
        BinaryOperator.Subtract => left - right,
        BinaryOperator.Multiply => left * right,
        BinaryOperator.Divide => left / right,
        BinaryOperator.Remainder => left % right,
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown operator."),
    });
}
