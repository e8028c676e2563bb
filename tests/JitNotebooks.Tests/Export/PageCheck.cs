using JitNotebooks.Export.Browser;
using PuppeteerSharp;

namespace JitNotebooks.Tests.Export;

/// <summary>What a page did when loaded offline in headless Chromium.</summary>
internal sealed record PageReport(
    string Page, int Charts, int DrawnCharts, int Images, IReadOnlyList<string> BrokenImages,
    IReadOnlyList<string> Errors, IReadOnlyList<string> BlockedRequests, IReadOnlyList<string> DeadLinks)
{
    public override string ToString() =>
        $"{Path.GetFileName(Page)}: charts {DrawnCharts}/{Charts} drawn, images {Images} ({BrokenImages.Count} broken: {string.Join(", ", BrokenImages)}), " +
        $"errors [{string.Join(" | ", Errors)}], network [{string.Join(", ", BlockedRequests)}], dead links [{string.Join(", ", DeadLinks)}]";

    public bool IsClean => DrawnCharts == Charts && BrokenImages.Count == 0 && Errors.Count == 0 && BlockedRequests.Count == 0 && DeadLinks.Count == 0;
}

internal static class PageCheck
{
    private sealed class Facts
    {
        public int Charts { get; set; }
        public int Drawn { get; set; }
        public int Images { get; set; }
        public string[] Broken { get; set; } = [];
        public string[] Links { get; set; } = [];
    }

    /// <summary>Loads a page offline, lets its charts draw, and reports; optionally saves a full-page screenshot.</summary>
    public static async Task<PageReport> LoadAsync(HeadlessChromium chromium, string page, string? screenshot = null, int chartTimeoutMs = 20_000)
    {
        await using var tab = await chromium.NewOfflinePageAsync(1200, 900);
        await tab.OpenAsync(page);
        try { await tab.WaitForChartsAsync(chartTimeoutMs); }
        catch (WaitTaskTimeoutException) { /* reported below as charts not drawn */ }
        var facts = await tab.Page.EvaluateFunctionAsync<Facts>("""
            () => {
              const charts = [...document.querySelectorAll(".jitnb-chart")];
              return {
                charts: charts.length,
                drawn: charts.filter(c => c.querySelector("svg")).length,
                images: document.images.length,
                broken: [...document.images].filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src.slice(0, 100)),
                links: [...document.querySelectorAll("a[href]")].map(a => a.href),
              };
            }
            """);
        if (screenshot is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
            await tab.Page.ScreenshotAsync(screenshot, new ScreenshotOptions { FullPage = true });
        }
        // A link inside the site must reach a file of the site; links to the web are allowed (they are not loaded).
        var dead = facts.Links.Where(l => l.StartsWith("file:", StringComparison.Ordinal))
            .Select(l => new Uri(l)).Where(u => !File.Exists(Uri.UnescapeDataString(u.AbsolutePath))).Select(u => u.AbsolutePath).Distinct().ToList();
        return new PageReport(page, facts.Charts, facts.Drawn, facts.Images, facts.Broken, tab.Errors, tab.BlockedRequests, dead);
    }
}
