using JitNotebooks.Export.Browser;
using JitNotebooks.Export.Workshop;
using JitNotebooks.Tests.Runner;

namespace JitNotebooks.Tests.Export;

/// <summary>Paths and helpers the export tests share.</summary>
internal static class ExportTestSupport
{
    public static string FixtureCourse => Path.Combine(RunnerHarness.RepoRoot, "tests", "JitNotebooks.Tests", "Export", "Fixtures", "course");
    public static string FixtureReadme => Path.Combine(FixtureCourse, "README.md");
    public static IReadOnlyList<string> FixtureNotebooks =>
        [Path.Combine(FixtureCourse, "notebooks", "01-first.ipynb"), Path.Combine(FixtureCourse, "notebooks", "02-second.ipynb")];

    /// <summary>The course's own notebooks, in order.</summary>
    public static IReadOnlyList<string> CourseNotebooks =>
        Directory.GetFiles(Path.Combine(RunnerHarness.RepoRoot, "notebooks"), "*.ipynb").Order(StringComparer.Ordinal).ToList();

    public static string CourseReadme => Path.Combine(RunnerHarness.RepoRoot, "README.md");

    /// <summary>Where the browser tests save their screenshots (artifacts/ is not committed).</summary>
    public static string ScreenshotFolder => Path.Combine(RunnerHarness.RepoRoot, "artifacts", "test-screenshots");

    /// <summary>
    /// The fixture course copied to a temp folder, with the repository's real workshop pack in its
    /// assets/, so one export covers fixture notebooks and the real cheat sheet and guide.
    /// </summary>
    public static RunnerHarness.TempFolder CopyFixtureCourse()
    {
        var temp = new RunnerHarness.TempFolder();
        CopyDirectory(FixtureCourse, Path.Combine(temp.Path, "course"));
        foreach (var file in new[] { CheatSheet.RelativePath, InstructorGuide.RelativePath })
            File.Copy(Path.Combine(RunnerHarness.RepoRoot, file), Path.Combine(temp.Path, "course", file));
        return temp;
    }

    public static string Course(this RunnerHarness.TempFolder temp) => Path.Combine(temp.Path, "course");

    public static IReadOnlyList<string> Notebooks(this RunnerHarness.TempFolder temp) =>
        FixtureNotebooks.Select(n => Path.Combine(temp.Course(), "notebooks", Path.GetFileName(n))).ToList();

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (var dir in Directory.GetDirectories(from)) CopyDirectory(dir, Path.Combine(to, Path.GetFileName(dir)));
    }
}

/// <summary>One headless Chromium for a whole test class.</summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    public HeadlessChromium Chromium { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await JitNotebooks.Tests.Tools.RequiredTools.EnsureChromiumAsync();
        Chromium = await HeadlessChromium.LaunchAsync();
    }

    public async Task DisposeAsync() => await Chromium.DisposeAsync();
}
