using System.Net;
using JitNotebooks.Display;

namespace JitNotebooks.Diagrams;

/// <summary>
/// A diagram of the course, drawn from the library's own data. It is saved as
/// <c>assets/diagrams/{Name}.svg</c> for the notebooks' markdown to link, and a cell can also end on
/// it to show it inline (HTML) or, in a terminal, as one line naming it.
/// </summary>
[TypeFormatterSource(typeof(RichDisplayFormatterSource), PreferredMimeTypes = ["text/html", "text/plain"])]
public sealed class SvgDiagram : IRichDisplay
{
    internal SvgDiagram(string name, Svg svg)
    {
        Name = name;
        Title = svg.Title;
        Description = svg.Description;
        Width = svg.Width;
        Height = svg.Height;
        Svg = svg.ToString();
    }

    /// <summary>The file name without <c>.svg</c>, e.g. <c>rex-modrm</c>.</summary>
    public string Name { get; }

    /// <summary>The SVG's &lt;title&gt;.</summary>
    public string Title { get; }

    /// <summary>The SVG's &lt;desc&gt;: what the picture shows, in words (also read by screen readers).</summary>
    public string Description { get; }

    public int Width { get; }
    public int Height { get; }

    /// <summary>The SVG document.</summary>
    public string Svg { get; }

    /// <summary>Where the course keeps it, relative to the repository root.</summary>
    public string RelativePath => $"assets/diagrams/{Name}.svg";

    public string ToText() => $"[diagram: {Title} ({RelativePath})]";

    public string ToHtml() =>
        $"<div class=\"jitnb-diagram\" style=\"max-width:{Width}px\" title=\"{WebUtility.HtmlEncode(Title)}\">{Svg.Replace($"width=\"{Width}\" height=\"{Height}\"", "width=\"100%\"")}</div>";

    public override string ToString() => ToText();
}
