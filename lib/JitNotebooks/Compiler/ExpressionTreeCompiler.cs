using System.Runtime.CompilerServices;
using System.Linq.Expressions;

namespace JitNotebooks.Compiler;

/// <summary>
/// Engine 3, the reference: translates the tree into a System.Linq.Expressions lambda and lets
/// .NET compile it (<see cref="LambdaExpression.Compile()"/> emits IL; RyuJIT turns the IL into
/// machine code on the first call). Same semantics as C#: unchecked arithmetic, .NET's exceptions.
/// </summary>
public static class ExpressionTreeCompiler
{
    /// <summary>
    /// The lambda as C# would print it, e.g. <c>(a, b) => (a + b)</c>. A string, not the
    /// LambdaExpression: a notebook cell that binds to System.Linq.Expressions types through this
    /// net8.0 library makes a .NET 10 kernel warn (CS1701) about the assembly versions.
    /// </summary>
    public static string ToLambdaText(ParsedFunction function) => ToLambda(function).ToString();

    /// <summary>The lambda, before compilation.</summary>
    internal static LambdaExpression ToLambda(ParsedFunction function)
    {
        ArgumentNullException.ThrowIfNull(function);
        var parameters = function.Parameters.Select(name => Expression.Parameter(typeof(long), name)).ToArray();
        return Expression.Lambda(Translate(function.Body, parameters), parameters);
    }

    /// <summary>Builds the lambda and compiles it.</summary>
    public static ReferenceFunction Compile(ParsedFunction function) => new(function, ToLambda(function).Compile());

    private static Expression Translate(ExprNode node, ParameterExpression[] parameters)
    {
        // One frame per tree level: refuse cleanly (InsufficientExecutionStackException) rather than overflow.
        RuntimeHelpers.EnsureSufficientExecutionStack();
        return node switch
        {
            NumberNode n => Expression.Constant(n.Value),
            ParameterNode p => parameters[p.Index],
            NegateNode n => Expression.Negate(Translate(n.Operand, parameters)),
            BinaryNode b => Binary(b.Operator, Translate(b.Left, parameters), Translate(b.Right, parameters)),
            _ => throw new ArgumentException($"Unknown node type {node.GetType().Name}.", nameof(node)),
        };
    }

    // The unchecked factories (Add, not AddChecked): + - * wrap, as in C#.
    private static BinaryExpression Binary(BinaryOperator op, Expression left, Expression right) => op switch
    {
        BinaryOperator.Add => Expression.Add(left, right),
        BinaryOperator.Subtract => Expression.Subtract(left, right),
        BinaryOperator.Multiply => Expression.Multiply(left, right),
        BinaryOperator.Divide => Expression.Divide(left, right),
        BinaryOperator.Remainder => Expression.Modulo(left, right),
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown operator."),
    };
}
