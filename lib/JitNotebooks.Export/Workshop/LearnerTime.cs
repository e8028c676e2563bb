using System.Text.RegularExpressions;
using JitNotebooks.Export.Notebooks;

namespace JitNotebooks.Export.Workshop;

/// <summary>
/// How long a learner needs for a notebook, estimated from its text and cells (the runner measures
/// how long the machine needs, which is much less). The rule, stated so an instructor can adjust it:
/// reading at <see cref="WordsPerMinute"/> words a minute (technical text read closely), plus
/// <see cref="MinutesPerCodeCell"/> to read, run and look at each code cell, plus
/// <see cref="MinutesPerExercise"/> for each exercise check the notebook calls; rounded up to 5 minutes.
/// </summary>
public static partial class LearnerTime
{
    public const int WordsPerMinute = 120;
    public const double MinutesPerCodeCell = 1.0;
    public const int MinutesPerExercise = 5;

    /// <summary>What the estimate is made of.</summary>
    public sealed record Estimate(string Notebook, int Words, int CodeCells, int Exercises, int Minutes);

    public static Estimate For(NotebookDocument notebook)
    {
        ArgumentNullException.ThrowIfNull(notebook);
        int words = notebook.Cells.Where(c => c.Kind == "markdown").Sum(c => Word().Count(c.Source));
        int code = notebook.Cells.Count(c => c.Kind == "code");
        int exercises = notebook.Cells.Where(c => c.Kind == "code").Sum(c => ExerciseCall().Count(c.Source));
        double minutes = (double)words / WordsPerMinute + code * MinutesPerCodeCell + exercises * MinutesPerExercise;
        return new Estimate(notebook.Stem, words, code, exercises, (int)Math.Ceiling(minutes / 5) * 5);
    }

    [GeneratedRegex(@"\w+")]
    private static partial Regex Word();

    // A check call such as Exercises02.MovRax60.Check(...): one per exercise.
    [GeneratedRegex(@"\bExercises\d+\.\w+\.Check\s*\(")]
    private static partial Regex ExerciseCall();
}
