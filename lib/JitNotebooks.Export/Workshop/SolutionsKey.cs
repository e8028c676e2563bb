using JitNotebooks.Exercises;

namespace JitNotebooks.Export.Workshop;

/// <summary>One exercise's answer, as the instructor's guide prints it.</summary>
/// <param name="Notebook">The notebook's number: <c>02</c>.</param>
/// <param name="Check">The exercise as a cell names it: <c>Exercises02.MovRax60</c>.</param>
/// <param name="Answer">The answer, as a learner would type it in C#.</param>
/// <param name="Why">How to get there, in one line.</param>
public sealed record Solution(string Notebook, string Check, string Answer, string Why);

/// <summary>
/// The solutions key of the instructor's guide, read from the exercises themselves
/// (<see cref="ExerciseCatalog"/>): the answer each check accepts, so the key cannot drift from them.
/// </summary>
public static class SolutionsKey
{
    public static IReadOnlyList<Solution> All { get; } = ExerciseCatalog.All
        .Select(e => new Solution(e.Id[..2], e.Name, e.SolutionCode, FirstSentence(e.Explanation)))
        .ToList();

    /// <summary>The key as a markdown table: notebook, check, answer, why.</summary>
    public static string ToMarkdown() =>
        MarkdownTable.From(["notebook", "check", "answer", "how"],
            All.Select(s => (IReadOnlyList<string>)[s.Notebook, MarkdownTable.Code(s.Check), MarkdownTable.Code(s.Answer), s.Why]));

    // The explanation's first sentence, on one line: a table cell holds no paragraphs.
    private static string FirstSentence(string markdown)
    {
        var text = string.Join(" ", markdown.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        int end = text.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? text : text[..(end + 1)];
    }
}
