using System.Text;
using System.Text.RegularExpressions;
using JitNotebooks.Export.Notebooks;

namespace JitNotebooks.Export.Workshop;

/// <summary>
/// The instructor's guide (assets/instructor-guide.md) is prose written by hand, with two
/// regions generated from the course: the time per notebook (from the notebooks themselves, see
/// <see cref="LearnerTime"/>) and the solutions key (<see cref="SolutionsKey"/>). A test keeps the
/// committed file equal to <see cref="Update"/> of itself.
/// </summary>
public static partial class InstructorGuide
{
    /// <summary>Where the guide lives, relative to the repository root.</summary>
    public const string RelativePath = "assets/instructor-guide.md";

    /// <summary>The regions <see cref="Update"/> fills, by name.</summary>
    public static readonly string[] Regions = ["times", "solutions"];

    /// <summary>The guide with its generated regions rewritten from these notebooks and the solutions key.</summary>
    /// <exception cref="ArgumentException">A region's markers are missing.</exception>
    public static string Update(string guide, IReadOnlyList<NotebookDocument> notebooks)
    {
        ArgumentNullException.ThrowIfNull(guide);
        ArgumentNullException.ThrowIfNull(notebooks);
        foreach (var name in Regions)
        {
            var region = new Regex($"(<!-- generated: {name} [^>]*-->\n)(.*?)(<!-- end generated -->)", RegexOptions.Singleline);
            if (!region.IsMatch(guide))
                throw new ArgumentException(
                    $"The guide has no generated region \"{name}\": put `<!-- generated: {name} (…) -->` and `<!-- end generated -->` on their own lines where it goes.", nameof(guide));
            string content = name == "times" ? TimesTable(notebooks) : SolutionsKey.ToMarkdown();
            guide = region.Replace(guide, m => m.Groups[1].Value + "\n" + content + "\n" + m.Groups[3].Value, 1);
        }
        return guide;
    }

    /// <summary>Per notebook: words, code cells, exercises, and the estimate in minutes; then the total.</summary>
    public static string TimesTable(IReadOnlyList<NotebookDocument> notebooks)
    {
        var estimates = notebooks.Select(LearnerTime.For).ToList();
        var rows = estimates.Select((e, i) => (IReadOnlyList<string>)[
            notebooks[i].Title, e.Words.ToString(), e.CodeCells.ToString(), e.Exercises.ToString(), $"{e.Minutes} min"]).ToList();
        int total = estimates.Sum(e => e.Minutes);
        rows.Add(["**all notebooks**", estimates.Sum(e => e.Words).ToString(), estimates.Sum(e => e.CodeCells).ToString(),
            estimates.Sum(e => e.Exercises).ToString(), $"**{total} min ({total / 60} h {total % 60:00})**"]);
        return MarkdownTable.From(["notebook", "words", "code cells", "exercises", "learner time"], rows);
    }
}
