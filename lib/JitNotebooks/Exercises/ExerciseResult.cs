using System.Net;
using JitNotebooks.Display;

namespace JitNotebooks.Exercises;

/// <summary>Where a learner stands on one exercise.</summary>
public enum ExerciseStatus
{
    /// <summary>The answer is still the cell's starting value.</summary>
    NotAnswered,
    /// <summary>An answer, not the right one yet: the message nudges.</summary>
    NotYet,
    /// <summary>Right.</summary>
    Correct,
}

/// <summary>
/// The verdict on one answer: ⏳ not answered yet (what to do), ❌ not yet (a nudge, naming the
/// mistake when it is a known one), or ✅ correct (with why). A cell can end on it: it shows as
/// one line of text or HTML. Checking never throws, so a notebook with unsolved exercises runs green.
/// </summary>
[TypeFormatterSource(typeof(RichDisplayFormatterSource), PreferredMimeTypes = ["text/html", "text/plain"])]
public sealed class ExerciseResult : IRichDisplay
{
    internal ExerciseResult(IExercise exercise, ExerciseStatus status, string message, string? diagnosis = null)
    {
        ExerciseId = exercise.Id;
        ExerciseName = exercise.Name;
        HintCount = exercise.HintCount;
        Status = status;
        Message = message;
        Diagnosis = diagnosis;
    }

    /// <summary>The exercise's number, e.g. <c>02.1</c>.</summary>
    public string ExerciseId { get; }

    /// <summary>How a cell names the exercise, e.g. <c>Exercises02.MovRax60</c>.</summary>
    public string ExerciseName { get; }

    private int HintCount { get; }

    public ExerciseStatus Status { get; }

    public bool IsCorrect => Status == ExerciseStatus.Correct;

    /// <summary>The sentence for the learner (no mark, no exercise number).</summary>
    public string Message { get; }

    /// <summary>The id of the mistake recognised in the answer (e.g. <c>sixty-as-0x60</c>), or null.</summary>
    public string? Diagnosis { get; }

    private string Mark => Status switch
    {
        ExerciseStatus.Correct => "✅",
        ExerciseStatus.NotYet => "❌",
        _ => "⏳",
    };

    private string Label => Status switch
    {
        ExerciseStatus.Correct => "correct",
        ExerciseStatus.NotYet => "not yet",
        _ => "not answered yet",
    };

    // Only an answer that is not right yet points at the hints; a correct one needs none.
    private string HintPointer => Status == ExerciseStatus.Correct || HintCount == 0
        ? ""
        : $" (Stuck? {ExerciseName}.Hint() gives a hint.)";

    public string ToText() => $"{Mark} {ExerciseId} {Label}: {Message}{HintPointer}";

    public string ToHtml()
    {
        string colour = Status switch
        {
            ExerciseStatus.Correct => "#1a7f37",
            ExerciseStatus.NotYet => "#cf222e",
            _ => "#6e7781",
        };
        return $"<div class=\"jitnb-exercise\" style=\"border-left:4px solid {colour};padding-left:8px\">" +
               $"{Mark} <b>{WebUtility.HtmlEncode(ExerciseId)} {Label}:</b> {WebUtility.HtmlEncode(Message)}" +
               (HintPointer.Length > 0 ? $"<span style=\"color:#6e7781\">{WebUtility.HtmlEncode(HintPointer)}</span>" : "") +
               "</div>";
    }

    public override string ToString() => ToText();
}

/// <summary>One hint, asked for with <c>Exercise.Hint(level)</c>; shows as one line.</summary>
[TypeFormatterSource(typeof(RichDisplayFormatterSource), PreferredMimeTypes = ["text/html", "text/plain"])]
public sealed class ExerciseHint : IRichDisplay
{
    internal ExerciseHint(string exerciseId, int level, int count, string text)
    {
        ExerciseId = exerciseId;
        Level = level;
        Count = count;
        Text = text;
    }

    public string ExerciseId { get; }

    /// <summary>Which hint this is, from 1 (a nudge) up to <see cref="Count"/> (nearly the method).</summary>
    public int Level { get; }

    /// <summary>How many hints the exercise has.</summary>
    public int Count { get; }

    /// <summary>The hint itself, or a pointer to the worked solution once the hints run out.</summary>
    public string Text { get; }

    private string Heading => Level <= Count ? $"{ExerciseId} hint {Level} of {Count}" : $"{ExerciseId}, no hint {Level}";

    public string ToText() => $"💡 {Heading}: {Text}";

    public string ToHtml() =>
        $"<div class=\"jitnb-hint\" style=\"border-left:4px solid #9a6700;padding-left:8px\">💡 <b>{WebUtility.HtmlEncode(Heading)}:</b> " +
        $"{WebUtility.HtmlEncode(Text)}</div>";

    public override string ToString() => ToText();
}
