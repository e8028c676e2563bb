namespace JitNotebooks.Compiler;

/// <summary>
/// .NET's compilation of the batch loop (<see cref="ExpressionTreeCompiler.ToBatchLambda"/>):
/// the same row-by-row layout as <see cref="CompiledBatchFunction"/>.
/// </summary>
public sealed class ReferenceBatchFunction
{
    internal ReferenceBatchFunction(ParsedFunction function, Action<long[], long[]> compiled)
    {
        Function = function;
        Delegate = compiled;
    }

    public ParsedFunction Function { get; }

    /// <summary>The compiled loop: <c>(rows, results) => …</c>.</summary>
    public Action<long[], long[]> Delegate { get; }

    public int Arity => Function.Arity;

    /// <summary>Evaluates every row of <paramref name="arguments"/> (row by row, Arity values each) into <paramref name="results"/>.</summary>
    /// <exception cref="ArgumentException">The lengths do not match.</exception>
    public void Invoke(long[] arguments, long[] results)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(results);
        if (arguments.Length != (long)results.Length * Arity)
            throw new ArgumentException(
                $"{Function} takes {Arity} argument(s) per row, so {results.Length} result(s) need {(long)results.Length * Arity} " +
                $"arguments laid out row by row, but {arguments.Length} were given.", nameof(arguments));
        Delegate(arguments, results);
    }
}
