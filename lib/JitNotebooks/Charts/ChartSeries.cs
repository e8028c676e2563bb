namespace JitNotebooks.Charts;

/// <summary>How a series is drawn; the names are plotly.js trace types.</summary>
public enum SeriesKind
{
    /// <summary>Vertical bars (plotly.js <c>bar</c>).</summary>
    Bar,
    /// <summary>Points joined by lines (plotly.js <c>scatter</c> with <c>mode: "lines+markers"</c>).</summary>
    Line,
}

/// <summary>
/// One named series of a <see cref="Chart"/>: x values (text or numbers), y values, and an
/// optional label printed on each point.
/// </summary>
public sealed record ChartSeries(string Name, SeriesKind Kind, IReadOnlyList<object> X, IReadOnlyList<double> Y, IReadOnlyList<string>? Labels);
