using System.Text.Json.Nodes;
using Markdig;
using Markdig.Renderers;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace JitNotebooks.Export.Site;

/// <summary>Where a markdown text comes from, so its relative links and images can be resolved.</summary>
/// <param name="Name">Names the source in error messages: <c>03-lea….ipynb, cell 4</c>.</param>
/// <param name="Directory">The folder relative paths start from.</param>
/// <param name="Attachments">A markdown cell's attachments (<c>attachment:x.png</c>), if any.</param>
internal sealed record MarkdownSource(string Name, string Directory, JsonObject? Attachments = null);

/// <summary>
/// Markdown to HTML with Markdig (CommonMark plus GitHub's tables, task lists, auto-links, …):
/// links to notebooks become links to their pages, images are copied into the site, fenced C# is
/// coloured like the code cells.
/// </summary>
internal sealed class MarkdownRenderer(SiteLinks links, SiteMedia media)
{
    public static MarkdownPipeline Pipeline { get; } = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    public string ToHtml(string markdown, MarkdownSource source)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        Rewrite(document, source);
        return Render(document);
    }

    /// <summary>Renders an already parsed block (a README table's cell, say), rewriting its links too.</summary>
    public string ToHtml(MarkdownObject block, MarkdownSource source)
    {
        if (block is ContainerInline or LeafBlock or ContainerBlock)
            foreach (var link in Descendants(block)) RewriteLink(link, source);
        var writer = new StringWriter();
        var renderer = CreateRenderer(writer);
        if (block is LeafBlock leaf && leaf.Inline is not null) renderer.WriteChildren(leaf.Inline);
        else if (block is ContainerInline inline) renderer.WriteChildren(inline);
        else renderer.Render(block);
        writer.Flush();
        return writer.ToString();
    }

    private static IEnumerable<LinkInline> Descendants(MarkdownObject o) => o switch
    {
        ContainerBlock b => b.Descendants<LinkInline>(),
        LeafBlock l when l.Inline is not null => l.Inline.Descendants<LinkInline>(),
        ContainerInline i => i.Descendants<LinkInline>(),
        _ => [],
    };

    private void Rewrite(MarkdownDocument document, MarkdownSource source)
    {
        foreach (var link in document.Descendants<LinkInline>().ToList()) RewriteLink(link, source);
    }

    private void RewriteLink(LinkInline link, MarkdownSource source)
    {
        if (string.IsNullOrEmpty(link.Url)) return;
        link.Url = link.IsImage ? media.ImageUrl(link.Url, source) : links.Rewrite(link.Url, source.Directory);
    }

    private string Render(MarkdownDocument document)
    {
        var writer = new StringWriter();
        CreateRenderer(writer).Render(document);
        writer.Flush();
        return writer.ToString();
    }

    private static HtmlRenderer CreateRenderer(TextWriter writer)
    {
        var renderer = new HtmlRenderer(writer);
        Pipeline.Setup(renderer);
        var plain = renderer.ObjectRenderers.FindExact<CodeBlockRenderer>();
        if (plain is not null)
        {
            renderer.ObjectRenderers.Remove(plain);
            renderer.ObjectRenderers.Insert(0, new HighlightedCodeBlockRenderer(plain));
        }
        return renderer;
    }

    /// <summary>Fenced blocks that name a language ColorCode knows are coloured; the rest render as Markdig does.</summary>
    private sealed class HighlightedCodeBlockRenderer(CodeBlockRenderer plain) : HtmlObjectRenderer<CodeBlock>
    {
        protected override void Write(HtmlRenderer renderer, CodeBlock block)
        {
            if (block is FencedCodeBlock { Info: { Length: > 0 } info } && info is not "text" and not "mermaid")
            {
                string code = string.Join("\n", block.Lines.Lines.Take(block.Lines.Count).Select(l => l.Slice.ToString()));
                renderer.Write(CodeHighlighter.ToHtml(code, info));
                renderer.EnsureLine();
                return;
            }
            plain.Write(renderer, block);
        }
    }
}
