using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using JitNotebooks.Runner.Notebooks;
using JitNotebooks.Export.Notebooks;

namespace JitNotebooks.Tests.Course;

/// <summary>
/// nbval's approach: outputs are compared after masking what truly varies, with the reviewed rules
/// in sanitize.cfg (nbval's file format). An output whose every text sanitizes to nothing is dropped.
/// </summary>
public sealed class OutputSanitizer
{
    private readonly IReadOnlyList<(string Name, Regex Pattern, string Replacement)> _rules;

    public OutputSanitizer(IReadOnlyList<(string Name, Regex Pattern, string Replacement)> rules) => _rules = rules;

    public IReadOnlyList<string> RuleNames => _rules.Select(r => r.Name).ToList();

    /// <summary>The course's rules, from tests/JitNotebooks.Tests/Course/sanitize.cfg.</summary>
    public static OutputSanitizer Course { get; } = Parse(File.ReadAllText(
        Path.Combine(Runner.RunnerHarness.RepoRoot, "tests", "JitNotebooks.Tests", "Course", "sanitize.cfg")));

    /// <summary>Reads nbval's format: [section], then "regex: …" and "replace: …"; # starts a comment.</summary>
    /// <exception cref="FormatException">A section lacks its regex, or a regex does not compile.</exception>
    public static OutputSanitizer Parse(string text)
    {
        var rules = new List<(string, Regex, string)>();
        string? section = null, regex = null, replace = null;
        foreach (var raw in text.Split('\n').Append("[end]"))
        {
            var line = raw.TrimEnd('\r');
            if (line.TrimStart().StartsWith('#') || line.Trim().Length == 0) continue;
            if (line.StartsWith('['))
            {
                if (section is not null)
                {
                    if (regex is null) throw new FormatException($"sanitize rule [{section}] has no \"regex:\" line");
                    try { rules.Add((section, new Regex(regex, RegexOptions.CultureInvariant), replace ?? "")); }
                    catch (ArgumentException e) { throw new FormatException($"sanitize rule [{section}]: {e.Message}"); }
                }
                (section, regex, replace) = (line.Trim('[', ']', ' '), null, null);
            }
            else if (line.StartsWith("regex:")) regex = line["regex:".Length..].Trim();
            else if (line.StartsWith("replace:")) replace = line["replace:".Length..].Trim();
            else throw new FormatException($"sanitize.cfg: cannot read the line \"{line}\"");
        }
        return new OutputSanitizer(rules);
    }

    public string Apply(string text) => _rules.Aggregate(text, (t, r) => r.Pattern.Replace(t, r.Replacement));

    /// <summary>
    /// A cell's outputs as comparable lines: type, stream name, each MIME type's sanitized text, an
    /// error's name and value. Metadata and tracebacks (the value already holds the exception) are left out.
    /// </summary>
    public IReadOnlyList<string> Normalize(IEnumerable<JsonObject> outputs, bool ignoreExecutionCount = false)
    {
        var result = new List<string>();
        foreach (var output in outputs)
        {
            var type = NotebookDocument.OutputType(output);
            var parts = new List<string>();
            switch (type)
            {
                case "stream":
                    if (Apply(NotebookDocument.MultilineText(output["text"])) is { Length: > 0 } streamText) parts.Add($"{output["name"]}: {streamText}");
                    break;
                case "display_data" or "execute_result":
                    foreach (var (mime, value) in (output["data"] as JsonObject ?? []).OrderBy(p => p.Key, StringComparer.Ordinal))
                        if (Apply(NotebookDocument.MultilineText(value)) is { Length: > 0 } text) parts.Add($"{mime}: {text}");
                    if (type == "execute_result" && !ignoreExecutionCount && parts.Count > 0) parts.Add($"execution_count: {output["execution_count"]}");
                    break;
                case "error":
                    parts.Add($"{output["ename"]}: {Apply(output["evalue"]?.ToString() ?? "")}");
                    break;
            }
            if (parts.Count > 0) result.Add(type + " | " + string.Join(" | ", parts));
        }
        return result;
    }

    /// <summary>Where two cells' outputs differ after sanitizing, in words; null when they agree.</summary>
    public string? Difference(IEnumerable<JsonObject> expected, IEnumerable<JsonObject> actual, bool ignoreExecutionCount = false)
    {
        var e = Normalize(expected, ignoreExecutionCount);
        var a = Normalize(actual, ignoreExecutionCount);
        for (int i = 0; i < Math.Max(e.Count, a.Count); i++)
        {
            if (i >= e.Count) return $"output {i + 1} is extra: {Clip(a[i])}";
            if (i >= a.Count) return $"output {i + 1} is missing: {Clip(e[i])}";
            if (e[i] != a[i]) return $"output {i + 1} differs at character {FirstDifference(e[i], a[i])}:\n    expected: {Around(e[i], a[i])}\n    actual:   {Around(a[i], e[i])}";
        }
        return null;
    }

    private static int FirstDifference(string x, string y)
    {
        int i = 0;
        while (i < x.Length && i < y.Length && x[i] == y[i]) i++;
        return i;
    }

    private static string Around(string text, string other)
    {
        int at = FirstDifference(text, other);
        int start = Math.Max(0, at - 60);
        return Clip(text[start..Math.Min(text.Length, at + 100)]);
    }

    private static string Clip(string text) => text.Length <= 240 ? text.Replace("\n", "⏎") : text[..240].Replace("\n", "⏎") + "…";
}
