using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.DotNet.Interactive.Formatting;
using Plotly.NET;

namespace JitNotebooks.Runner.Kernel;

/// <summary>
/// What the Plotly.NET.Interactive extension does in the kernel, which cannot be installed here:
/// a Plotly.NET chart is shown as HTML. Plotly.NET names each chart's div with a fresh GUID; the
/// runner replaces it with a name derived from the chart and its position, so `--write` twice
/// gives the same file.
/// </summary>
public static partial class PlotlyCharts
{
    private static int _registered;
    private static int _chartsRendered;

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex Guid();

    /// <summary>Registers the text/html formatter for charts (once per process).</summary>
    public static void RegisterFormatter()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1) return;
        Formatter.Register<GenericChart>((chart, writer) => writer.Write(ToHtml(chart)), ValueFormatting.Html);
    }

    /// <summary>The chart as an HTML fragment with a stable element id.</summary>
    public static string ToHtml(GenericChart chart)
    {
        var html = GenericChart.toChartHTML(chart);
        var match = Guid().Match(html);
        if (!match.Success) return html;
        var withoutGuid = html.Replace(match.Value, "").Replace(match.Value.Replace("-", ""), "");
        var ordinal = Interlocked.Increment(ref _chartsRendered);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{ordinal}\n{withoutGuid}"));
        var stableId = "chart" + Convert.ToHexStringLower(hash)[..16];
        return html.Replace(match.Value, stableId).Replace(match.Value.Replace("-", ""), stableId);
    }
}
