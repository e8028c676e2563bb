using System.Globalization;
using System.Net;
using System.Text;

namespace JitNotebooks.Diagrams;

/// <summary>
/// A few SVG shapes written as text: enough for the course's diagrams, small enough to read.
/// Coordinates are in the viewBox's units (pixels at 100 %). Every method returns the builder.
/// </summary>
internal sealed class Svg
{
    /// <summary>The colours of the byte roles, shared by every diagram so a REX byte looks the same everywhere.</summary>
    public static readonly IReadOnlyDictionary<ByteRole, string> RoleColours = new Dictionary<ByteRole, string>
    {
        [ByteRole.Rex] = "#dbeafe",
        [ByteRole.Opcode] = "#fde68a",
        [ByteRole.ModRM] = "#bbf7d0",
        [ByteRole.Immediate] = "#fbcfe8",
        [ByteRole.Displacement] = "#ddd6fe",
        [ByteRole.Syscall] = "#e5e7eb",
        [ByteRole.Ret] = "#e5e7eb",
        [ByteRole.Filler] = "#fecaca",
        [ByteRole.Data] = "#fff7ed",
        [ByteRole.Other] = "#f3f4f6",
    };

    public const string Ink = "#1f2328";
    public const string Muted = "#57606a";
    public const string Accent = "#0969da";
    public const string Danger = "#cf222e";
    public const string Good = "#1a7f37";

    private readonly StringBuilder _body = new();

    public Svg(int width, int height, string title, string description)
    {
        Width = width;
        Height = height;
        Title = title;
        Description = description;
    }

    public int Width { get; }
    public int Height { get; }
    public string Title { get; }
    public string Description { get; }

    public Svg Rect(double x, double y, double w, double h, string fill, string stroke = Ink, double rx = 0,
        double strokeWidth = 1, bool dashed = false) =>
        Add($"<rect x=\"{N(x)}\" y=\"{N(y)}\" width=\"{N(w)}\" height=\"{N(h)}\" rx=\"{N(rx)}\" fill=\"{fill}\" stroke=\"{stroke}\" " +
            $"stroke-width=\"{N(strokeWidth)}\"{(dashed ? " stroke-dasharray=\"6 4\"" : "")}/>");

    /// <summary>Text; <paramref name="anchor"/> is start, middle or end; <paramref name="mono"/> for bytes and code.</summary>
    public Svg Text(double x, double y, string text, double size = 13, string anchor = "start", bool mono = false,
        bool bold = false, string fill = Ink, bool italic = false) =>
        Add($"<text x=\"{N(x)}\" y=\"{N(y)}\" font-size=\"{N(size)}\" text-anchor=\"{anchor}\" class=\"{(mono ? "mono" : "sans")}\"" +
            $"{(bold ? " font-weight=\"bold\"" : "")}{(italic ? " font-style=\"italic\"" : "")} fill=\"{fill}\">{WebUtility.HtmlEncode(text)}</text>");

    public Svg Line(double x1, double y1, double x2, double y2, string stroke = Ink, double width = 1.2, bool dashed = false, bool arrow = false) =>
        Add($"<line x1=\"{N(x1)}\" y1=\"{N(y1)}\" x2=\"{N(x2)}\" y2=\"{N(y2)}\" stroke=\"{stroke}\" stroke-width=\"{N(width)}\"" +
            $"{(dashed ? " stroke-dasharray=\"5 4\"" : "")}{(arrow ? $" marker-end=\"url(#{ArrowId(stroke)})\"" : "")}/>");

    /// <summary>A path in SVG's path syntax, e.g. <c>M 10 10 C 20 0, 40 0, 50 10</c>.</summary>
    public Svg Path(string d, string stroke = Ink, double width = 1.2, bool arrow = false, string fill = "none", bool dashed = false) =>
        Add($"<path d=\"{d}\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"{N(width)}\"" +
            $"{(dashed ? " stroke-dasharray=\"5 4\"" : "")}{(arrow ? $" marker-end=\"url(#{ArrowId(stroke)})\"" : "")}/>");

    /// <summary>The whole document: XML declaration-free, with a viewBox, a title and a description.</summary>
    public override string ToString()
    {
        var svg = new StringBuilder();
        svg.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {Height}\" width=\"{Width}\" height=\"{Height}\" role=\"img\">\n")
           .Append($"<title>{WebUtility.HtmlEncode(Title)}</title>\n")
           .Append($"<desc>{WebUtility.HtmlEncode(Description)}</desc>\n")
           .Append("<style>.sans{font-family:'DejaVu Sans',Helvetica,Arial,sans-serif}")
           .Append(".mono{font-family:'DejaVu Sans Mono',Menlo,Consolas,monospace}</style>\n")
           .Append("<defs>\n");
        foreach (var colour in _arrowColours.Order(StringComparer.Ordinal))
            svg.Append($"<marker id=\"{ArrowId(colour)}\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\">")
               .Append($"<path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"{colour}\"/></marker>\n");
        svg.Append("</defs>\n")
           // A white card: the diagrams stay readable on a dark page (GitHub's dark theme, VS Code's dark notebooks).
           .Append($"<rect x=\"0\" y=\"0\" width=\"{Width}\" height=\"{Height}\" rx=\"8\" fill=\"#ffffff\"/>\n")
           .Append(_body)
           .Append("</svg>\n");
        return svg.ToString();
    }

    private readonly HashSet<string> _arrowColours = [];

    private string ArrowId(string colour)
    {
        _arrowColours.Add(colour);
        return "arrow-" + colour.TrimStart('#');
    }

    private Svg Add(string element)
    {
        _body.Append(element).Append('\n');
        return this;
    }

    /// <summary>A number as SVG wants it: invariant culture, at most two decimals.</summary>
    public static string N(double value) => Math.Round(value, 2).ToString(CultureInfo.InvariantCulture);
}
