using JitNotebooks.Tests.Runner;

namespace JitNotebooks.Tests.Course;

/// <summary>
/// The course runs everywhere .NET runs: with --emulate (as on a machine that is not Linux x86-64)
/// every notebook is green and shows what the native run shows, apart from what truly varies
/// (addresses, timings) and the sentence saying which mode runs the bytes.
/// </summary>
[Collection(CourseCollection.Name)]
public class EmulationAgreementTests(CourseRunFixture native, EmulatedCourseFixture emulated)
{
    [Fact]
    public void The_whole_course_runs_green_emulated()
    {
        Assert.True(emulated.Run.Succeeded, emulated.Run.Notebooks.SelectMany(n => n.Failures()).FirstOrDefault() + "\n" + emulated.Output);
        Assert.Contains("x86-64 emulator", emulated.Output); // it really was emulated
    }

    [Theory]
    [MemberData(nameof(CourseFiles.Names), MemberType = typeof(CourseFiles))]
    public void Native_and_emulated_runs_show_the_same_outputs_cell_by_cell(string name)
    {
        var emulatedRun = emulated.Run.Notebook(name);
        foreach (var cell in native.Notebook(name).Cells)
        {
            var other = emulatedRun.Cells.Single(c => c.Cell.Index == cell.Cell.Index);
            var difference = OutputSanitizer.Course.Difference(cell.Outcome.Outputs, other.Outcome.Outputs);
            Assert.True(difference is null, $"{name}: cell {cell.Cell.Number}: the emulated run differs from the native run: {difference}");
        }
    }
}
