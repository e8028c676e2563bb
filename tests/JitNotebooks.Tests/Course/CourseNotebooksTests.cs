using JitNotebooks.Runner.Host;
using JitNotebooks.Tests.Runner;

namespace JitNotebooks.Tests.Course;

/// <summary>The course as the runner runs it: every notebook green, the format kept, the terminal readable.</summary>
[Collection(CourseCollection.Name)]
public class CourseNotebooksTests(CourseRunFixture course)
{
    [Theory]
    [MemberData(nameof(CourseFiles.Names), MemberType = typeof(CourseFiles))]
    public void Every_notebook_follows_the_course_format(string name) =>
        Assert.Empty(CourseNotebookFormat.Validate(Path.Combine(CourseFiles.Folder, name)));

    [Fact]
    public void The_course_runs_green_with_no_arguments_from_the_repository_root()
    {
        Assert.Equal(CourseFiles.Notebooks, course.Run.Notebooks.Select(n => n.Path));
        // The first failing cell, with its notebook, cell number, line and error.
        Assert.True(course.Run.Succeeded, course.Run.Notebooks.SelectMany(n => n.Failures()).FirstOrDefault() + "\n" + course.Output);
    }

    [Fact]
    public void Notebook_06s_JIT_code_prints_Hello_World_in_the_runs_output()
    {
        var calling = course.Output.IndexOf("06-calling-the-code.ipynb", StringComparison.Ordinal);
        Assert.True(calling >= 0, "notebook 06 did not run\n" + course.Output);
        var next = course.Output.IndexOf("== ", calling, StringComparison.Ordinal);
        Assert.Contains("Hello World!", next < 0 ? course.Output[calling..] : course.Output[calling..next]);
    }

    [Fact]
    public void The_terminal_shows_every_table_as_text_and_never_a_placeholder()
    {
        Assert.DoesNotContain("(HTML content)", course.Output);
        Assert.DoesNotContain("<table", course.Output);
        Assert.DoesNotContain("<div", course.Output);
        // Notebook 01's syscall table, which its exercise 2 points at, reads as aligned columns.
        Assert.Matches(@"\n\s+Syscall #\s+Param 1\s+Param 2\s+Param 3", course.Output);
    }

    [Fact]
    public void A_chart_prints_a_one_line_summary_in_the_terminal()
    {
        Assert.Matches(@"\[chart: (stacked )?bars\] .+ — \d+ series \(", course.Output);
    }

    [Fact]
    public void No_cell_writes_around_the_kernel_or_shows_a_compiler_warning()
    {
        foreach (var cell in course.Run.Notebooks.SelectMany(n => n.Cells))
        {
            Assert.Null(cell.Outcome.Stray);
            Assert.DoesNotContain(cell.Outcome.Outputs, o => RunnerHarness.Text(o["text"]).Contains("warning CS"));
        }
    }
}
