using System.Text.RegularExpressions;
using JitNotebooks.Export;
using JitNotebooks.Export.Notebooks;
using JitNotebooks.Export.Site;
using JitNotebooks.Tests.Runner;

namespace JitNotebooks.Tests.Export;

/// <summary>The site's HTML, read as text (the browser tests load it for real).</summary>
public class SiteExportTests
{
    private static async Task<(RunnerHarness.TempFolder Temp, SiteExport Site)> ExportFixtureAsync()
    {
        var temp = ExportTestSupport.CopyFixtureCourse();
        var site = await SiteExporter.ExportAsync(temp.Notebooks(), Path.Combine(temp.Course(), "README.md"), Path.Combine(temp.Path, "site"));
        return (temp, site);
    }

    private static string Read(SiteExport site, string page) => File.ReadAllText(Path.Combine(site.Folder, page));

    [Fact]
    public async Task Writes_an_index_a_page_per_notebook_the_workshop_pack_and_a_print_page()
    {
        var (temp, site) = await ExportFixtureAsync();
        using var _ = temp;
        Assert.Equal(["01-first.html", "02-second.html"], site.NotebookPages.Select(Path.GetFileName));
        Assert.Equal(["cheatsheet.html", "instructor-guide.html"], site.WorkshopPages.Select(Path.GetFileName));
        Assert.True(File.Exists(site.Index) && File.Exists(site.PrintPage));
        Assert.True(File.Exists(Path.Combine(site.Folder, "site.css")));
    }

    [Fact]
    public async Task Carries_plotly_js_once_as_a_local_file_taken_from_the_Plotly_NET_package()
    {
        var (temp, site) = await ExportFixtureAsync();
        using var _ = temp;
        string plotly = File.ReadAllText(Path.Combine(site.Folder, "plotly.min.js"));
        Assert.StartsWith("/**\n* plotly.js v" + PlotlyJs.Version, plotly);
        Assert.Equal(PlotlyJs.Text, plotly);
        Assert.Single(Directory.GetFiles(site.Folder, "*.js"));
        foreach (var page in site.NotebookPages.Append(site.PrintPage))
        {
            string html = File.ReadAllText(page);
            Assert.Contains("<script src=\"plotly.min.js\"></script>", html);
            Assert.DoesNotContain("cdn.plot.ly/plotly", Regex.Replace(html, "<script>.*?</script>", "", RegexOptions.Singleline)); // only the chart script's fallback names the CDN
            Assert.Single(Regex.Matches(html, "<link rel=\"stylesheet\" href=\"site.css\">"));
        }
    }

    [Fact]
    public async Task The_index_is_built_from_the_readme_tables_with_links_to_the_pages()
    {
        var (temp, site) = await ExportFixtureAsync();
        using var _ = temp;
        string index = Read(site, "index.html");
        Assert.Contains("<td>01</td><td><a href=\"01-first.html\">First fixture</a></td><td>streams, an HTML table, a <strong>chart</strong>, a PNG, an error</td>", index);
        Assert.Contains("<a href=\"02-second.html\">Second fixture</a>", index);
        Assert.Contains("Not exported <span class=\"note\">(not in this export)</span>", index);
        Assert.Matches(@"<td class=""time"">~\d+ min</td>", index);
        // the errata table, with its notebook numbers linked
        Assert.Contains("<td><code>0xcc</code> is a no-op</td><td><code>0xcc</code> is <code>int3</code></td><td><a href=\"01-first.html\">01</a></td>", index);
        Assert.Contains("<a href=\"01-first.html\">01</a>, <a href=\"02-second.html\">02</a>", index);
        Assert.Contains("<h1>Fixture course</h1>", index);                    // the README's title
        Assert.Contains("A small course for the exporter's tests", index); // and its introduction
        Assert.Contains("<a href=\"cheatsheet.html\">Cheat sheet</a>", index);
        Assert.Contains("<a href=\"instructor-guide.html\">Instructor&#39;s guide</a>", index);
    }

    [Fact]
    public async Task A_notebook_page_has_markdown_coloured_code_every_output_and_prev_next_links()
    {
        var (temp, site) = await ExportFixtureAsync();
        using var _ = temp;
        string page = Read(site, "01-first.html");
        Assert.Contains("<h1 id=\"first-fixture\">01 — First fixture</h1>", page);
        Assert.Contains("<a href=\"02-second.html\">the second notebook</a>", page);        // .ipynb → .html
        Assert.Contains("<a href=\"index.html\">README</a>", page);                        // ../README.md → index
        Assert.Contains("<code class=\"language-csharp\"><span class=\"keyword\">var</span> x = <span class=\"number\">1</span>; <span class=\"comment\">// a fenced C# block</span></code>", page);                 // fenced C#, coloured
        Assert.Contains("<span class=\"prompt\">[2]</span><pre class=\"code\"><code class=\"language-csharp\">Console.WriteLine(<span class=\"string\">&quot;Hello World!&quot;</span>);", page); // code cell, coloured
        Assert.Contains("<pre class=\"output stream stdout\">Hello World!\nsecond line</pre>", page); // streams merged
        Assert.Contains("<pre class=\"output stream stderr\">a warning</pre>", page);
        Assert.Contains("<table>\n<thead><tr><th>Register</th><th>Role</th></tr></thead>", page); // the TextTable's HTML
        Assert.Contains("class=\"jitnb-chart\"", page);
        Assert.Matches("<img src=\"data:image/png;base64,iVBORw0KGgo[^\"]+\" alt=\"a gradient \\(png\\)\">", page);
        // the error: one readable line, the stack trace folded
        Assert.Contains("<p class=\"error-line\"><strong>Error:</strong> System.DivideByZeroException: Attempted to divide by zero.</p><details>", page);
        // the kernel's connection probe is not part of the lesson and must not run offline
        Assert.DoesNotContain("dotnet-interactive-this-cell", page);
        Assert.DoesNotContain("localhost:1000", page);
        Assert.Contains("rel=\"next\" href=\"02-second.html\"", page);
        Assert.Contains("rel=\"prev\" href=\"01-first.html\"", Read(site, "02-second.html"));
    }

    [Fact]
    public async Task Images_are_copied_into_the_site_and_attachments_inlined()
    {
        var (temp, site) = await ExportFixtureAsync();
        using var _ = temp;
        Assert.Contains("<img src=\"media/pipeline.svg\" alt=\"The pipeline\" />", Read(site, "01-first.html"));
        Assert.Equal(File.ReadAllBytes(Path.Combine(temp.Course(), "assets", "diagrams", "pipeline.svg")), File.ReadAllBytes(Path.Combine(site.Folder, "media", "pipeline.svg")));
        string second = Read(site, "02-second.html");
        Assert.Contains("<img src=\"data:image/png;base64,iVBOR", second);                 // attachment:dot.png
        Assert.Contains("<img src=\"data:image/svg+xml;base64,", second);
        Assert.Contains("<img src=\"data:image/jpeg;base64,/9j/", second);
        Assert.Contains("<a href=\"01-first.html#a-chart\">the first notebook</a>", second); // anchor kept
        Assert.Contains("<pre class=\"cell raw\">raw text stays as text</pre>", second);
    }

    [Fact]
    public async Task The_print_page_holds_the_index_every_notebook_and_the_workshop_pack_in_order()
    {
        var (temp, site) = await ExportFixtureAsync();
        using var _ = temp;
        string print = File.ReadAllText(site.PrintPage);
        string[] parts = ["class=\"contents\"", "id=\"01-first\"", "id=\"02-second\"", "<article class=\"cheatsheet\">", "<article class=\"guide\">"]
;
        int[] at = parts.Select(s => print.IndexOf(s, StringComparison.Ordinal)).ToArray();
        Assert.All(at, i => Assert.True(i >= 0));
        Assert.Equal(at.Order(), at);
    }

    [Fact]
    public async Task Exporting_again_replaces_the_old_site_and_drops_pages_no_longer_exported()
    {
        var (temp, site) = await ExportFixtureAsync();
        using var _ = temp;
        await SiteExporter.ExportAsync([temp.Notebooks()[0]], Path.Combine(temp.Course(), "README.md"), site.Folder);
        Assert.False(File.Exists(Path.Combine(site.Folder, "02-second.html")));
        Assert.True(File.Exists(Path.Combine(site.Folder, "01-first.html")));
    }

    [Fact]
    public async Task Refuses_to_write_into_a_folder_holding_other_files_and_leaves_them_alone()
    {
        using var temp = ExportTestSupport.CopyFixtureCourse();
        string folder = Path.Combine(temp.Path, "mine");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "notes.html"), "mine");
        var e = await Assert.ThrowsAsync<SiteExportException>(() =>
            SiteExporter.ExportAsync(temp.Notebooks(), Path.Combine(temp.Course(), "README.md"), folder));
        Assert.Contains("not an exported site", e.Message);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(folder, "notes.html")));
        Assert.Single(Directory.GetFileSystemEntries(folder));
    }

    [Fact]
    public async Task Bad_inputs_get_a_typed_exception_that_names_the_problem()
    {
        using var temp = ExportTestSupport.CopyFixtureCourse();
        string readme = Path.Combine(temp.Course(), "README.md"), outDir = Path.Combine(temp.Path, "out");
        var nbs = temp.Notebooks();

        Assert.Contains("No notebooks", (await Assert.ThrowsAsync<SiteExportException>(() => SiteExporter.ExportAsync(Array.Empty<string>(), readme, outDir))).Message);
        Assert.Contains("both become 01-first.html", (await Assert.ThrowsAsync<SiteExportException>(() => SiteExporter.ExportAsync([nbs[0], nbs[0]], readme, outDir))).Message);
        Assert.Contains("does not exist", (await Assert.ThrowsAsync<SiteExportException>(() => SiteExporter.ExportAsync(nbs, readme + ".missing", outDir))).Message);

        File.WriteAllText(readme, "# A README without tables\n");
        Assert.Contains("no notebooks table", (await Assert.ThrowsAsync<SiteExportException>(() => SiteExporter.ExportAsync(nbs, readme, outDir))).Message);

        File.Copy(ExportTestSupport.FixtureReadme, readme, overwrite: true);
        File.Delete(Path.Combine(temp.Course(), "assets", "diagrams", "pipeline.svg"));
        var missing = await Assert.ThrowsAsync<SiteExportException>(() => SiteExporter.ExportAsync(nbs, readme, outDir));
        Assert.Contains("01-first.ipynb, cell 0: the image '../assets/diagrams/pipeline.svg' does not exist", missing.Message);

        File.WriteAllText(nbs[1], """{"nbformat": 3}""");
        await Assert.ThrowsAsync<NotebookFormatException>(() => SiteExporter.ExportAsync(nbs, readme, outDir));
    }
}
