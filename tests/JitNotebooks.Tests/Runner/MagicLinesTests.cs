using System.Xml.Linq;
using JitNotebooks.Runner.Host;
using JitNotebooks.Runner.Kernel;

namespace JitNotebooks.Tests.Runner;

public class MagicLinesTests
{
    private static string Folder => RunnerHarness.Course;

    [Fact]
    public void Magic_lines_become_blank_lines_so_compiler_line_numbers_match_the_cell()
    {
        var prepared = MagicLines.Prepare("#!csharp\n#r \"nuget: Iced, 1.22.0\"\nvar x = 1;\n#nullable enable", Folder);
        Assert.Equal("\n\nvar x = 1;\n#nullable enable", prepared.Code);
        Assert.Equal(["Iced"], prepared.Packages);
        Assert.Equal(typeof(Iced.Intel.Decoder).Assembly.GetName().Name + ".dll", Path.GetFileName(Assert.Single(prepared.AssemblyPaths)));
    }

    [Fact]
    public void A_relative_dll_path_resolves_against_the_notebook_folder()
    {
        var dll = Path.Combine(RunnerHarness.RepoRoot, "artifacts", "bin", "JitNotebooks", "debug", "JitNotebooks.dll");
        var prepared = MagicLines.Prepare("#r \"../../../../../artifacts/bin/JitNotebooks/debug/JitNotebooks.dll\"", Folder);
        Assert.Equal(Path.GetFullPath(dll), Assert.Single(prepared.AssemblyPaths));
    }

    [Theory]
    [InlineData("#!fsharp", "unknown magic command #!fsharp")]
    [InlineData("#!time", "unknown magic command #!time")]
    [InlineData("#i \"nuget: https://example.invalid/feed\"", "cannot honour")]
    [InlineData("#load \"other.csx\"", "cannot honour")]
    [InlineData("#r \"nuget: Iced\"", "write #r \"nuget: Iced, 1.22.0\"")]
    [InlineData("#r \"nuget: xunit, 2.9.3\"", "does not ship it")]
    public void Other_magics_are_errors_naming_the_line(string line, string message)
    {
        var e = Assert.Throws<MagicLineException>(() => MagicLines.Prepare("var a = 1;\n" + line, Folder));
        Assert.Contains(message, e.Message);
        Assert.Equal(2, e.Line);
    }

    [Fact]
    public void The_pinned_versions_are_the_repositorys_Directory_Packages_props()
    {
        var onDisk = XDocument.Load(Path.Combine(RunnerHarness.RepoRoot, "Directory.Packages.props"))
            .Descendants("PackageVersion").ToDictionary(e => (string)e.Attribute("Include")!, e => (string)e.Attribute("Version")!);
        Assert.Equal(onDisk.OrderBy(p => p.Key), PinnedPackages.Versions.OrderBy(p => p.Key));
    }

    [Theory]
    [InlineData(new string[0], false, 60)]
    [InlineData(new[] { "--write", "a.ipynb", "--timeout", "2.5" }, true, 2.5)]
    [InlineData(new[] { "--timeout=7", "folder" }, false, 7)]
    public void Options_parse(string[] args, bool write, double seconds)
    {
        var options = RunnerOptions.Parse(args);
        Assert.Equal(write, options.Write);
        Assert.Equal(TimeSpan.FromSeconds(seconds), options.CellTimeout);
    }
}
