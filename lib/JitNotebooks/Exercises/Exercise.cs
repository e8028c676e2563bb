namespace JitNotebooks.Exercises;

/// <summary>What every exercise offers, whatever the type of its answer (for catalogs and tests).</summary>
public interface IExercise
{
    /// <summary>Notebook and number, e.g. <c>02.1</c>.</summary>
    string Id { get; }

    /// <summary>How a cell names it, e.g. <c>Exercises02.MovRax60</c>.</summary>
    string Name { get; }

    /// <summary>A few words: what is asked.</summary>
    string Title { get; }

    /// <summary>The question as the notebook asks it (markdown).</summary>
    string Prompt { get; }

    /// <summary>The exercise's code cell as a learner first sees it: the answer's declaration, then the check.</summary>
    string StarterCode { get; }

    /// <summary>How many hints <c>Hint(level)</c> has, the first a nudge, the last nearly the method.</summary>
    int HintCount { get; }

    /// <summary>The worked solution (markdown: the reasoning, then the answer as code).</summary>
    string WorkedSolution { get; }

    /// <summary>The answer as the learner's cell declares it, e.g. <c>byte[] answer = [0x48, …];</c> (for a solutions key).</summary>
    string SolutionCode { get; }

    /// <summary>How to get to the answer (markdown), without the code.</summary>
    string Explanation { get; }

    /// <summary>The worked solution inside <c>&lt;details&gt;</c>, ready to paste under the exercise.</summary>
    string SolutionDetails { get; }

    /// <summary>The mistakes the check recognises: an id and what the mistake is.</summary>
    IReadOnlyList<(string Id, string Description)> Diagnoses { get; }

    /// <summary>Hint number <paramref name="level"/> (1 = the first).</summary>
    ExerciseHint Hint(int level = 1);
}

/// <summary>The sample answers every exercise carries, checked the same way for all (tests, catalog).</summary>
internal interface IExerciseSamples : IExercise
{
    ExerciseResult CheckSolution();
    ExerciseResult CheckUntouched();
    ExerciseResult CheckWrongExample();
    IEnumerable<(string Id, ExerciseResult Result)> CheckMistakeExamples();
    IReadOnlyList<string> Hints { get; }
    string WhatToDo { get; }
    string Starter { get; }
    string SolutionDeclaration { get; }
    object? SolutionObject { get; }
}

/// <summary>
/// A mistake an exercise recognises: how to spot it in an answer, what to tell the learner, and one
/// answer that makes it (the tests check every diagnosis with its example).
/// </summary>
/// <param name="Id">A short stable name, e.g. <c>sixty-as-0x60</c>.</param>
/// <param name="Description">The mistake in a few words, for the catalog.</param>
/// <param name="Example">An answer that makes this mistake.</param>
/// <param name="Matches">True when an answer makes it. Never called with the untouched answer.</param>
/// <param name="Nudge">What to say: points at the mistake without giving the answer away.</param>
internal sealed record Mistake<T>(string Id, string Description, T Example, Func<T, bool> Matches, Func<T, string> Nudge)
{
    public Mistake(string id, string description, T example, Func<T, bool> matches, string nudge)
        : this(id, description, example, matches, _ => nudge) { }
}

/// <summary>The judge's verdict on an answer that is neither untouched nor a known mistake.</summary>
internal readonly record struct Judgement(bool Correct, string Message, string? Diagnosis = null)
{
    public static Judgement Right(string message) => new(true, message);

    public static Judgement Wrong(string message, string? diagnosis = null) => new(false, message, diagnosis);
}

/// <summary>Everything that defines one exercise; <see cref="Exercise{TAnswer}"/> turns it into checks and hints.</summary>
internal sealed class ExerciseSpec<T>
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string Title { get; init; }
    public required string Prompt { get; init; }

    /// <summary>The declaration(s) of the cell's answer variable(s), untouched.</summary>
    public required string Starter { get; init; }

    /// <summary>The arguments of the cell's check call: the variable names.</summary>
    public required string Arguments { get; init; }

    /// <summary>The answer as a cell first holds it.</summary>
    public required T UntouchedValue { get; init; }

    /// <summary>True for any answer that means "nothing entered yet" (e.g. null and empty).</summary>
    public required Func<T, bool> IsUntouched { get; init; }

    /// <summary>What to do, without the answer or the method.</summary>
    public required string WhatToDo { get; init; }

    public IReadOnlyList<Mistake<T>> Mistakes { get; init; } = [];

    /// <summary>Decides the rest: right (with why) or a general nudge.</summary>
    public required Func<T, Judgement> Judge { get; init; }

    /// <summary>From a nudge up to nearly the method; never the answer itself.</summary>
    public required IReadOnlyList<string> Hints { get; init; }

    /// <summary>The reasoning of the worked solution (markdown); the answer's code is appended.</summary>
    public required string Explanation { get; init; }

    /// <summary>The right answer, as a cell would hold it.</summary>
    public required T Solution { get; init; }

    /// <summary>The cell's declaration(s) holding a given answer: the solution's code is made with it.</summary>
    public required Func<T, string> Declare { get; init; }

    /// <summary>A wrong answer that is no known mistake: the tests check it gets the general nudge.</summary>
    public required T WrongExample { get; init; }
}

/// <summary>
/// A notebook exercise: <see cref="Check"/> an answer, ask for a <see cref="Hint"/>, paste the
/// <see cref="SolutionDetails"/> under it. A first run with the cell untouched says only what to do;
/// a wrong answer gets a nudge (a specific one for the mistakes it recognises); hints go from a nudge
/// to nearly the method; the worked solution stays folded in the notebook.
/// </summary>
/// <typeparam name="TAnswer">What the learner enters: a number, bytes, a register, a string…</typeparam>
public class Exercise<TAnswer> : IExercise, IExerciseSamples
{
    private readonly ExerciseSpec<TAnswer> _spec;

    internal Exercise(ExerciseSpec<TAnswer> spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        _spec = spec;
    }

    public string Id => _spec.Id;
    public string Name => _spec.Name;
    public string Title => _spec.Title;
    public string Prompt => _spec.Prompt;
    public string StarterCode => $"{_spec.Starter}\n{Name}.Check({_spec.Arguments})";
    public int HintCount => _spec.Hints.Count;
    public string WorkedSolution => $"{_spec.Explanation.TrimEnd()}\n\n```csharp\n{_spec.Declare(_spec.Solution)}\n{Name}.Check({_spec.Arguments})\n```";
    public string SolutionDetails => $"<details><summary>Solution</summary>\n\n{WorkedSolution}\n\n</details>";
    public string SolutionCode => _spec.Declare(_spec.Solution);
    public string Explanation => _spec.Explanation.TrimEnd();
    public IReadOnlyList<(string Id, string Description)> Diagnoses => _spec.Mistakes.Select(m => (m.Id, m.Description)).ToArray();

    /// <summary>Checks an answer. Never throws: an answer that makes the check fail is "not yet", with the reason.</summary>
    public ExerciseResult Check(TAnswer answer)
    {
        try
        {
            if (_spec.IsUntouched(answer))
                return Result(ExerciseStatus.NotAnswered, _spec.WhatToDo);
            foreach (var mistake in _spec.Mistakes)
                if (mistake.Matches(answer))
                    return Result(ExerciseStatus.NotYet, mistake.Nudge(answer), mistake.Id);
            var judgement = _spec.Judge(answer);
            return Result(judgement.Correct ? ExerciseStatus.Correct : ExerciseStatus.NotYet, judgement.Message, judgement.Diagnosis);
        }
        catch (Exception e)
        {
            // A half-finished answer (an out-of-range value, say) should teach, not fail the cell.
            return Result(ExerciseStatus.NotYet, $"checking your answer raised {e.GetType().Name}: {e.Message}", "raised");
        }
    }

    /// <summary>Hint <paramref name="level"/>: <c>Hint()</c> is the first and gentlest, higher levels say more.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The level is below 1.</exception>
    public ExerciseHint Hint(int level = 1)
    {
        if (level < 1)
            throw new ArgumentOutOfRangeException(nameof(level), level,
                $"Hints count from 1: {Name}.Hint() is the first, {Name}.Hint(2) the next.");
        string text = level <= HintCount
            ? _spec.Hints[level - 1]
            : $"there {(HintCount == 1 ? "is 1 hint" : $"are {HintCount} hints")} for {Id}; the worked solution is in the Solution block under the exercise.";
        return new ExerciseHint(Id, level, HintCount, text);
    }

    public override string ToString() => $"{Id} {Title} ({Name})";

    // ---- for tests ---------------------------------------------------------------------------

    internal TAnswer SolutionValue => _spec.Solution;
    internal TAnswer UntouchedValue => _spec.UntouchedValue;
    internal TAnswer WrongExample => _spec.WrongExample;
    internal IReadOnlyList<Mistake<TAnswer>> Mistakes => _spec.Mistakes;

    ExerciseResult IExerciseSamples.CheckSolution() => Check(_spec.Solution);
    ExerciseResult IExerciseSamples.CheckUntouched() => Check(_spec.UntouchedValue);
    ExerciseResult IExerciseSamples.CheckWrongExample() => Check(_spec.WrongExample);
    IEnumerable<(string Id, ExerciseResult Result)> IExerciseSamples.CheckMistakeExamples() =>
        _spec.Mistakes.Select(m => (m.Id, Check(m.Example)));
    IReadOnlyList<string> IExerciseSamples.Hints => _spec.Hints;
    string IExerciseSamples.WhatToDo => _spec.WhatToDo;
    string IExerciseSamples.Starter => _spec.Starter;
    string IExerciseSamples.SolutionDeclaration => SolutionCode;
    object? IExerciseSamples.SolutionObject => _spec.Solution;

    private ExerciseResult Result(ExerciseStatus status, string message, string? diagnosis = null) =>
        new(this, status, message, diagnosis);
}
