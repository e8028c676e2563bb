using System.Text.RegularExpressions;
using JitNotebooks.Compiler;

namespace JitNotebooks.Exercises;

/// <summary>Notebook 08's exercises: hit a table of targets with an expression, and predict a parse error's position.</summary>
public static partial class Exercises08
{
    /// <summary>Exercise 08.1's inputs (a, b) and the values the learner's expression must produce on them.</summary>
    public static IReadOnlyList<(long A, long B, long Value)> Targets { get; } =
    [
        (3, 4, 25),
        (1, 2, 5),
        (0, 7, 49),
        (-2, 1, 5),
        (10, -10, 200),
    ];

    private static ParsedFunction? TryParse(string source)
    {
        try { return Parser.Parse(source, "a", "b"); }
        catch (ParseException) { return null; }
    }

    private static ParseException? ParseErrorOf(string source)
    {
        try
        {
            Parser.Parse(source, "a", "b");
            return null;
        }
        catch (ParseException e) { return e; }
    }

    private static bool GivesOnEveryTarget(string? source, Func<long, long, long> expected)
    {
        if (source is null || TryParse(source) is not { } f) return false;
        try { return Targets.All(t => Interpreter.Evaluate(f, t.A, t.B) == unchecked(expected(t.A, t.B))); }
        catch (ArithmeticException) { return false; } // a division by zero is the general nudge's to explain
    }

    /// <summary>Names other than a and b, such as x or y: the parser only knows the declared parameters.</summary>
    private static IReadOnlyList<string> UnknownNames(string source) =>
        Names().Matches(source).Select(m => m.Value).Where(n => n is not ("a" or "b")).Distinct().ToList();

    [GeneratedRegex(@"[A-Za-z_][A-Za-z0-9_]*")]
    private static partial Regex Names();

    private static Judgement JudgeTargets(string? source)
    {
        var function = Parser.Parse(source!, "a", "b"); // the mistakes have caught sources that do not parse
        foreach (var (a, b, value) in Targets)
        {
            long got;
            try { got = Interpreter.Evaluate(function, a, b); }
            catch (ArithmeticException e) { return Judgement.Wrong($"with a = {a}, b = {b} it throws {e.GetType().Name}; it should give {value}."); }
            if (got != value) return Judgement.Wrong($"with a = {a}, b = {b} it gives {got}, not {value}.");
        }
        if (NativePlatform.CanRunJitCode)
        {
            // The compiled code is the library's own (from a parsed tree), not learner bytes.
            using var arena = new CodeArena(1);
            var compiled = new X64Compiler().Compile(function, arena);
            var wrong = Targets.FirstOrDefault(t => compiled.Invoke(t.A, t.B) != t.Value);
            if (wrong != default)
                return Judgement.Wrong($"the interpreter agrees, but our JIT gives {compiled.Invoke(wrong.A, wrong.B)} for a = {wrong.A}, b = {wrong.B}: a compiler bug, please report it.", "compiler-bug");
        }
        return Judgement.Right($"{function} hits all {Targets.Count} targets, in the interpreter and in our JIT.");
    }

    /// <summary>08.1: an expression in a and b that gives every value in <see cref="Targets"/>.</summary>
    public static Exercise<string?> TargetExpression { get; } = new(new ExerciseSpec<string?>
    {
        Id = "08.1",
        Name = "Exercises08.TargetExpression",
        Title = "Hit the targets",
        Prompt = "Write an expression in `a` and `b` that gives the values of the table above. The check parses it, evaluates it with " +
                 "the interpreter and with our JIT, and tells you the first row that is off.",
        Starter = "var expression = \"\"; // your expression in a and b",
        Arguments = "expression",
        UntouchedValue = "",
        IsUntouched = a => string.IsNullOrWhiteSpace(a),
        WhatToDo = "write an expression in a and b between the quotes, then run the cell again.",
        Mistakes =
        [
            new("caret-is-not-power", "used ^ for a power", "a^2 + b^2", a => a!.Contains('^'),
                "there is no ^ in this language (in C#, ^ is exclusive or, not a power). Write a power as a product."),
            new("unknown-name", "used names other than a and b", "x * x + y * y", a => UnknownNames(a!).Count > 0,
                a => $"the parameters are called a and b; {string.Join(", ", UnknownNames(a!))} {(UnknownNames(a!).Count == 1 ? "is" : "are")} unknown here."),
            new("does-not-parse", "wrote something the parser rejects", "a * a +", a => ParseErrorOf(a!) is not null,
                a => ParseErrorOf(a!) is { } e ? $"it does not parse: at position {e.Position}, expected {e.Expected}, found {e.Found}." : ""),
            new("square-of-the-sum", "squared the sum", "(a + b) * (a + b)", a => GivesOnEveryTarget(a, (x, y) => (x + y) * (x + y)),
                "that squares the sum: for a = 3, b = 4 it gives 49, and the table wants 25 there."),
        ],
        Judge = JudgeTargets,
        Hints =
        [
            "Start with the row a = 0: there the value depends on b alone.",
            "Each target is built from a × a and b × b.",
        ],
        Explanation = "The row `0, 7 → 49` suggests a square, and `3, 4 → 25` is the famous right triangle: the sum of the squares. " +
                      "Check a row with a negative number: `(-2)² + 1² = 5`.",
        Solution = "a * a + b * b",
        Declare = a => $"var expression = {Literal.String(a)};",
        WrongExample = "a * b",
    });

    /// <summary>Exercise 08.2's source: where does the parser stop, and why?</summary>
    public const string BrokenSource = "(a + 2) * / b";

    private static readonly ParseException BrokenError = ParseErrorOf(BrokenSource)
        ?? throw new InvalidOperationException($"'{BrokenSource}' parsed; exercise 08.2 needs a parse error.");

    private static readonly int OperatorBefore = BrokenSource.LastIndexOf('*', BrokenError.Position);
    private static readonly int WithoutSpaces = BrokenSource[..BrokenError.Position].Count(c => c != ' ');

    /// <summary>08.2: the 0-based position the parse error of <see cref="BrokenSource"/> names.</summary>
    public static Exercise<int?> ParseErrorPosition { get; } = new(new ExerciseSpec<int?>
    {
        Id = "08.2",
        Name = "Exercises08.ParseErrorPosition",
        Title = "Predict the parse error",
        Prompt = $"At which 0-based position does the parser reject `{BrokenSource}`? Count every character, spaces included; the first is position 0.",
        Starter = "int? position = null; // your answer",
        Arguments = "position",
        UntouchedValue = null,
        IsUntouched = a => a is null,
        WhatToDo = "replace null with the position, then run the cell again.",
        Mistakes =
        [
            new("counted-from-one", "counted positions from 1", BrokenError.Position + 1, a => a == BrokenError.Position + 1,
                "one too far: positions count from 0, like string indexes."),
            new("the-operator-before", "pointed at the '*', which is fine", OperatorBefore, a => a == OperatorBefore,
                "the '*' is fine where it is: the parser complains about what comes after it."),
            new("without-spaces", "skipped the spaces when counting", WithoutSpaces, a => a == WithoutSpaces && WithoutSpaces != BrokenError.Position,
                "spaces count too: every character has a position."),
            new("at-the-space", "pointed at a space", BrokenError.Position - 1,
                a => a is >= 0 && a < BrokenSource.Length && BrokenSource[a.Value] == ' ' && a != OperatorBefore,
                "that position holds a space; the parser skips spaces and complains about a token."),
        ],
        Judge = a => a == BrokenError.Position
            ? Judgement.Right($"position {BrokenError.Position}: expected {BrokenError.Expected}, found {BrokenError.Found}.")
            : Judgement.Wrong($"{a} is not it. After '*' the parser needs an operand; where does it find something else?"),
        Hints =
        [
            "After '*' the parser needs an operand: a number, a name, '-' or '('. What comes instead?",
            "Count characters from 0, spaces included: '(' is position 0, 'a' position 1.",
        ],
        Explanation = "`(a + 2)` is fine (positions 0–6), a space at 7, `*` at 8, a space at 9. After `*` the parser needs an operand, " +
                      "and finds `/` at position **10**.",
        Solution = BrokenError.Position,
        Declare = a => $"int? position = {Literal.Number(a)};",
        WrongExample = 3,
    });
}
