using JitNotebooks.Export.Site;

namespace JitNotebooks.Tests.Export;

/// <summary>
/// Every exported page loaded in headless Chromium with the network off: no console or script
/// errors, every chart drawn (an svg in each chart container), every image loaded, no request
/// leaving file://, no dead link inside the site. Screenshots go to artifacts/test-screenshots/.
/// </summary>
public class SiteInBrowserTests(ChromiumFixture browser) : IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task Every_page_of_the_fixture_site_works_offline()
    {
        using var temp = ExportTestSupport.CopyFixtureCourse();
        var site = await SiteExporter.ExportAsync(temp.Notebooks(), Path.Combine(temp.Course(), "README.md"), Path.Combine(temp.Path, "site"));
        var reports = new List<PageReport>();
        foreach (var page in site.AllPages)
        {
            string? shot = Path.GetFileName(page) switch
            {
                "index.html" => Path.Combine(ExportTestSupport.ScreenshotFolder, "fixture-index.png"),
                "01-first.html" => Path.Combine(ExportTestSupport.ScreenshotFolder, "fixture-01-first.png"),
                "cheatsheet.html" => Path.Combine(ExportTestSupport.ScreenshotFolder, "cheatsheet.png"),
                _ => null,
            };
            reports.Add(await PageCheck.LoadAsync(browser.Chromium, page, shot));
        }
        Assert.All(reports, r => Assert.True(r.IsClean, r.ToString()));
        // The fixtures hold one chart each; print.html holds both.
        Assert.Equal([1, 1, 2], reports.Where(r => r.Charts > 0).Select(r => r.Charts));
        var first = reports.Single(r => r.Page.EndsWith("01-first.html", StringComparison.Ordinal));
        Assert.Equal(2, first.Images); // the copied SVG diagram and the PNG output
        var second = reports.Single(r => r.Page.EndsWith("02-second.html", StringComparison.Ordinal));
        Assert.Equal(3, second.Images); // the attachment, the SVG and the JPEG outputs
        Assert.True(File.Exists(Path.Combine(ExportTestSupport.ScreenshotFolder, "fixture-01-first.png")));
    }

    [Fact]
    public async Task A_page_that_reaches_for_the_network_is_caught()
    {
        // The check must be able to fail: a page loading a script from the web.
        using var temp = new Runner.RunnerHarness.TempFolder();
        string page = Path.Combine(temp.Path, "bad.html");
        File.WriteAllText(page, "<!DOCTYPE html><html><body><img src=\"missing.png\"><script src=\"https://cdn.plot.ly/plotly-2.28.0.min.js\"></script><div class=\"jitnb-chart\"></div></body></html>");
        var report = await PageCheck.LoadAsync(browser.Chromium, page, chartTimeoutMs: 1000);
        Assert.False(report.IsClean);
        Assert.Equal(["https://cdn.plot.ly/plotly-2.28.0.min.js"], report.BlockedRequests);
        Assert.Single(report.BrokenImages);
        Assert.Equal(0, report.DrawnCharts);
    }

    [Fact]
    public async Task Every_page_of_the_course_as_committed_works_offline()
    {
        using var temp = new Runner.RunnerHarness.TempFolder();
        var site = await SiteExporter.ExportAsync(ExportTestSupport.CourseNotebooks, ExportTestSupport.CourseReadme, Path.Combine(temp.Path, "site"));
        Assert.Equal(ExportTestSupport.CourseNotebooks.Count, site.NotebookPages.Count);
        foreach (var page in site.AllPages)
        {
            string? shot = Path.GetFileName(page) == "index.html" ? Path.Combine(ExportTestSupport.ScreenshotFolder, "course-index.png") : null;
            var report = await PageCheck.LoadAsync(browser.Chromium, page, shot);
            Assert.True(report.IsClean, report.ToString());
        }
    }
}
