using System.Buffers.Binary;
using System.Text.Json.Nodes;
using JitNotebooks.Charts;
using JitNotebooks.Export.Charts;
using JitNotebooks.Export.Notebooks;
using JitNotebooks.Export.Site;
using PuppeteerSharp;

namespace JitNotebooks.Tests.Export;

/// <summary>Static chart pictures drawn by plotly.js's own toImage in headless Chromium.</summary>
public class ChartImagesTests(ChromiumFixture browser) : IClassFixture<ChromiumFixture>
{
    private static JsonObject FixtureJson(int i) => (JsonObject)JsonNode.Parse(File.ReadAllText(ExportTestSupport.FixtureNotebooks[i]))!;

    private static (int Width, int Height) PngSize(byte[] png)
    {
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        return (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
    }

    [Fact]
    public async Task Each_chart_output_gets_a_png_of_its_own_figure_in_the_bundle_and_inside_its_container()
    {
        var notebook = FixtureJson(0);
        int added = await ChartImages.AddStaticImagesAsync(notebook);
        Assert.Equal(1, added);

        var output = Assert.Single(ChartImages.ChartOutputs(notebook));
        string html = NotebookDocument.MultilineText(output["data"]!["text/html"]);
        var figure = Assert.Single(ChartImages.Figures(html));
        string hash = ChartImages.FigureHash(figure.Json);
        // The chart's own id is made from the same figure: the picture belongs to this chart.
        Assert.Equal("jitnb-chart-" + hash[..12], figure.Id);

        byte[] png = Convert.FromBase64String(NotebookDocument.MultilineText(output["data"]!["image/png"]).Trim());
        Assert.Equal((900, 400), PngSize(png));
        Assert.Contains($"<img src=\"data:image/png;base64,{Convert.ToBase64String(png)}\" alt=\"[chart: bars] Bytes per instruction — 1 series (bytes: 4 points)\" {ChartImages.HashAttribute}=\"{hash}\"", html);
        Assert.Contains($"id=\"{figure.Id}\"", html);
        // The rest of the output is untouched: the text form, the figure, the drawing script.
        Assert.Equal(FixtureJson(0)["cells"]![5]!["outputs"]![0]!["data"]!["text/plain"]!.ToJsonString(), output["data"]!["text/plain"]!.ToJsonString());
        Assert.Contains("P.newPlot(el, fig.data, fig.layout", html);
    }

    [Fact]
    public async Task The_picture_is_plotly_drawing_that_figure_deterministically()
    {
        var chart = new Chart("Deterministic", "x", "y", height: 300).Bars("s", new[] { "a", "b" }, new double[] { 1, 2 });
        var other = new Chart("Deterministic", "x", "y", height: 300).Bars("s", new[] { "a", "b" }, new double[] { 2, 1 });
        await using var images = await ChartImages.StartAsync(new ChartImageOptions(Width: 600, Scale: 2));
        byte[] first = await images.RenderPngAsync(chart.ToFigureJson());
        byte[] again = await images.RenderPngAsync(chart.ToFigureJson());
        byte[] different = await images.RenderPngAsync(other.ToFigureJson());
        Assert.Equal(first, again);
        Assert.NotEqual(first, different);
        Assert.Equal((1200, 600), PngSize(first)); // fixed size x scale; the height is the figure's own
    }

    [Fact]
    public async Task Running_again_replaces_the_picture_and_a_changed_figure_gets_a_new_one()
    {
        var notebook = FixtureJson(1);
        await ChartImages.AddStaticImagesAsync(notebook);
        string once = notebook.ToJsonString();
        await ChartImages.AddStaticImagesAsync(notebook);
        Assert.Equal(once, notebook.ToJsonString());
        string html = NotebookDocument.MultilineText(ChartImages.ChartOutputs(notebook).Single()["data"]!["text/html"]);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(html, "<img "));
        Assert.Equal((900, 320), PngSize(Convert.FromBase64String(NotebookDocument.MultilineText(ChartImages.ChartOutputs(notebook).Single()["data"]!["image/png"]).Trim())));
    }

    [Fact]
    public async Task Without_scripts_as_on_GitHub_the_html_shows_the_picture_and_with_scripts_plotly_replaces_it()
    {
        var notebook = FixtureJson(0);
        await ChartImages.AddStaticImagesAsync(notebook);
        string html = NotebookDocument.MultilineText(ChartImages.ChartOutputs(notebook).Single()["data"]!["text/html"]);
        await using var tab = await browser.Chromium.NewOfflinePageAsync();
        await tab.Page.SetJavaScriptEnabledAsync(false);
        await tab.Page.SetContentAsync($"<!DOCTYPE html><html><body>{html}</body></html>");
        var shown = await tab.Page.EvaluateExpressionAsync<int[]>(
            "[...document.querySelectorAll('.jitnb-chart > img')].map(i => i.complete ? i.naturalWidth : -1)");
        Assert.Equal([900], shown);

        // In an exported page (scripts on, plotly.js present) the chart draws and the picture goes.
        using var temp = ExportTestSupport.CopyFixtureCourse();
        string nbPath = temp.Notebooks()[0];
        File.WriteAllText(nbPath, notebook.ToJsonString());
        var site = await SiteExporter.ExportAsync(temp.Notebooks(), Path.Combine(temp.Course(), "README.md"), Path.Combine(temp.Path, "site"));
        var report = await PageCheck.LoadAsync(browser.Chromium, site.NotebookPages[0]);
        Assert.True(report.IsClean, report.ToString());
        await using var page = await browser.Chromium.NewOfflinePageAsync();
        await page.OpenAsync(site.NotebookPages[0]);
        await page.WaitForChartsAsync();
        Assert.Equal(0, await page.Page.EvaluateExpressionAsync<int>("document.querySelectorAll('.jitnb-chart img').length"));
    }

    [Fact]
    public async Task A_notebook_without_charts_is_left_alone_and_bad_figures_are_refused()
    {
        var plain = (JsonObject)JsonNode.Parse("""{"nbformat": 4, "cells": [{"cell_type": "code", "source": "", "outputs": [{"output_type": "display_data", "data": {"text/html": "<b>no chart</b>"}}]}]}""")!;
        string before = plain.ToJsonString();
        Assert.Equal(0, await ChartImages.AddStaticImagesAsync(plain));
        Assert.Equal(before, plain.ToJsonString());
        await Assert.ThrowsAsync<NotebookFormatException>(() => ChartImages.AddStaticImagesAsync(new JsonObject { ["nbformat"] = 4 }));

        await using var images = await ChartImages.StartAsync();
        Assert.Contains("not valid JSON", (await Assert.ThrowsAsync<ArgumentException>(() => images.RenderPngAsync("{ nope"))).Message);
        Assert.Contains("not an object", (await Assert.ThrowsAsync<ArgumentException>(() => images.RenderPngAsync("[1, 2]"))).Message);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => ChartImages.StartAsync(new ChartImageOptions(Width: 10)));
    }
}
