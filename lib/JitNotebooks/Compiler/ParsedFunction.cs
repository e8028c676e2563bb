namespace JitNotebooks.Compiler;

/// <summary>
/// A function of up to six <c>long</c> parameters whose body is an expression tree: what the
/// parser returns and what every engine (interpreter, x64 compiler, .NET compiler) takes.
/// Immutable and checked once, on construction, so the engines can trust it: at most
/// <see cref="ExpressionLimits.MaxParameters"/> valid, distinct names; depth at most
/// <see cref="ExpressionLimits.MaxDepth"/>; every <see cref="ParameterNode"/> matching the list.
/// </summary>
public sealed class ParsedFunction
{
    /// <summary>Builds (and checks) a function from a tree, for trees made by hand or by a generator.</summary>
    /// <exception cref="ArgumentException">A limit is exceeded or a parameter reference does not match.</exception>
    public ParsedFunction(IReadOnlyList<string> parameters, ExprNode body)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(body);
        Parameters = [.. parameters];
        Body = body;
        ExpressionLimits.Check(Parameters, Body);
        Depth = ExpressionLimits.Depth(body);
        Size = ExpressionLimits.Size(body);
    }

    /// <summary>Parameter names in argument order (argument 1 arrives in rdi, 2 in rsi, …).</summary>
    public IReadOnlyList<string> Parameters { get; }

    /// <summary>The expression.</summary>
    public ExprNode Body { get; }

    /// <summary>How many arguments a call must pass.</summary>
    public int Arity => Parameters.Count;

    /// <summary>Levels of the tree (1 for a leaf).</summary>
    public int Depth { get; }

    /// <summary>Nodes in the tree.</summary>
    public int Size { get; }

    /// <summary><c>(a, b) => (a + b)</c>.</summary>
    public override string ToString() => $"({string.Join(", ", Parameters)}) => {Body}";

    /// <summary>Throws unless exactly <see cref="Arity"/> arguments were given.</summary>
    internal void CheckArgumentCount(int given)
    {
        if (given != Arity)
            throw new ArgumentException(
                $"{this} takes {Arity} argument{(Arity == 1 ? "" : "s")}{(Arity == 0 ? "" : $" ({string.Join(", ", Parameters)})")}, " +
                $"but {given} {(given == 1 ? "was" : "were")} given.");
    }
}
