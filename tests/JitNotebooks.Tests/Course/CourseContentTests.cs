using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using JitNotebooks.Exercises;
using JitNotebooks.Tests.Runner;
using JitNotebooks.Export.Notebooks;

namespace JitNotebooks.Tests.Course;

/// <summary>
/// What every lesson must contain, and what none may, checked on the files as committed. Running
/// them is CourseNotebooksTests' (runner) and RealKernelTests' (the kernel learners run) job.
/// </summary>
public partial class CourseContentTests
{
    /// <summary>The course in reading order: file name and title. The README's table lists the same.</summary>
    public static readonly (string File, string Title)[] Course =
    [
        ("00-what-is-a-jit.ipynb", "What a JIT does, and how to run this course"),
        ("01-syscall-registers.ipynb", "The write syscall and its registers"),
        ("02-encoding-mov.ipynb", "Encoding mov $imm32 by hand"),
        ("03-lea-placeholder-and-patch.ipynb", "The placeholder lea and its patch"),
        ("04-packing-into-words.ipynb", "Packing the program into 16-bit words"),
        ("05-executable-memory.ipynb", "Executable memory: mmap, mprotect and W^X"),
        ("06-calling-the-code.ipynb", "Calling the bytes: Hello World!"),
        ("07-functions-with-arguments.ipynb", "Functions that take arguments and return values"),
        ("08-a-tiny-jit-compiler.ipynb", "A tiny JIT compiler, measured against RyuJIT"),
        ("09-making-the-jit-fast.ipynb", "Making the tiny JIT fast"),
    ];

    /// <summary>Notebooks that step through their machine code with the emulator's trace (issue 9).</summary>
    private static readonly string[] Traced = ["03", "06", "07", "08"];

    private static string Folder => CourseFiles.Folder;

    private static JsonArray Cells(string file) => CourseFiles.Cells(file);

    private static string Source(JsonNode cell) => NotebookDocument.MultilineText(cell["source"]);

    private static List<string> Sources(string file, string type) =>
        Cells(file).Where(c => (string)c!["cell_type"]! == type).Select(c => Source(c!)).ToList();

    private static int Index(string file)
    {
        var index = Array.FindIndex(Course, c => c.File == file);
        Assert.True(index >= 0, $"{file} is not in the course list");
        return index;
    }

    [Fact]
    public void The_notebooks_folder_holds_exactly_the_course_in_order()
    {
        var files = Directory.GetFiles(Folder, "*.ipynb").Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(Course.Select(c => c.File), files);
    }

    [Fact]
    public void The_readme_lists_every_notebook_with_a_link()
    {
        var readme = File.ReadAllText(Path.Combine(RunnerHarness.RepoRoot, "README.md"));
        foreach (var (file, title) in Course)
            Assert.Contains($"[{title}](notebooks/{file})", readme);
    }

    [Theory]
    [MemberData(nameof(CourseFiles.Names), MemberType = typeof(CourseFiles))]
    public void Each_notebook_opens_with_its_title_time_and_goals_and_loads_the_library(string file)
    {
        var index = Index(file);
        var markdown = Sources(file, "markdown");
        var code = Sources(file, "code");
        Assert.StartsWith($"# {file[..2]} — {Course[index].Title}", markdown[0]);
        var time = TimeLine().Match(markdown[0]);
        Assert.True(time.Success, $"{file}: the first cell must state the expected time, e.g. \"*About 25 minutes.*\"");
        Assert.InRange(int.Parse(time.Groups[1].Value), 5, 30);
        Assert.Contains("What you will learn", markdown[0], StringComparison.OrdinalIgnoreCase);
        Assert.Contains("#r \"../artifacts/bin/JitNotebooks/debug/JitNotebooks.dll\"", code[0]);
    }

    [Theory]
    [MemberData(nameof(CourseFiles.Names), MemberType = typeof(CourseFiles))]
    public void Each_notebook_checks_its_bytes_with_Iced_through_one_line_per_idea(string file)
    {
        if (file.StartsWith("00", StringComparison.Ordinal)) return; // 00 shows the whole program once; it still loads Iced
        var code = Sources(file, "code");
        Assert.Contains(code, c => c.Contains("#r \"nuget: Iced, 1.22.0\""));
        Assert.Contains(code, c => c.Contains("Verify.WithIced(") || c.Contains("Verify.SameAsIced("));
    }

    [Theory]
    [MemberData(nameof(CourseFiles.Names), MemberType = typeof(CourseFiles))]
    public void No_lesson_carries_harness_code_or_talk_of_the_machinery(string file)
    {
        foreach (var (code, i) in Sources(file, "code").Select((c, i) => (c, i)))
        {
            Assert.False(code.Contains("throw new Exception"), $"{file}: a code cell throws by hand; use a Verify line");
            Assert.False(ClassDeclaration().IsMatch(code), $"{file}: a code cell declares a class; helpers belong in the library");
            Assert.False(code.Contains("HTML("), $"{file}: HTML(...) makes the real kernel warn (CS1701); display the value itself");
            Assert.False(code.Contains("Plotly.NET"), $"{file}: Plotly.NET cannot load in the real kernel; use JitNotebooks.Charts.Chart");
            Assert.False(code.Contains("CanRunJitCode"), $"{file}: no platform guards around library calls: the library falls back to its emulator");
        }
        foreach (var cell in Cells(file).Select(c => c!.AsObject()))
            Assert.False(cell["metadata"]?["tags"] is JsonArray tags && tags.Any(t => (string?)t == "raises-exception"),
                $"{file}: a cell is tagged raises-exception; show refusals with Verify.Throws");
        var text = string.Join("\n", Sources(file, "markdown").Concat(Sources(file, "code")));
        foreach (var machinery in new[] { "raises-exception", "goes red", "our copy of the article", "xunit", "the test suite" })
            Assert.False(text.Contains(machinery, StringComparison.OrdinalIgnoreCase), $"{file} talks about the machinery: \"{machinery}\"");
    }

    [Theory]
    [MemberData(nameof(CourseFiles.Names), MemberType = typeof(CourseFiles))]
    public void Each_notebook_has_a_diagram_a_recap_further_reading_and_navigation(string file)
    {
        var index = Index(file);
        var markdown = Sources(file, "markdown");
        var all = string.Join("\n", markdown);
        var diagrams = DiagramLink().Matches(all).Select(m => m.Groups[1].Value).ToList();
        Assert.True(diagrams.Count > 0 || file.StartsWith("09", StringComparison.Ordinal) && all.Contains("<svg"), $"{file} has no diagram");
        foreach (var diagram in diagrams)
            Assert.True(File.Exists(Path.Combine(Folder, diagram)), $"{file} links {diagram}, which does not exist");
        Assert.Contains(markdown, m => m.TrimStart().StartsWith("## Recap", StringComparison.Ordinal));
        var reading = markdown.FirstOrDefault(m => m.TrimStart().StartsWith("## Further reading", StringComparison.Ordinal));
        Assert.True(reading is not null, $"{file} has no \"## Further reading\"");
        Assert.True(ExternalLink().Matches(reading!).Count >= 2, $"{file}: further reading needs at least two primary sources");

        var last = markdown[^1];
        if (index > 0) Assert.Contains($"]({Course[index - 1].File})", last);
        if (index < Course.Length - 1) Assert.Contains($"]({Course[index + 1].File})", last);
        Assert.Contains("](../README.md)", last);
    }

    [Theory]
    [MemberData(nameof(CourseFiles.Names), MemberType = typeof(CourseFiles))]
    public void Each_exercise_is_in_its_notebook_with_its_starting_cell_and_worked_solution(string file)
    {
        var exercises = ExerciseCatalog.All.Where(e => e.Id.StartsWith(file[..2], StringComparison.Ordinal)).ToList();
        if (file.StartsWith("09", StringComparison.Ordinal)) return; // notebook 09's exercises live in its own library class
        Assert.True(exercises.Count >= 2, $"{file} has fewer than two exercises in the catalog");
        var code = Sources(file, "code");
        var markdown = Sources(file, "markdown");
        foreach (var exercise in exercises)
        {
            Assert.True(code.Any(c => c.Trim() == exercise.StarterCode.Trim()), $"{file}: exercise {exercise.Id} must start from its StarterCode (assets/exercises.md)");
            Assert.True(markdown.Any(m => m.Contains(exercise.SolutionDetails.Trim(), StringComparison.Ordinal)), $"{file}: exercise {exercise.Id} needs its worked solution (SolutionDetails) in a markdown cell");
        }
    }

    [Theory]
    [InlineData("03"), InlineData("06"), InlineData("07"), InlineData("08")]
    public void The_notebooks_that_run_machine_code_step_through_it_with_a_trace(string number)
    {
        Assert.Contains(number, Traced);
        var file = Course.Single(c => c.File.StartsWith(number, StringComparison.Ordinal)).File;
        Assert.Contains(Sources(file, "code"), c => c.Contains("Emulator.Trace("));
    }

    [Fact]
    public void The_readmes_corrections_are_the_notebooks_corrections()
    {
        // Each notebook the README's errata table names makes a correction ("**Correction.**"), and each
        // notebook that makes one is named there.
        var readme = File.ReadAllText(Path.Combine(RunnerHarness.RepoRoot, "README.md"));
        var table = readme[readme.IndexOf("## Where the course corrects the article", StringComparison.Ordinal)..];
        table = table[..table.IndexOf("\n## ", 3, StringComparison.Ordinal)];
        var named = table.Split('\n').Where(l => l.StartsWith('|') && !l.Contains("---"))
            .Select(l => l.Trim().Trim('|').Split('|')[^1])
            .SelectMany(cell => TwoDigits().Matches(cell).Select(m => m.Value)).ToHashSet();
        var correcting = Course.Where(c => Sources(c.File, "markdown").Any(m => m.Contains("**Correction.**"))).Select(c => c.File[..2]).ToHashSet();
        Assert.NotEmpty(named);
        Assert.Equal(named.Order(), correcting.Order());
    }

    [GeneratedRegex(@"\*About (\d+) minutes\.\*")]
    private static partial Regex TimeLine();
    [GeneratedRegex(@"\b(class|struct|interface)\s+[A-Z]\w*\s*[:{(]")]
    private static partial Regex ClassDeclaration();
    [GeneratedRegex(@"!\[[^\]]*\]\((\.\./assets/diagrams/[^)]+\.svg)\)")]
    private static partial Regex DiagramLink();
    [GeneratedRegex(@"\]\(https?://")]
    private static partial Regex ExternalLink();
    [GeneratedRegex(@"\b\d\d\b")]
    private static partial Regex TwoDigits();
}
