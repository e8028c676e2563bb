using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using JitNotebooks.Display;

namespace JitNotebooks.Charts;

/// <summary>
/// A chart the course draws with plotly.js. It holds plotly.js's own figure JSON (data + layout),
/// so what a notebook shows, what an exported page draws and what a static image is made from are
/// the same figure. In a notebook it displays as HTML that draws the figure (loading plotly.js
/// when the page has none) and, in a terminal, as a one-line summary.
/// </summary>
/// <remarks>
/// Why not Plotly.NET: the .NET Interactive tool preloads FSharp.Core 10.0 and Plotly.NET 6.0.0
/// needs 10.1, so Plotly.NET cannot load inside the kernel learners run (see the README).
/// </remarks>
[TypeFormatterSource(typeof(RichDisplayFormatterSource), PreferredMimeTypes = ["text/html", "text/plain"])]
public sealed class Chart : IRichDisplay
{
    /// <summary>The plotly.js version the HTML loads when the page has none (the one Plotly.NET 6.0.0 embeds).</summary>
    public const string PlotlyJsVersion = "2.28.0";

    /// <summary>Where the HTML loads plotly.js from when the page does not already have it.</summary>
    public static string PlotlyJsUrl => $"https://cdn.plot.ly/plotly-{PlotlyJsVersion}.min.js";

    /// <summary>The CSS class of every chart's container; exporters and tests find charts by it.</summary>
    public const string ContainerClass = "jitnb-chart";

    private readonly List<ChartSeries> _series = [];

    /// <summary>Starts an empty chart.</summary>
    /// <param name="title">Shown above the chart.</param>
    /// <param name="xTitle">The horizontal axis's title.</param>
    /// <param name="yTitle">The vertical axis's title.</param>
    /// <param name="height">Height in CSS pixels (120–1200).</param>
    public Chart(string title, string xTitle = "", string yTitle = "", int height = 400)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(xTitle);
        ArgumentNullException.ThrowIfNull(yTitle);
        if (height is < 120 or > 1200)
            throw new ArgumentOutOfRangeException(nameof(height), height, "A chart's height must be 120–1200 pixels; 400 suits most cells.");
        Title = title;
        XTitle = xTitle;
        YTitle = yTitle;
        Height = height;
    }

    public string Title { get; }
    public string XTitle { get; }
    public string YTitle { get; }
    public int Height { get; }

    /// <summary>Bars of several series stand side by side (false) or on top of each other (true).</summary>
    public bool IsStacked { get; private set; }

    /// <summary>The series, in the order they were added (the legend's order).</summary>
    public IReadOnlyList<ChartSeries> Series => _series;

    /// <summary>Adds a series of bars. <paramref name="x"/> holds strings or numbers.</summary>
    /// <exception cref="ArgumentException">x and y differ in length, a y value is not finite, or an x value is neither text nor a number.</exception>
    public Chart Bars<TX>(string name, IEnumerable<TX> x, IEnumerable<double> y, IEnumerable<string>? labels = null) where TX : notnull =>
        Add(name, SeriesKind.Bar, x, y, labels);

    /// <summary>Adds a series of points joined by lines.</summary>
    /// <exception cref="ArgumentException">As for <see cref="Bars{TX}"/>.</exception>
    public Chart Line<TX>(string name, IEnumerable<TX> x, IEnumerable<double> y, IEnumerable<string>? labels = null) where TX : notnull =>
        Add(name, SeriesKind.Line, x, y, labels);

    /// <summary>The values are measurements (times), so they differ from one run to the next.</summary>
    public bool IsMeasurement { get; private set; }

    /// <summary>
    /// Marks the values as measurements that change from run to run (the figure says so in
    /// <c>layout.meta</c>), so tools that compare two runs know to mask them.
    /// </summary>
    public Chart OfMeasurements()
    {
        IsMeasurement = true;
        return this;
    }

    /// <summary>Stacks the bar series on top of each other instead of side by side.</summary>
    public Chart Stacked()
    {
        IsStacked = true;
        return this;
    }

    /// <summary>The figure as plotly.js reads it: <c>{"data": [...], "layout": {...}}</c>.</summary>
    /// <exception cref="InvalidOperationException">The chart has no series yet.</exception>
    public string ToFigureJson()
    {
        if (_series.Count == 0)
            throw new InvalidOperationException($"The chart \"{Title}\" has no series yet; add one with Bars(...) or Line(...) before showing it.");
        var data = new JsonArray();
        foreach (var s in _series)
        {
            var trace = new JsonObject
            {
                ["type"] = s.Kind == SeriesKind.Bar ? "bar" : "scatter",
                ["name"] = s.Name,
                ["x"] = new JsonArray(s.X.Select(ToJsonValue).ToArray()),
                ["y"] = new JsonArray(s.Y.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray()),
            };
            if (s.Kind == SeriesKind.Line) trace["mode"] = "lines+markers";
            if (s.Labels is not null)
            {
                trace["text"] = new JsonArray(s.Labels.Select(l => (JsonNode?)JsonValue.Create(l)).ToArray());
                trace["textposition"] = s.Kind == SeriesKind.Bar ? "inside" : "top center";
            }
            data.Add(trace);
        }
        var layout = new JsonObject
        {
            ["title"] = new JsonObject { ["text"] = Title },
            ["xaxis"] = new JsonObject { ["title"] = new JsonObject { ["text"] = XTitle } },
            ["yaxis"] = new JsonObject { ["title"] = new JsonObject { ["text"] = YTitle } },
            ["barmode"] = IsStacked ? "stack" : "group",
            ["height"] = Height,
            ["margin"] = new JsonObject { ["t"] = 50, ["b"] = 60 },
        };
        if (IsMeasurement) layout["meta"] = new JsonObject { ["measurements"] = true };
        return new JsonObject { ["data"] = data, ["layout"] = layout }.ToJsonString();
    }

    /// <summary>
    /// A container, the figure as JSON, and a script that draws it: with the page's plotly.js when
    /// there is one (an exported page), through require.js in classic Jupyter, otherwise by loading
    /// <see cref="PlotlyJsUrl"/> once per page. The id comes from the figure, so a re-run gives
    /// the same HTML.
    /// </summary>
    public string ToHtml()
    {
        string figure = ToFigureJson(); // System.Text.Json escapes '<', so "</script>" cannot occur in it
        string id = "jitnb-chart-" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(figure)))[..12].ToLowerInvariant();
        return $$"""
            <div class="{{ContainerClass}}" id="{{id}}" style="width:100%;max-width:900px;height:{{Height}}px" title="{{WebUtility.HtmlEncode(ToText())}}"></div>
            <script type="application/json" id="{{id}}-figure">{{figure}}</script>
            <script>
            (function () {
              var id = "{{id}}", url = "{{PlotlyJsUrl}}";
              function draw(P) {
                var el = document.getElementById(id), fig = JSON.parse(document.getElementById(id + "-figure").textContent);
                el.innerHTML = "";
                P.newPlot(el, fig.data, fig.layout, { responsive: true, displaylogo: false });
              }
              if (window.Plotly) { draw(window.Plotly); return; }
              if (typeof require === "function" && require.config) {
                require.config({ paths: { plotly: url.slice(0, -3) } });
                require(["plotly"], function (P) { window.Plotly = P; draw(P); });
                return;
              }
              var q = window.__jitnbPlotlyQueue = window.__jitnbPlotlyQueue || [];
              q.push(draw);
              if (q.length > 1) return;
              var s = document.createElement("script");
              s.src = url;
              s.onload = function () { while (q.length) q.shift()(window.Plotly); };
              document.head.appendChild(s);
            })();
            </script>
            """;
    }

    /// <summary>One line for a terminal: kind, title, series and their point counts.</summary>
    public string ToText()
    {
        string kinds = string.Join(" and ", _series.Select(s => s.Kind).Distinct().Select(k => k == SeriesKind.Bar ? (IsStacked ? "stacked bars" : "bars") : "lines"));
        string series = string.Join(", ", _series.Select(s => $"{s.Name}: {s.Y.Count} point{(s.Y.Count == 1 ? "" : "s")}"));
        return $"[chart: {(kinds.Length == 0 ? "empty" : kinds)}] {Title} — {_series.Count} series ({series})";
    }

    public override string ToString() => ToText();

    private Chart Add<TX>(string name, SeriesKind kind, IEnumerable<TX> x, IEnumerable<double> y, IEnumerable<string>? labels) where TX : notnull
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        object[] xs = x.Select(v => (object)v).ToArray();
        double[] ys = y.ToArray();
        string[]? ls = labels?.ToArray();
        if (xs.Length != ys.Length)
            throw new ArgumentException($"Series \"{name}\" has {xs.Length} x values but {ys.Length} y values; give one y per x.", nameof(y));
        if (ls is not null && ls.Length != ys.Length)
            throw new ArgumentException($"Series \"{name}\" has {ls.Length} labels for {ys.Length} points; give one label per point or none.", nameof(labels));
        int bad = Array.FindIndex(ys, v => !double.IsFinite(v));
        if (bad >= 0)
            throw new ArgumentException($"Series \"{name}\": y[{bad}] is {ys[bad]}; a chart can only draw finite numbers.", nameof(y));
        foreach (var v in xs) ToJsonValue(v); // refuses unsupported x types now, not when the chart is shown
        _series.Add(new ChartSeries(name, kind, xs, ys, ls));
        return this;
    }

    private static JsonNode ToJsonValue(object v) => v switch
    {
        string s => JsonValue.Create(s),
        int i => JsonValue.Create(i),
        long l => JsonValue.Create(l),
        double d when double.IsFinite(d) => JsonValue.Create(d),
        float f when float.IsFinite(f) => JsonValue.Create(f),
        _ => throw new ArgumentException(
            $"A chart's x values must be text or numbers (string, int, long, double); got {v.GetType().Name} \"{Convert.ToString(v, CultureInfo.InvariantCulture)}\". Convert it with ToString() first."),
    };
}
