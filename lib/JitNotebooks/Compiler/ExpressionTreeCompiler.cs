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

    /// <summary>
    /// The batch version, for comparing like with like: a lambda <c>(rows, results) => { for (i …)
    /// results[i] = body(rows[i * arity + 0], …); }</c> with the body inlined into the loop, so
    /// RyuJIT compiles one loop just as <see cref="X64Compiler.CompileBatch(ParsedFunction, DoubleMappedCodeArena)"/>
    /// does. (Unlike our code, its array accesses keep .NET's bounds checks.)
    /// </summary>
    public static Expression<Action<long[], long[]>> ToBatchLambda(ParsedFunction function)
    {
        ArgumentNullException.ThrowIfNull(function);
        var rows = Expression.Parameter(typeof(long[]), "rows");
        var results = Expression.Parameter(typeof(long[]), "results");
        var i = Expression.Variable(typeof(int), "i");
        var row = Expression.Variable(typeof(int), "row");
        var parameters = function.Parameters.Select(name => Expression.Variable(typeof(long), name)).ToArray();
        var done = Expression.Label("done");
        var loadRow = parameters.Select((p, k) =>
            (Expression)Expression.Assign(p, Expression.ArrayAccess(rows, Expression.Add(row, Expression.Constant(k)))));
        var iteration = Expression.Block(loadRow.Concat(
        [
            Expression.Assign(Expression.ArrayAccess(results, i), Translate(function.Body, parameters)),
            Expression.Assign(i, Expression.Add(i, Expression.Constant(1))),
            Expression.Assign(row, Expression.Add(row, Expression.Constant(function.Arity))),
        ]));
        var body = Expression.Block(new[] { i, row }.Concat(parameters),
            Expression.Assign(i, Expression.Constant(0)),
            Expression.Assign(row, Expression.Constant(0)),
            Expression.Loop(
                Expression.IfThenElse(Expression.LessThan(i, Expression.ArrayLength(results)), iteration, Expression.Break(done)),
                done));
        return Expression.Lambda<Action<long[], long[]>>(body, rows, results);
    }

    /// <summary>Builds the batch lambda and compiles it.</summary>
    public static ReferenceBatchFunction CompileBatch(ParsedFunction function) => new(function, ToBatchLambda(function).Compile());

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
