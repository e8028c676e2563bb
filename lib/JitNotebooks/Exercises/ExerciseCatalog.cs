using System.Text;

namespace JitNotebooks.Exercises;

/// <summary>
/// Every exercise of the course, in notebook order, and the catalog written from them
/// (<c>assets/exercises.md</c>): prompt, starting cell, hints, recognised mistakes and the worked
/// solution in its <c>&lt;details&gt;</c> block, ready to paste into a notebook.
/// </summary>
public static class ExerciseCatalog
{
    /// <summary>All exercises, 00.1 first.</summary>
    public static IReadOnlyList<IExercise> All { get; } =
    [
        Exercises00.CodeLength, Exercises00.BytesPrinted,
        Exercises01.CountRegister, Exercises01.ExitSyscallNumber, Exercises01.FourthArgumentRegister,
        Exercises02.MovRax60, Exercises02.MovR9MinusOne, Exercises02.BytesSavedPerMov, Exercises02.Return42,
        Exercises03.DisplacementWithOneFiller, Exercises03.BackwardJmpDisplacement,
        Exercises04.PackOddProgram, Exercises04.LittleEndianWordsOfTail,
        Exercises05.PagesFor5000Bytes, Exercises05.PermissionsAfterMakeExecutable,
        Exercises06.PrintsTarget, Exercises06.RunReturn42,
        Exercises07.BackwardJumpDisplacement, Exercises07.Add3,
        Exercises08.TargetExpression, Exercises08.ParseErrorPosition, Exercises08.DoubleWithoutImul,
        Exercises09.QuotientBeforeCorrection,
    ];

    /// <summary>The exercise with this id (<c>02.1</c>).</summary>
    /// <exception cref="ArgumentException">No exercise has that id.</exception>
    public static IExercise Find(string id) =>
        All.FirstOrDefault(e => e.Id == id)
        ?? throw new ArgumentException($"There is no exercise {id}; the ids run from {All[0].Id} to {All[^1].Id}.", nameof(id));

    /// <summary>The catalog as markdown: what the rewrite pastes into the notebooks.</summary>
    public static string ToMarkdown()
    {
        var md = new StringBuilder();
        md.Append("# The exercises, as the notebooks use them\n\n")
          .Append("Generated from `lib/JitNotebooks/Exercises/` by `ExerciseCatalog.ToMarkdown()`; a test keeps this file equal to it.\n")
          .Append("For each exercise: the question, the code cell a learner starts from, the hints (`Name.Hint()`, `Name.Hint(2)`),\n")
          .Append("the mistakes the check recognises, and the worked solution to paste under the exercise.\n");
        foreach (var notebook in All.GroupBy(e => e.Id[..2]))
        {
            md.Append($"\n## Notebook {notebook.Key}\n");
            foreach (var e in notebook)
            {
                md.Append($"\n### {e.Id} — {e.Title}\n\n")
                  .Append(e.Prompt).Append("\n\n")
                  .Append("```csharp\n").Append(e.StarterCode).Append("\n```\n\n")
                  .Append("Hints:\n");
                for (int level = 1; level <= e.HintCount; level++)
                    md.Append($"{level}. `{e.Name}.Hint({(level == 1 ? "" : level)})`: {e.Hint(level).Text}\n");
                md.Append("\nRecognised mistakes: ")
                  .Append(e.Diagnoses.Count == 0 ? "none" : string.Join("; ", e.Diagnoses.Select(d => $"`{d.Id}` ({d.Description})")))
                  .Append(".\n\n")
                  .Append(e.SolutionDetails).Append('\n');
            }
        }
        return md.ToString();
    }
}
