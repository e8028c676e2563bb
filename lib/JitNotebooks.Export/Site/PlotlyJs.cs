namespace JitNotebooks.Export.Site;

/// <summary>
/// plotly.js, as the Plotly.NET package embeds it. The site carries it once, as a local file, so
/// charts draw from <c>file://</c> with no network; the chart images use the same copy.
/// </summary>
public static class PlotlyJs
{
    /// <summary>The version <see cref="JitNotebooks.Charts.Chart"/> asks for; Plotly.NET 6.0.0 embeds the same.</summary>
    public const string Version = JitNotebooks.Charts.Chart.PlotlyJsVersion;

    /// <summary>The name of the manifest resource inside Plotly.NET.dll.</summary>
    public const string ResourceName = "Plotly.NET.plotly-" + Version + ".min.js";

    /// <summary>The file name the site gives it.</summary>
    public const string FileName = "plotly.min.js";

    private static readonly Lazy<string> Source = new(Load);

    /// <summary>The whole minified script.</summary>
    /// <exception cref="InvalidOperationException">The Plotly.NET assembly no longer embeds this version.</exception>
    public static string Text => Source.Value;

    private static string Load()
    {
        var assembly = typeof(Plotly.NET.GenericChart).Assembly;
        using var stream = assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException(
                $"{assembly.GetName().Name} {assembly.GetName().Version} has no resource {ResourceName} (it has: " +
                $"{string.Join(", ", assembly.GetManifestResourceNames().Where(n => n.EndsWith(".js", StringComparison.Ordinal)))}). " +
                "Pin the Plotly.NET version that embeds plotly.js " + Version + " in Directory.Packages.props, or update Chart.PlotlyJsVersion.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
