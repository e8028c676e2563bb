using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using JitNotebooks.Export.Browser;
using JitNotebooks.Export.Notebooks;
using JitNotebooks.Export.Site;

namespace JitNotebooks.Export.Charts;

/// <summary>How chart pictures are made: CSS pixel size of the image and the device scale (sharpness).</summary>
/// <param name="Width">Width in CSS pixels; the height is the figure's own (its layout.height), else <paramref name="DefaultHeight"/>.</param>
/// <param name="DefaultHeight">Used when the figure names no height.</param>
/// <param name="Scale">Pixels per CSS pixel in the PNG (2 is sharp on high-density screens, and twice the bytes).</param>
public sealed record ChartImageOptions(int Width = 900, int DefaultHeight = 400, double Scale = 1)
{
    public static ChartImageOptions Default { get; } = new();
}

/// <summary>
/// Static pictures of the course's charts, for readers without a browser running scripts
/// (GitHub's notebook view, print): the figure JSON of each <see cref="JitNotebooks.Charts.Chart"/>
/// output is drawn by plotly.js's own <c>Plotly.toImage</c> in headless Chromium, as Kaleido does,
/// and the PNG is put (a) into the output bundle as <c>image/png</c> and (b) inside the chart's
/// container as an <c>&lt;img&gt;</c>, which the drawing script replaces wherever scripts run.
/// </summary>
public sealed partial class ChartImages : IAsyncDisposable
{
    /// <summary>The attribute on the inserted image that names the SHA-256 of the figure JSON it was drawn from.</summary>
    public const string HashAttribute = "data-figure-sha256";

    private readonly HeadlessChromium _chromium;
    private readonly OfflinePage _page;
    private readonly ChartImageOptions _options;

    private ChartImages(HeadlessChromium chromium, OfflinePage page, ChartImageOptions options)
    {
        _chromium = chromium;
        _page = page;
        _options = options;
    }

    /// <summary>Starts Chromium with plotly.js loaded into a blank page, ready to draw figures.</summary>
    public static async Task<ChartImages> StartAsync(ChartImageOptions? options = null)
    {
        options ??= ChartImageOptions.Default;
        if (options.Width is < 100 or > 4000 || options.DefaultHeight is < 100 or > 4000 || options.Scale is <= 0 or > 4)
            throw new ArgumentOutOfRangeException(nameof(options), options, "Chart images need a width and height of 100–4000 CSS pixels and a scale above 0, up to 4.");
        var chromium = await HeadlessChromium.LaunchAsync();
        try
        {
            var page = await chromium.NewOfflinePageAsync(options.Width, options.DefaultHeight);
            await page.Page.SetContentAsync("<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body></body></html>");
            await page.Page.AddScriptTagAsync(new PuppeteerSharp.AddTagOptions { Content = PlotlyJs.Text });
            return new ChartImages(chromium, page, options);
        }
        catch
        {
            await chromium.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Adds a static image to every chart output of a notebook (its JSON, changed in place) and
    /// returns how many charts got one. Running it again replaces the images, so a changed figure
    /// never keeps a stale picture.
    /// </summary>
    /// <exception cref="NotebookFormatException">The JSON is not an nbformat 4 notebook.</exception>
    public static async Task<int> AddStaticImagesAsync(JsonObject notebook, ChartImageOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(notebook);
        var outputs = ChartOutputs(notebook).ToList();
        if (outputs.Count == 0) return 0;
        await using var images = await StartAsync(options);
        int count = 0;
        foreach (var output in outputs) count += await images.AddToOutputAsync(output);
        return count;
    }

    /// <summary>The outputs holding a chart (text/html with a <c>jitnb-chart</c> container).</summary>
    public static IEnumerable<JsonObject> ChartOutputs(JsonObject notebook)
    {
        if (notebook["cells"] is not JsonArray cells)
            throw new NotebookFormatException("The notebook has no \"cells\" array; pass the whole nbformat 4 notebook JSON.");
        foreach (var cell in cells.OfType<JsonObject>())
            if (cell["outputs"] is JsonArray outs)
                foreach (var output in outs.OfType<JsonObject>())
                    if (output["data"]?["text/html"] is { } html && Figures(NotebookDocument.MultilineText(html)).Any())
                        yield return output;
    }

    /// <summary>Adds the images to one output bundle; returns the number of charts in it.</summary>
    public async Task<int> AddToOutputAsync(JsonObject output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (output["data"] is not JsonObject data || data["text/html"] is not { } htmlNode) return 0;
        string html = NotebookDocument.MultilineText(htmlNode);
        var figures = Figures(html).ToList();
        if (figures.Count == 0) return 0;
        var pngs = new List<byte[]>();
        foreach (var figure in figures)
        {
            byte[] png = await RenderPngAsync(figure.Json);
            pngs.Add(png);
            html = WithImage(html, figure, png);
        }
        data["text/html"] = ToMultiline(html, htmlNode is JsonArray);
        // A bundle holds one image per MIME type: with one chart it is that chart's picture.
        if (pngs.Count == 1) data["image/png"] = Convert.ToBase64String(pngs[0]) + "\n";
        return figures.Count;
    }

    /// <summary>Draws one figure (plotly.js figure JSON: data and layout) as a PNG.</summary>
    /// <exception cref="ArgumentException">The text is not a figure plotly.js can draw.</exception>
    public async Task<byte[]> RenderPngAsync(string figureJson)
    {
        ArgumentNullException.ThrowIfNull(figureJson);
        JsonObject figure;
        try
        {
            figure = JsonNode.Parse(figureJson) as JsonObject ?? throw new ArgumentException("The figure JSON is not an object with \"data\" and \"layout\".", nameof(figureJson));
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"The figure is not valid JSON ({e.Message}).", nameof(figureJson), e);
        }
        int height = figure["layout"]?["height"] is JsonValue h && h.TryGetValue(out int hv) ? hv : _options.DefaultHeight;
        string dataUrl;
        try
        {
            dataUrl = await _page.Page.EvaluateFunctionAsync<string>(
                """
                (figure, width, height, scale) =>
                  Plotly.toImage({ data: figure.data, layout: figure.layout }, { format: "png", width, height, scale })
                """, figure, _options.Width, height, _options.Scale);
        }
        catch (PuppeteerSharp.EvaluationFailedException e)
        {
            throw new ArgumentException($"plotly.js could not draw the figure: {e.Message}", nameof(figureJson), e);
        }
        _page.ThrowIfNetworkWasTried("Drawing a chart image");
        const string prefix = "data:image/png;base64,";
        if (!dataUrl.StartsWith(prefix, StringComparison.Ordinal))
            throw new InvalidOperationException($"plotly.js returned {dataUrl[..Math.Min(40, dataUrl.Length)]}… instead of a PNG data URL.");
        return Convert.FromBase64String(dataUrl[prefix.Length..]);
    }

    /// <summary>The SHA-256 (lowercase hex) of a figure's JSON text, as <see cref="HashAttribute"/> records it.</summary>
    public static string FigureHash(string figureJson) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(figureJson))).ToLowerInvariant();

    /// <summary>A chart found in an HTML output: its container id and its figure JSON.</summary>
    public sealed record FigureInHtml(string Id, string Json);

    /// <summary>Every chart in an HTML fragment written by <see cref="JitNotebooks.Charts.Chart.ToHtml"/>.</summary>
    public static IEnumerable<FigureInHtml> Figures(string html)
    {
        foreach (Match m in Container().Matches(html))
        {
            string id = m.Groups["id"].Value;
            var figure = Regex.Match(html, $"<script type=\"application/json\" id=\"{Regex.Escape(id)}-figure\">(.*?)</script>", RegexOptions.Singleline);
            if (figure.Success) yield return new FigureInHtml(id, figure.Groups[1].Value);
        }
    }

    /// <summary>The HTML with the picture inside the chart's container (replacing a picture put there before).</summary>
    private static string WithImage(string html, FigureInHtml figure, byte[] png)
    {
        var container = Container().Matches(html).First(m => m.Groups["id"].Value == figure.Id);
        string title = WebUtility.HtmlDecode(Regex.Match(container.Groups["open"].Value, "title=\"([^\"]*)\"").Groups[1].Value);
        string img = $"<img src=\"data:image/png;base64,{Convert.ToBase64String(png)}\" alt=\"{WebUtility.HtmlEncode(title)}\" " +
                     $"{HashAttribute}=\"{FigureHash(figure.Json)}\" style=\"max-width:100%;height:auto\">";
        return html[..container.Index] + container.Groups["open"].Value + img + "</div>" + html[(container.Index + container.Length)..];
    }

    private static JsonNode ToMultiline(string text, bool asLines)
    {
        if (!asLines) return JsonValue.Create(text);
        // nbformat's list form: one string per line, each keeping its "\n".
        var lines = new JsonArray();
        int start = 0;
        for (int i = 0; i < text.Length; i++)
            if (text[i] == '\n') { lines.Add(JsonValue.Create(text[start..(i + 1)])); start = i + 1; }
        if (start < text.Length) lines.Add(JsonValue.Create(text[start..]));
        return lines;
    }

    // The container as Chart.ToHtml writes it: empty, or holding a picture this class put there.
    [GeneratedRegex("(?<open><div class=\"jitnb-chart\" id=\"(?<id>jitnb-chart-[0-9a-f]+)\"[^>]*>)(?:<img [^>]*>)?</div>")]
    private static partial Regex Container();

    public async ValueTask DisposeAsync()
    {
        await _page.DisposeAsync();
        await _chromium.DisposeAsync();
    }
}
