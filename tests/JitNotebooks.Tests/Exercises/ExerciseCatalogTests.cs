using System.Text.RegularExpressions;
using JitNotebooks.Exercises;
using JitNotebooks.Tests.Assets;

namespace JitNotebooks.Tests.Exercises;

/// <summary>
/// What every exercise must do, checked on all of them: its solution is correct, its untouched
/// starting value is "not answered yet" and gives nothing away, a wrong answer gets the general
/// nudge, every mistake it recognises is recognised in its example, hints go up and stop politely.
/// Runs JIT'd code (06.1, 06.2), so it joins the serial fd-1 collection.
/// </summary>
[Collection(Fd1Collection.Name)]
public class ExerciseCatalogTests
{
    public static TheoryData<string> Ids()
    {
        var data = new TheoryData<string>();
        foreach (var e in ExerciseCatalog.All) data.Add(e.Id);
        return data;
    }

    private static IExerciseSamples Samples(string id) => (IExerciseSamples)ExerciseCatalog.Find(id);

    [Fact]
    public void Every_notebook_has_exercises_and_ids_are_unique_and_in_order()
    {
        var ids = ExerciseCatalog.All.Select(e => e.Id).ToList();
        Assert.Equal(ids.Distinct().Count(), ids.Count);
        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
        Assert.Equal(Enumerable.Range(0, 10).Select(n => $"{n:00}"), ids.Select(i => i[..2]).Distinct());
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void The_solution_is_correct(string id)
    {
        var result = Samples(id).CheckSolution();
        Assert.True(result.IsCorrect, result.ToText());
        Assert.StartsWith($"✅ {id} correct: ", result.ToText());
        Assert.Null(result.Diagnosis);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void The_untouched_cell_says_what_to_do_and_reveals_neither_answer_nor_method(string id)
    {
        var e = Samples(id);
        var result = e.CheckUntouched();
        Assert.Equal(ExerciseStatus.NotAnswered, result.Status);
        Assert.StartsWith($"⏳ {id} not answered yet: ", result.ToText());
        Assert.Equal(e.WhatToDo, result.Message);
        AssertNoSpoiler(e, result.Message);
        AssertNoSpoiler(e, e.Hint(1).Text); // the first hint is a nudge, not the answer
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void A_wrong_answer_gets_the_general_nudge_and_a_pointer_to_the_hints(string id)
    {
        var e = Samples(id);
        var result = e.CheckWrongExample();
        Assert.Equal(ExerciseStatus.NotYet, result.Status);
        Assert.Null(result.Diagnosis);
        Assert.Contains($"{e.Name}.Hint()", result.ToText());
        AssertNoSpoiler(e, result.Message);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Every_recognised_mistake_is_recognised_in_its_example(string id)
    {
        foreach (var (mistake, result) in Samples(id).CheckMistakeExamples())
        {
            Assert.True(result.Status == ExerciseStatus.NotYet, $"{id} {mistake}: {result.ToText()}");
            Assert.Equal(mistake, result.Diagnosis);
            Assert.False(string.IsNullOrWhiteSpace(result.Message));
        }
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Hints_go_from_a_nudge_up_and_then_point_at_the_solution(string id)
    {
        var e = ExerciseCatalog.Find(id);
        Assert.True(e.HintCount >= 2, $"{id} has {e.HintCount} hints");
        Assert.Equal(e.Hint(), e.Hint(1), HintComparer.Instance);
        Assert.Equal($"💡 {id} hint 2 of {e.HintCount}: {e.Hint(2).Text}", e.Hint(2).ToText());
        var beyond = e.Hint(e.HintCount + 1);
        Assert.Contains("Solution block", beyond.Text);
        Assert.Throws<ArgumentOutOfRangeException>(() => e.Hint(0));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void The_worked_solution_is_folded_and_holds_the_tested_answer(string id)
    {
        var e = Samples(id);
        Assert.StartsWith("<details><summary>Solution</summary>\n\n", e.SolutionDetails);
        Assert.EndsWith("</details>", e.SolutionDetails);
        Assert.Contains(e.SolutionDeclaration, e.WorkedSolution);
        Assert.Contains($"{e.Name}.Check(", e.WorkedSolution);
        Assert.StartsWith(e.Starter, e.StarterCode);
        Assert.EndsWith(")", e.StarterCode);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Results_and_hints_show_as_one_line_of_text_and_html(string id)
    {
        var e = Samples(id);
        foreach (var result in new[] { e.CheckSolution(), e.CheckUntouched(), e.CheckWrongExample() })
        {
            Assert.DoesNotContain('\n', result.ToText());
            Assert.StartsWith("<div class=\"jitnb-exercise\"", result.ToHtml());
            Assert.Contains(System.Net.WebUtility.HtmlEncode(result.Message), result.ToHtml());
        }
        Assert.StartsWith("<div class=\"jitnb-hint\"", e.Hint(1).ToHtml());
    }

    [Fact]
    public void A_check_that_throws_inside_becomes_not_yet_naming_the_exception()
    {
        var exercise = new Exercise<int?>(new ExerciseSpec<int?>
        {
            Id = "99.1", Name = "Test.Throws", Title = "t", Prompt = "p", Starter = "int? x = null;", Arguments = "x",
            UntouchedValue = null, IsUntouched = a => a is null, WhatToDo = "w",
            Judge = a => throw new ImmediateOutOfRangeException("value", a!.Value, "too big for an imm32"),
            Hints = ["h1", "h2"], Explanation = "e", Solution = 1, Declare = a => $"int? x = {a};", WrongExample = 2,
        });
        var result = exercise.Check(5);
        Assert.Equal(ExerciseStatus.NotYet, result.Status);
        Assert.Equal("raised", result.Diagnosis);
        Assert.Contains(nameof(ImmediateOutOfRangeException), result.Message);
        Assert.Contains("too big for an imm32", result.Message);
    }

    [Fact]
    public void GeneratedAsset_catalog_is_committed_unchanged()
    {
        string path = Path.Combine(Runner.RunnerHarness.RepoRoot, "assets", "exercises.md");
        string generated = ExerciseCatalog.ToMarkdown();
        if (AssetFiles.Updating)
            File.WriteAllText(path, generated);
        Assert.True(File.Exists(path), $"{path} is missing: run `{AssetFiles.UpdateCommand}`.");
        Assert.True(File.ReadAllText(path) == generated,
            $"assets/exercises.md differs from ExerciseCatalog.ToMarkdown(): run `{AssetFiles.UpdateCommand}` and commit it.");
    }

    /// <summary>The answer must not appear in the text: the number as a word, the bytes, the register, the string.</summary>
    private static void AssertNoSpoiler(IExerciseSamples e, string text)
    {
        switch (e.SolutionObject)
        {
            case int n:
                Assert.DoesNotMatch($@"(?<![\w.]){Regex.Escape(n.ToString())}(?![\w.])", text);
                break;
            case long n:
                Assert.DoesNotMatch($@"(?<![\w.]){Regex.Escape(Math.Abs(n).ToString())}(?![\w.])", text);
                break;
            case byte[] bytes:
                Assert.DoesNotContain(Hex.Of(bytes), text);
                break;
            case ushort[] words:
                Assert.DoesNotContain(string.Join(", ", words.Select(w => $"0x{w:x4}")), text, StringComparison.OrdinalIgnoreCase);
                break;
            case Reg64 reg:
                Assert.DoesNotMatch($@"\b{reg.IntelName()}\b", text);
                break;
            case string s:
                Assert.DoesNotContain(s, text);
                break;
            case ValueTuple<string, int> (_, var count):
                // 06.1: the text to print is part of the question; the answer to find is the count.
                Assert.DoesNotMatch($@"\b{count}\b", text);
                break;
            default:
                Assert.Fail($"{e.Id}: no spoiler rule for {e.SolutionObject?.GetType().Name}");
                break;
        }
    }

    private sealed class HintComparer : IEqualityComparer<ExerciseHint>
    {
        public static readonly HintComparer Instance = new();
        public bool Equals(ExerciseHint? x, ExerciseHint? y) => x?.ToText() == y?.ToText();
        public int GetHashCode(ExerciseHint obj) => obj.ToText().GetHashCode();
    }
}
