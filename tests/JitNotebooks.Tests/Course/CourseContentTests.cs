using System.Text.Json.Nodes;

using JitNotebooks.Tests.Runner;

namespace JitNotebooks.Tests.Course;

/// <summary>
/// What every course notebook must contain (issue: "Every notebook"), checked on the files as
/// committed. Running them is CourseNotebooksTests' job.
/// </summary>
public class CourseContentTests
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
    ];

    private static string Folder => Path.Combine(RunnerHarness.RepoRoot, "notebooks");

    public static TheoryData<string> Notebooks()
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.GetFiles(Folder, "*.ipynb").Order(StringComparer.Ordinal))
            data.Add(Path.GetFileName(path));
        return data;
    }

    private static JsonArray Cells(string file) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, file)))!["cells"]!.AsArray();

    private static string Source(JsonNode cell) => cell["source"] switch
    {
        JsonArray lines => string.Concat(lines.Select(l => (string)l!)),
        JsonNode text => (string)text!,
        null => "",
    };

    private static IEnumerable<string> Sources(string file, string type) =>
        Cells(file).Where(c => (string)c!["cell_type"]! == type).Select(c => Source(c!));

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
    [MemberData(nameof(Notebooks))]
    public void Each_notebook_has_its_title_goals_checks_exercises_and_navigation(string file)
    {
        var index = Array.FindIndex(Course, c => c.File == file);
        Assert.True(index >= 0, $"{file} is not in the course list");
        var markdown = Sources(file, "markdown").ToList();
        var code = Sources(file, "code").ToList();

        Assert.StartsWith($"# {file[..2]} — {Course[index].Title}", markdown[0]);
        Assert.Contains(markdown, m => m.Contains("What you will learn", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(code, c => c.Contains("#r \"../artifacts/bin/JitNotebooks/debug/JitNotebooks.dll\""));
        if (index > 0)
        {
            Assert.Contains(code, c => c.Contains("#r \"nuget: Iced, 1.22.0\""));
            Assert.Contains(code, c => c.Contains("Iced", StringComparison.Ordinal) && !c.Contains("#r"));
            Assert.Contains(markdown, m => m.Contains("<details>") && m.Contains("</details>"));
            Assert.Contains(code, c => c.Contains("Exercises" + file[..2] + "."));
        }

        var last = markdown[^1];
        if (index > 0) Assert.Contains($"]({Course[index - 1].File})", last);
        if (index < Course.Length - 1) Assert.Contains($"]({Course[index + 1].File})", last);
        else Assert.Contains("](../README.md)", last);
    }
}
