using System.IO.Compression;
using JitNotebooks.Runner.Host;
using JitNotebooks.Runner.Notebooks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace JitNotebooks.Tests.Runner;

/// <summary>
/// Notebooks as people have them (variants/, written by make_fixtures.py): every shape the kernel
/// accepts runs; cells of kernels the runner does not host are skipped one line each. Where the
/// fixture carries the real kernel's outputs, <see cref="RealKernelAgreementTests"/> also compares them.
/// </summary>
[Collection(FixtureCollection.Name)]
public class VariantTests(FixtureRun fixtures)
{
    private NotebookRun Variant(string name) => fixtures.Notebook(name);

    private static IEnumerable<CellStatus> Statuses(NotebookRun run) => run.Cells.Select(c => c.Status);

    [Fact]
    public void There_are_at_least_fifteen_variants() =>
        Assert.True(Directory.GetFiles(Path.Combine(RunnerHarness.Fixtures, "variants"), "*.ipynb").Length >= 15);

    [Fact]
    public void A_VS_Code_save_without_languageName_runs()
    {
        var run = Variant("01-vscode-polyglot.ipynb");
        Assert.Equal([CellStatus.Ok, CellStatus.Ok], Statuses(run));
        Assert.All(run.Cells, c => Assert.Null(c.Cell.Id));
        Assert.Equal("1, 4, 9, 16, 25\n", run.Cell(3).Stdout());
    }

    [Fact]
    public void Cells_of_other_kernels_are_skipped_one_line_each_and_html_and_value_cells_run()
    {
        var run = Variant("02-vscode-languages.ipynb");
        Assert.Equal([CellStatus.Ok, .. Enumerable.Repeat(CellStatus.Skipped, 5), CellStatus.Ok, CellStatus.Ok, CellStatus.Ok], Statuses(run));
        Assert.Equal(["fsharp", "pwsh", "javascript", "sql", "mermaid"], run.Cells.Where(c => c.Status == CellStatus.Skipped).Select(c => c.Cell.KernelName));
        Assert.Equal("<b>bold from an HTML cell</b>", RunnerHarness.Html(Assert.Single(run.Cell(8).OfType("display_data"))));
        Assert.Equal("after the other kernels: 42\n", run.Cell(10).Stdout());
        Assert.True(run.Succeeded);
        var report = fixtures.Output[fixtures.Output.IndexOf("02-vscode-languages.ipynb", StringComparison.Ordinal)..];
        report = report[..report.IndexOf("\n==", StringComparison.Ordinal)];
        foreach (var kernel in new[] { "fsharp", "pwsh", "javascript", "sql", "mermaid" })
            Assert.Single(report.Split('\n'), l => l.Contains($"skipped: a {kernel} cell: this runner hosts the csharp, html, value, markdown kernels"));
    }

    [Fact]
    public async Task With_strict_a_skipped_cell_fails_the_run()
    {
        var (exit, stdout, _) = await RunnerHarness.RunCliAsync("--strict", RunnerHarness.Variant("02-vscode-languages.ipynb"));
        Assert.Equal(1, exit);
        Assert.Contains("02-vscode-languages.ipynb: cell 3: skipped (--strict): a fsharp cell", stdout);
        Assert.Contains("02-vscode-languages.ipynb: cell 7: skipped (--strict): a mermaid cell", stdout);
        Assert.Contains("FAILED (5):", stdout);
    }

    [Fact]
    public void A_csharp_notebooks_lesson_declares_a_class_and_uses_it()
    {
        var run = Variant("03-csharp-notebooks.ipynb");
        Assert.Equal([CellStatus.Ok, CellStatus.Ok, CellStatus.Ok], Statuses(run));
        Assert.Equal("Earth is 1 AU from the sun\nMars is 1.52 AU from the sun\n", run.Cell(4).Stdout());
    }

    [Fact]
    public void Magic_commands_choose_the_kernel_and_values_cross_kernels()
    {
        var run = Variant("04-interactive-samples.ipynb");
        Assert.All(run.Cells, c => Assert.Equal(CellStatus.Ok, c.Status));
        Assert.Equal(["csharp", "csharp", "csharp", "value", "csharp", "html"], run.Cells.Select(c => c.Cell.KernelName));
        Assert.Equal("KERNELS SHARE THIS NOTEBOOK", RunnerHarness.Plain(Assert.Single(run.Cell(3).OfType("execute_result"))));
        Assert.Equal("Hello from the value kernel", RunnerHarness.Plain(Assert.Single(run.Cell(6).OfType("execute_result"))));
    }

    [Theory]
    [InlineData("05-jupyter-kernelspec-only.ipynb")]
    [InlineData("06-cell-metadata-only.ipynb")]
    [InlineData("07-nbformat-4.0-strings.ipynb")]
    [InlineData("08-nbformat-4.5-strings.ipynb")]
    [InlineData("16-windows-crlf.ipynb")]
    public void Minimal_metadata_old_minors_string_sources_and_crlf_all_run_as_csharp(string name)
    {
        var run = Variant(name);
        Assert.NotEmpty(run.Cells);
        Assert.All(run.Cells, c => Assert.Equal((CellStatus.Ok, "csharp"), (c.Status, c.Cell.KernelName)));
    }

    [Fact]
    public void String_sources_and_missing_ids_are_read()
    {
        Assert.Equal("2017\n", Variant("07-nbformat-4.0-strings.ipynb").Cell(2).Stdout());
        var strings = Variant("08-nbformat-4.5-strings.ipynb");
        Assert.Equal("with-id", strings.Cell(2).Cell.Id);
        Assert.Null(strings.Cell(3).Cell.Id);
        Assert.Equal("koobeton", RunnerHarness.Plain(Assert.Single(strings.Cell(3).OfType("execute_result"))));
        Assert.Equal("one\ntwo\n", Variant("16-windows-crlf.ipynb").Cell(2).Stdout());
    }

    [Fact]
    public void Fsharp_and_powershell_cells_chosen_by_their_first_line_are_skipped()
    {
        var run = Variant("09-magic-selected.ipynb");
        Assert.Equal([CellStatus.Ok, CellStatus.Skipped, CellStatus.Skipped, CellStatus.Ok], Statuses(run));
        Assert.Equal("back in C#: 7\n", run.Cell(5).Stdout());
    }

    [Fact]
    public void In_an_fsharp_notebook_only_the_csharp_cells_run()
    {
        var run = Variant("10-fsharp-default.ipynb");
        Assert.Equal([CellStatus.Skipped, CellStatus.Ok, CellStatus.Ok, CellStatus.Skipped], Statuses(run));
        Assert.Equal("C# in an F# notebook\n", run.Cell(3).Stdout());
        Assert.Equal("fsharp", run.Cell(5).Cell.KernelName);
    }

    [Fact]
    public void Html_and_json_values_are_outputs_of_their_kind()
    {
        var run = Variant("11-html-and-value.ipynb");
        Assert.All(run.Cells, c => Assert.Equal(CellStatus.Ok, c.Status));
        Assert.Contains("<h3>Table of contents</h3>", RunnerHarness.Html(Assert.Single(run.Cell(1).OfType("display_data"))));
        Assert.Contains("<pre>6</pre>", RunnerHarness.Html(Assert.Single(run.Cell(3).OfType("execute_result"))));
        // As the tool's front end stores it: a JSON object, not a string holding JSON.
        var json = Assert.Single(run.Cell(4).OfType("display_data"))["data"]!["application/json"]!;
        Assert.Equal(3, json["depth"]!.GetValue<int>());
    }

    [Fact]
    public void Markdown_raw_and_empty_cells_never_run()
    {
        var run = Variant("12-markdown-raw-empty.ipynb");
        Assert.Equal([CellStatus.NotRun, CellStatus.NotRun, CellStatus.Ok], Statuses(run));
        Assert.Equal(1, run.Cell("runs").Outcome.ExecutionCount);
        Assert.True(run.Succeeded);
    }

    [Fact]
    public void Time_and_markdown_magics_work_as_in_the_kernel()
    {
        var run = Variant("13-time-and-markdown.ipynb");
        var time = Assert.Single(run.Cell(1).OfType("display_data"));
        Assert.Matches(@"^Wall time: \d+(\.\d+)?ms$", RunnerHarness.Plain(time));
        Assert.Equal("timed\n", run.Cell(1).Stdout());
        var markdown = Assert.Single(run.Cell(2).OfType("display_data"));
        Assert.Contains("<h1 id=\"rendered-by-the-kernel\">Rendered by the kernel</h1>", RunnerHarness.Html(markdown));
        Assert.Contains("<em>markdown</em>", RunnerHarness.Html(markdown));
    }

    [Fact]
    public void A_python_notebook_is_refused_naming_its_kernel_and_left_unchanged()
    {
        var run = Variant("15-python.ipynb");
        Assert.Empty(run.Cells);
        Assert.Contains("its kernelspec is \"python3\", not a .NET Interactive kernel", run.Refusal);
        Assert.Contains("the file was left untouched", run.Refusal);
        Assert.False(run.Succeeded);
    }

    [Fact]
    public void Who_lists_the_variables()
    {
        var run = Variant("17-who-and-json.ipynb");
        var who = RunnerHarness.Html(Assert.Single(run.Cell(2).OfType("display_data")));
        Assert.Contains("alpha", who);
        Assert.Contains("beta", who);
    }

    [Fact]
    public void A_powershell_notebook_skips_every_cell_naming_the_kernel()
    {
        var run = Variant("18-powershell-default.ipynb");
        Assert.Equal([CellStatus.Skipped, CellStatus.Skipped], Statuses(run));
        Assert.All(run.Cells, c => Assert.StartsWith("a pwsh cell", c.Outcome.Failure));
    }

    [Fact]
    public void A_cell_that_reads_stdin_gets_end_of_input_as_in_the_kernel()
    {
        var reads = Variant("19-stdin.ipynb").Cell("reads");
        Assert.Equal("end of input\n", reads.Stdout());
        Assert.Contains("<pre>-1</pre>", RunnerHarness.Html(Assert.Single(reads.OfType("execute_result"))));
    }

    [Fact]
    public async Task A_package_from_a_local_folder_named_with_hash_i_installs_and_loads()
    {
        using var temp = new RunnerHarness.TempFolder();
        var feed = Directory.CreateDirectory(temp.File("feed")).FullName;
        WriteGreeterPackage(Path.Combine(feed, "LocalGreeter.1.0.0.nupkg"));
        var notebook = temp.File("14-local-nuget-source.ipynb");
        File.WriteAllText(notebook, File.ReadAllText(RunnerHarness.Variant("14-local-nuget-source.ipynb")).Replace("FEED_FOLDER", feed));
        // A package cache of its own: the package is really restored from the feed, never found in ~/.nuget.
        var cache = temp.File("packages");
        var (exit, stdout, _) = await RunnerHarness.RunCliAsync([notebook], new() { ["NUGET_PACKAGES"] = cache });
        Assert.True(exit == 0, stdout);
        Assert.Contains($"Restore sources\n        -  {feed}", stdout);
        Assert.Contains("Installed Packages\n        - LocalGreeter, 1.0.0", stdout);
        Assert.Contains("Hello, local feed, from a package in a folder", stdout);
        Assert.True(Directory.Exists(Path.Combine(cache, "localgreeter", "1.0.0")));
        // The package's kernel extension, a script, loaded by the tool's own extension loader as in VS Code and Jupyter.
        Assert.Contains($"Loading extension script from `{Path.Combine(cache, "localgreeter", "1.0.0", "interactive-extensions", "dotnet", "extension.dib")}`", stdout);
        Assert.Contains("LocalGreeter's extension ran in the notebook's kernel", stdout);
    }

    /// <summary>A real NuGet package: a small assembly compiled here, a kernel extension script, its nuspec, zipped.</summary>
    private static void WriteGreeterPackage(string path)
    {
        var source = """
            namespace LocalGreeter;
            public class Greeter { public string Hello(string who) => $"Hello, {who}, from a package in a folder"; }
            """;
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p) is "System.Runtime.dll" or "System.Private.CoreLib.dll")
            .Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create("LocalGreeter", [CSharpSyntaxTree.ParseText(source)], references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        using (var dll = zip.CreateEntry("lib/net8.0/LocalGreeter.dll").Open())
        {
            var emitted = compilation.Emit(dll);
            Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        }
        using (var extension = new StreamWriter(zip.CreateEntry("interactive-extensions/dotnet/extension.dib").Open()))
            extension.Write("#!csharp\n\ndisplay(\"LocalGreeter's extension ran in the notebook's kernel\");\n");
        using var nuspec = new StreamWriter(zip.CreateEntry("LocalGreeter.nuspec").Open());
        nuspec.Write("""
            <?xml version="1.0" encoding="utf-8"?>
            <package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">
              <metadata>
                <id>LocalGreeter</id>
                <version>1.0.0</version>
                <authors>JitNotebooks tests</authors>
                <description>A package served from a local folder.</description>
              </metadata>
            </package>
            """);
    }
}
