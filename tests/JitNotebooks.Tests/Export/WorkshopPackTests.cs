using System.Reflection;
using JitNotebooks.Exercises;
using JitNotebooks.Export.Notebooks;
using JitNotebooks.Export.Workshop;
using JitNotebooks.Tests.Assets;
using JitNotebooks.Tests.Runner;

namespace JitNotebooks.Tests.Export;

/// <summary>
/// The committed workshop pack equals what the library generates. After a change to the library
/// or the notebooks, regenerate every generated asset with <see cref="AssetFiles.UpdateCommand"/>
/// and review the diff.
/// </summary>
public class WorkshopPackTests
{

    private static void AssertFileIs(string relativePath, string expected)
    {
        string path = Path.Combine(RunnerHarness.RepoRoot, relativePath);
        if (AssetFiles.Updating) File.WriteAllText(path, expected);
        string committed = File.ReadAllText(path);
        Assert.True(committed == expected,
            $"{relativePath} differs from what the library generates. Run `{AssetFiles.UpdateCommand}` and commit the result.");
    }

    [Fact]
    public void GeneratedAsset_cheat_sheet_is_the_generators_output() =>
        AssertFileIs(CheatSheet.RelativePath, CheatSheet.ToMarkdown());

    [Fact]
    public void The_cheat_sheet_quotes_the_library()
    {
        string md = CheatSheet.ToMarkdown();
        Assert.Contains("| rax | rdi | rsi | rdx | r10 | r8 | r9 | rax | rcx, r11 |", md);
        Assert.Contains(Listing.Disassemble(HelloWorldProgram.Packed()).ToText().TrimEnd(), md);
        Assert.Contains("| REX | `48` | 0100 W=1 R=0 X=0 B=0: 64-bit operand |", md);
        Assert.Contains("| disp32 | `04 00 00 00` | 0x20 (target) − 0x1c (next instruction) = 4 |", md);
        Assert.Contains("| ModRM | `35` | mod=00 reg=110 (rsi) rm=101 (rip+disp32) |", md);
        Assert.Contains("| argument 4 | rcx | r10 |", md);
        Assert.Contains("`mprotect` (syscall 10) to PROT_READ\\|PROT_EXEC (5): `r-xp`", md);
    }

    [Fact]
    public void GeneratedAsset_instructor_guide_has_its_generated_regions_up_to_date()
    {
        string path = Path.Combine(RunnerHarness.RepoRoot, InstructorGuide.RelativePath);
        var notebooks = ExportTestSupport.CourseNotebooks.Select(NotebookDocument.Load).ToList();
        AssertFileIs(InstructorGuide.RelativePath, InstructorGuide.Update(File.ReadAllText(path), notebooks));
    }

    [Fact]
    public void The_guide_refuses_a_text_without_its_regions()
    {
        var e = Assert.Throws<ArgumentException>(() => InstructorGuide.Update("# no regions\n", []));
        Assert.Contains("generated region \"times\"", e.Message);
    }

    [Fact]
    public void The_solutions_key_lists_every_exercise_once_with_the_answer_its_check_accepts()
    {
        Assert.Equal(ExerciseCatalog.All.Select(e => e.Name), SolutionsKey.All.Select(s => s.Check));
        foreach (var (solution, exercise) in SolutionsKey.All.Zip(ExerciseCatalog.All))
        {
            Assert.Equal(exercise.SolutionCode, solution.Answer);
            Assert.False(string.IsNullOrWhiteSpace(solution.Why), $"{solution.Check} has no explanation");
        }
    }

    [Fact]
    public void Learner_time_follows_the_stated_rule()
    {
        var nb = NotebookDocument.Parse("""
            {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
              {"cell_type": "markdown", "metadata": {}, "source": "one two three four five six"},
              {"cell_type": "code", "metadata": {}, "outputs": [], "source": "var r = Exercises02.MovRax60.Check(answer);\nExercises02.MovR9MinusOne.Check(x); Exercises08.Targets.Count()"},
              {"cell_type": "code", "metadata": {}, "outputs": [], "source": "1"}]}
            """, "t.ipynb");
        var e = LearnerTime.For(nb);
        Assert.Equal((6, 2, 2), (e.Words, e.CodeCells, e.Exercises));
        // 6/120 + 2 x 1 + 2 x 5 = 12.05 minutes, rounded up to 15
        Assert.Equal(15, e.Minutes);
    }
}
