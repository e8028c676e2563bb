namespace JitNotebooks.Compiler;

/// <summary>A function compiled by .NET (<see cref="ExpressionTreeCompiler"/>), callable with up to six longs.</summary>
public sealed class ReferenceFunction
{
    internal ReferenceFunction(ParsedFunction function, Delegate compiled)
    {
        Function = function;
        Delegate = compiled;
    }

    public ParsedFunction Function { get; }

    /// <summary>The compiled delegate: a <c>Func&lt;long, …, long&gt;</c> with one long per parameter.</summary>
    public Delegate Delegate { get; }

    public int Arity => Function.Arity;

    /// <summary>Calls with any number of arguments (must equal <see cref="Arity"/>).</summary>
    public long Invoke(params long[] arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        Function.CheckArgumentCount(arguments.Length);
        return arguments switch
        {
            [] => Invoke(),
            [var a] => Invoke(a),
            [var a, var b] => Invoke(a, b),
            [var a, var b, var c] => Invoke(a, b, c),
            [var a, var b, var c, var d] => Invoke(a, b, c, d),
            [var a, var b, var c, var d, var e] => Invoke(a, b, c, d, e),
            [var a, var b, var c, var d, var e, var f] => Invoke(a, b, c, d, e, f),
            _ => throw new ArgumentException("At most six arguments.", nameof(arguments)),
        };
    }

    public long Invoke() => As<Func<long>>(0)();
    public long Invoke(long a) => As<Func<long, long>>(1)(a);
    public long Invoke(long a, long b) => As<Func<long, long, long>>(2)(a, b);
    public long Invoke(long a, long b, long c) => As<Func<long, long, long, long>>(3)(a, b, c);
    public long Invoke(long a, long b, long c, long d) => As<Func<long, long, long, long, long>>(4)(a, b, c, d);
    public long Invoke(long a, long b, long c, long d, long e) => As<Func<long, long, long, long, long, long>>(5)(a, b, c, d, e);
    public long Invoke(long a, long b, long c, long d, long e, long f) => As<Func<long, long, long, long, long, long, long>>(6)(a, b, c, d, e, f);

    private T As<T>(int given) where T : Delegate
    {
        if (Delegate is T typed) return typed;
        Function.CheckArgumentCount(given);
        throw new InvalidOperationException("Unexpected delegate type " + Delegate.GetType());
    }
}
