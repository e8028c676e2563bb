using System.Net;

namespace JitNotebooks.Export.Site;

/// <summary>The frame every page shares: head (one stylesheet, the local plotly.js), header, pager, footer.</summary>
internal static class PageLayout
{
    public const string StyleSheet = "site.css";
    public const string SiteName = "JitNotebooks";

    /// <summary>A link in the pager: its page and its label.</summary>
    public sealed record PageLink(string Href, string Label);

    public static string Page(string title, string bodyClass, string content, PageLink? previous = null, PageLink? next = null, bool withPlotly = true)
    {
        string pager = previous is null && next is null ? "" : Pager(previous, next);
        return $$"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="generator" content="JitNotebooks.Export">
            <title>{{WebUtility.HtmlEncode(title)}}</title>
            <link rel="stylesheet" href="{{StyleSheet}}">
            {{(withPlotly ? $"<script src=\"{PlotlyJs.FileName}\"></script>" : "")}}
            </head>
            <body class="{{bodyClass}}">
            <header class="site-header"><a class="home" href="index.html">{{SiteName}}</a>{{pager}}</header>
            <main>
            {{content}}
            </main>
            {{pager.Replace("class=\"pager\"", "class=\"pager bottom\"")}}
            <footer class="site-footer">{{SiteName}} — a hands-on course on JIT compilation in C#. Exported from the executed notebooks.</footer>
            </body>
            </html>

            """;
    }

    private static string Pager(PageLink? previous, PageLink? next) =>
        "<nav class=\"pager\">" +
        (previous is null ? "<span></span>" : $"<a rel=\"prev\" href=\"{previous.Href}\">← {WebUtility.HtmlEncode(previous.Label)}</a>") +
        (next is null ? "<span></span>" : $"<a rel=\"next\" href=\"{next.Href}\">{WebUtility.HtmlEncode(next.Label)} →</a>") +
        "</nav>";
}
