using JitNotebooks.Compiler;

namespace JitNotebooks.Exercises;

/// <summary>Notebook 08's self-checking exercises: hit a target table with an expression, and predict a parse error's position.</summary>
public static class Exercises08
{
    /// <summary>Exercise 1's inputs (a, b) and the values the learner's expression must produce on them.</summary>
    public static IReadOnlyList<(long A, long B, long Value)> Targets { get; } =
    [
        (3, 4, 25),
        (1, 2, 5),
        (0, 7, 49),
        (-2, 1, 5),
        (10, -10, 200),
    ];

    /// <summary>
    /// Exercise 1: an expression in <c>a</c> and <c>b</c> that gives every value in <see cref="Targets"/>.
    /// Evaluated by the interpreter and by our x64 compiler; both must hit the targets.
    /// </summary>
    public static CheckResult TargetExpression(string? source) => Check.Safely(() =>
    {
        if (string.IsNullOrWhiteSpace(source))
            return CheckResult.NotYet("no expression yet. Look at the row where a = 0 first.");
        ParsedFunction function;
        try
        {
            function = Parser.Parse(source, "a", "b");
        }
        catch (ParseException e)
        {
            return CheckResult.NotYet($"it does not parse: at position {e.Position}, expected {e.Expected}, found {e.Found}.");
        }
        foreach (var (a, b, value) in Targets)
        {
            long got;
            try
            {
                got = Interpreter.Evaluate(function, a, b);
            }
            catch (ArithmeticException e)
            {
                return CheckResult.NotYet($"with a = {a}, b = {b} it throws {e.GetType().Name}; it should give {value}.");
            }
            if (got != value)
                return CheckResult.NotYet($"with a = {a}, b = {b} it gives {got}, not {value}.");
        }
        if (NativePlatform.CanRunJitCode)
        {
            using var arena = new CodeArena(1);
            var compiled = new X64Compiler().Compile(function, arena);
            var wrong = Targets.FirstOrDefault(t => compiled.Invoke(t.A, t.B) != t.Value);
            if (wrong != default)
                return CheckResult.NotYet($"the interpreter agrees, but our JIT gives {compiled.Invoke(wrong.A, wrong.B)} for a = {wrong.A}, b = {wrong.B}: a compiler bug, please report it.");
        }
        return CheckResult.Correct($"{function} hits all {Targets.Count} targets.");
    });

    /// <summary>Exercise 2's source: where does the parser stop, and why?</summary>
    public const string BrokenSource = "(a + 2) * / b";

    /// <summary>Exercise 2: the 0-based position the parse error of <see cref="BrokenSource"/> names.</summary>
    public static CheckResult ParseErrorPosition(int answer) => Check.Safely(() =>
    {
        var error = ParseErrorOf(BrokenSource);
        if (answer == error.Position)
            return CheckResult.Correct($"position {error.Position}: expected {error.Expected}, found {error.Found}.");
        if (answer == error.Position + 1)
            return CheckResult.NotYet("one too far: positions count from 0, like string indexes.");
        return CheckResult.NotYet("after '*' the parser needs an operand (a number, a name, '-' or '('). Count characters from 0, spaces included.");
    });

    private static ParseException ParseErrorOf(string source)
    {
        try
        {
            Parser.Parse(source, "a", "b");
        }
        catch (ParseException e)
        {
            return e;
        }
        throw new InvalidOperationException($"'{source}' parsed; the exercise needs a parse error.");
    }
}
