using JitNotebooks.Tests.Runner;
using JitNotebooks.Runner.Notebooks;

namespace JitNotebooks.Tests.Course;

/// <summary>
/// The course itself: every notebook in notebooks/ follows the format and runs cell by cell.
/// While notebooks/ is still empty, the fixture course stands in, so this test is never vacuous.
/// </summary>
public class CourseNotebooksTests
{
    private static string CourseFolder => Path.Combine(RunnerHarness.RepoRoot, "notebooks");

    public static TheoryData<string> CourseAndFixtureNotebooks()
    {
        var data = new TheoryData<string>();
        foreach (var folder in new[] { CourseFolder, RunnerHarness.Course })
            foreach (var path in Directory.GetFiles(folder, "*.ipynb").Order(StringComparer.Ordinal))
                data.Add(Path.GetRelativePath(RunnerHarness.RepoRoot, path));
        return data;
    }

    [Theory]
    [MemberData(nameof(CourseAndFixtureNotebooks))]
    public void Every_notebook_follows_the_format(string relativePath)
    {
        Assert.Empty(CourseNotebookFormat.Validate(Path.Combine(RunnerHarness.RepoRoot, relativePath)));
    }

    [Fact]
    public async Task The_course_runs_with_no_arguments_from_the_repository_root()
    {
        Assert.True(Directory.Exists(CourseFolder), "notebooks/ is missing");
        var (run, output) = await RunnerHarness.RunAsync([]);
        var expected = Directory.GetFiles(CourseFolder, "*.ipynb").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, run.Notebooks.Select(n => n.Path));
        // The first failing cell, with its notebook, cell number, line and error.
        Assert.True(run.Succeeded, run.Notebooks.SelectMany(n => n.Failures()).FirstOrDefault() + "\n" + output);
        // The article's end point: notebook 06's JIT'd code prints Hello World! into the run's output.
        var calling = output.IndexOf("06-calling-the-code.ipynb", StringComparison.Ordinal);
        Assert.True(calling >= 0, "notebook 06 did not run\n" + output);
        var next = output.IndexOf("07-functions-with-arguments.ipynb", calling, StringComparison.Ordinal);
        Assert.Contains("Hello World!", next < 0 ? output[calling..] : output[calling..next]);
    }

    [Fact]
    public async Task The_fixture_course_runs_from_its_own_folder_with_no_arguments()
    {
        // Stands in for the course while notebooks/ is empty: the runner finds notebooks/ above the current folder.
        var root = Directory.CreateTempSubdirectory("jitnotebooks-course-").FullName;
        try
        {
            var notebooks = Directory.CreateDirectory(Path.Combine(root, "notebooks")).FullName;
            foreach (var name in new[] { "01-kernel-basics.ipynb", "04-chart.ipynb" })
                File.Copy(Path.Combine(RunnerHarness.Course, name), Path.Combine(notebooks, name));
            var (run, output) = await RunnerHarness.RunAsync([], currentFolder: notebooks);
            Assert.Equal(2, run.Notebooks.Count);
            Assert.True(run.Succeeded, output);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
