using System.Diagnostics;
using System.Text.Json.Nodes;
using JitNotebooks.Runner.Host;
using JitNotebooks.Tests.Runner;

namespace JitNotebooks.Tests.Emulation;

/// <summary>
/// JITNOTEBOOKS_EMULATE=1, end to end: a notebook run by the runner's command line in a process
/// with the variable set says it is emulated, prints the note once, and gets the same Hello World!
/// and /proc/self/maps permissions, the latter marked [emulated].
/// </summary>
public class EmulateVariableTests
{
    [Fact]
    public async Task The_variable_switches_a_whole_process_to_the_emulator()
    {
        using var folder = new RunnerHarness.TempFolder();
        string dll = typeof(ExecutableMemory).Assembly.Location;
        string[] cells =
        [
            $"#r \"nuget: Iced, 1.22.0\"\n#r \"{dll}\"\nusing JitNotebooks;",
            "Console.WriteLine($\"mode: {NativePlatform.Mode}\");",
            "using (var m = ExecutableMemory.Create(HelloWorldProgram.Packed())) { Console.WriteLine(m.RunCapturingStdout().Text); Console.WriteLine(m.ReadMapsEntry()!.Permissions + \" \" + m.ReadMapsEntry()!.Path); }",
            "using (var m = ExecutableMemory.Create(HelloWorldProgram.Packed())) Console.WriteLine(m.RunCapturingStdout().Text);",
        ];
        // A fixture notebook in the course's format, its cells replaced by these.
        var notebook = JsonNode.Parse(File.ReadAllText(RunnerHarness.Kernel("basics.ipynb")))!.AsObject();
        var template = notebook["cells"]!.AsArray().First(c => c!["cell_type"]!.ToString() == "code")!;
        notebook["cells"] = new JsonArray(cells.Select((source, i) =>
        {
            var cell = template.DeepClone().AsObject();
            cell["id"] = $"c{i}";
            cell["source"] = source;
            cell["outputs"] = new JsonArray();
            return (JsonNode)cell;
        }).ToArray());
        string path = Path.Combine(folder.Path, "emulated.ipynb");
        File.WriteAllText(path, notebook.ToJsonString());

        var dllPath = typeof(CourseRunner).Assembly.Location;
        var info = new ProcessStartInfo(Path.ChangeExtension(dllPath, null)) { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(path);
        info.Environment[NativePlatform.EmulateVariable] = "1";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        string output = await stdout;
        Assert.True(process.ExitCode == 0, output + await stderr);
        Assert.Contains("mode: Emulated", output);
        Assert.Contains("Note: JITNOTEBOOKS_EMULATE=1 is in effect", output);
        Assert.Equal(1, output.Split("Note: JITNOTEBOOKS_EMULATE=1").Length - 1); // once per process
        Assert.Equal(2, output.Split("Hello World!").Length - 1);
        Assert.Contains("r-xp [emulated]", output);
    }
}
