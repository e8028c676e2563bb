using Microsoft.AspNetCore.Html;
using Microsoft.DotNet.Interactive.Formatting;

namespace JitNotebooks.Runner.Kernel;

/// <summary>
/// Turns a cell's value into a mime bundle with the kernel's own formatting library:
/// text/plain always; text/html when the value has an HTML formatter of its own
/// (one a notebook registered, HTML content, a Plotly.NET chart), not the generic object table.
/// </summary>
public static class ValueFormatting
{
    public const string PlainText = "text/plain";
    public const string Html = "text/html";

    public static IReadOnlyDictionary<string, string> Format(object? value, IReadOnlyList<string>? mimeTypes = null)
    {
        if (mimeTypes is { Count: > 0 })
            return mimeTypes.Distinct().ToDictionary(m => m, m => value is string s ? s : value.ToDisplayString(m));
        var bundle = new Dictionary<string, string> { [PlainText] = PlainTextOf(value) };
        if (value is not null && HasOwnHtml(value))
            bundle[Html] = value.ToDisplayString(Html);
        return bundle;
    }

    private static string PlainTextOf(object? value) => value switch
    {
        // A chart's object graph is thousands of lines of JSON-like text; the kernel shows only HTML.
        Plotly.NET.GenericChart chart => $"Plotly.NET chart ({chart.GetType().Name}); open the notebook to see it",
        IHtmlContent => "(HTML content)",
        _ => value.ToDisplayString(PlainText),
    };

    private static bool HasOwnHtml(object value) =>
        value is IHtmlContent
        || Formatter.RegisteredFormatters(false)
                    .Any(f => f.MimeType == Html && f.Type.IsAssignableFrom(value.GetType()));
}
