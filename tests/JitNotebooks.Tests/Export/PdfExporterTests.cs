using JitNotebooks.Export;
using JitNotebooks.Export.Pdf;
using JitNotebooks.Export.Site;
using UglyToad.PdfPig;

namespace JitNotebooks.Tests.Export;

/// <summary>The site and the cheat sheet printed by headless Chromium, read back with PdfPig.</summary>
public class PdfExporterTests : IAsyncLifetime
{
    public Task InitializeAsync() => JitNotebooks.Tests.Tools.RequiredTools.EnsureChromiumAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    // PdfPig's Page.Text runs words together; its word extraction keeps them apart.
    private static string Words(UglyToad.PdfPig.Content.Page page) => string.Join(" ", page.GetWords().Select(w => w.Text));

    [Fact]
    public async Task The_whole_site_prints_to_one_pdf_with_every_notebook_its_charts_and_the_workshop_pack()
    {
        using var temp = ExportTestSupport.CopyFixtureCourse();
        var site = await SiteExporter.ExportAsync(temp.Notebooks(), Path.Combine(temp.Course(), "README.md"), Path.Combine(temp.Path, "site"));
        string pdf = Path.Combine(temp.Path, "out", "course.pdf");
        await PdfExporter.PrintAsync(site.Folder, pdf);

        using var document = PdfDocument.Open(pdf);
        string text = string.Join("\n", document.GetPages().Select(Words));
        Assert.True(document.NumberOfPages >= 5, $"{document.NumberOfPages} pages");
        foreach (var expected in new[] { "First fixture", "Second fixture", "JitNotebooks — cheat sheet", "JitNotebooks — instructor's guide",
                                         "Bytes per instruction", "Time per call" }) // the last two: chart titles, drawn by plotly.js as SVG text
            Assert.Contains(expected, text);
        // Each notebook starts a page (the print stylesheet breaks before top headings).
        Assert.Contains(document.GetPages(), p => Words(p).StartsWith("02 — Second fixture", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_cheat_sheet_prints_on_one_A4_page()
    {
        using var temp = ExportTestSupport.CopyFixtureCourse();
        var site = await SiteExporter.ExportAsync(temp.Notebooks(), Path.Combine(temp.Course(), "README.md"), Path.Combine(temp.Path, "site"));
        string pdf = Path.Combine(temp.Path, "cheatsheet.pdf");
        await PdfExporter.PrintPageAsync(site.WorkshopPages.Single(p => p.EndsWith("cheatsheet.html", StringComparison.Ordinal)), pdf, pageNumbers: false);

        using var document = PdfDocument.Open(pdf);
        Assert.Equal(1, document.NumberOfPages);
        var page = document.GetPage(1);
        Assert.Equal((595, 842), ((int)Math.Round(page.Width), (int)Math.Round(page.Height))); // A4 in points
        Assert.Contains("r-xp", Words(page));
        Assert.Contains("W^X", Words(page));
    }

    [Fact]
    public async Task Printing_a_folder_that_is_not_a_site_is_refused()
    {
        using var temp = new Runner.RunnerHarness.TempFolder();
        var e = await Assert.ThrowsAsync<SiteExportException>(() => PdfExporter.PrintAsync(temp.Path, Path.Combine(temp.Path, "x.pdf")));
        Assert.Contains("no print.html", e.Message);
        Assert.False(File.Exists(Path.Combine(temp.Path, "x.pdf")));
    }
}
