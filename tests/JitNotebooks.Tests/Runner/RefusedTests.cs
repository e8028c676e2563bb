using System.Security.Cryptography;
using JitNotebooks.Runner.Notebooks;

namespace JitNotebooks.Tests.Runner;

/// <summary>What is not a .NET notebook is refused with a reason and left exactly as it was.</summary>
public class RefusedTests
{
    [Theory]
    [InlineData("not-json.ipynb", "it is not JSON (")]
    [InlineData("package-json.ipynb", "it is not an nbformat 4 notebook (nbformat is missing)")]
    [InlineData("empty.ipynb", "it is not JSON (")]
    [InlineData("binary.ipynb", "it is not UTF-8 text, so it is not a Jupyter notebook")]
    [InlineData("nbformat-3.ipynb", "it is not an nbformat 4 notebook (nbformat is 3)")]
    [InlineData("cells-not-a-list.ipynb", "it has no \"cells\" array, so it is not a Jupyter notebook")]
    [InlineData("polyglot.dib", "it is not JSON (")]
    public void Each_is_refused_with_its_reason(string name, string reason)
    {
        var e = Assert.Throws<NotebookRefusedException>(() => NotebookFile.Load(RunnerHarness.Refused(name)));
        Assert.StartsWith(reason, e.Message);
    }

    [Fact]
    public async Task With_write_every_one_is_reported_the_run_fails_and_no_byte_changes()
    {
        using var temp = RunnerHarness.CopyToTemp(Directory.GetFiles(Path.Combine(RunnerHarness.Fixtures, "refused")));
        File.Copy(RunnerHarness.Variant("15-python.ipynb"), temp.File("python.ipynb"));
        var files = Directory.GetFiles(temp.Path).Order(StringComparer.Ordinal).ToArray();
        var before = files.Select(f => (File.GetLastWriteTimeUtc(f), SHA256.HashData(File.ReadAllBytes(f)))).ToList();
        var (exit, stdout, _) = await RunnerHarness.RunCliAsync(["--write", .. files], null);
        Assert.Equal(1, exit);
        foreach (var file in files)
            Assert.Contains($"{Path.GetFileName(file)}: refused: ", stdout);
        Assert.Equal(files.Length, stdout.Split('\n').Count(l => l.StartsWith("  REFUSED: ") && l.EndsWith("; the file was left untouched")));
        Assert.Equal(before, files.Select(f => (File.GetLastWriteTimeUtc(f), SHA256.HashData(File.ReadAllBytes(f)))));
        Assert.Equal(files, Directory.GetFiles(temp.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_folder_is_searched_for_ipynb_files_only()
    {
        var (run, _) = await RunnerHarness.RunAsync([Path.Combine(RunnerHarness.Fixtures, "refused")]);
        Assert.Equal(6, run.Notebooks.Count);
        Assert.DoesNotContain(run.Notebooks, n => n.Path.EndsWith(".dib", StringComparison.Ordinal));
        Assert.All(run.Notebooks, n => Assert.NotNull(n.Refusal));
    }
}
