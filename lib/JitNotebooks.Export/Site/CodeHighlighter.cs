using System.Net;
using System.Text.RegularExpressions;
using ColorCode;

namespace JitNotebooks.Export.Site;

/// <summary>
/// Colours code with ColorCode (the highlighter behind many .NET doc sites): spans with CSS
/// classes such as <c>keyword</c>, <c>string</c>, <c>comment</c>, styled by site.css.
/// </summary>
internal static partial class CodeHighlighter
{
    private static readonly HtmlClassFormatter Formatter = new();

    /// <summary>Languages a fence or a notebook may name, mapped to ColorCode's.</summary>
    private static readonly Dictionary<string, ILanguage> ByName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["csharp"] = Languages.CSharp, ["cs"] = Languages.CSharp, ["c#"] = Languages.CSharp, ["C#"] = Languages.CSharp,
        ["fsharp"] = Languages.FSharp, ["f#"] = Languages.FSharp,
        ["powershell"] = Languages.PowerShell, ["pwsh"] = Languages.PowerShell,
        ["javascript"] = Languages.JavaScript, ["js"] = Languages.JavaScript,
        ["json"] = Languages.JavaScript,
        ["html"] = Languages.Html, ["xml"] = Languages.Xml, ["css"] = Languages.Css,
        ["sql"] = Languages.Sql, ["cpp"] = Languages.Cpp, ["c"] = Languages.Cpp,
    };

    /// <summary>A <c>&lt;pre&gt;</c> block: coloured if the language is known, else escaped plain text.</summary>
    public static string ToHtml(string code, string? language)
    {
        code = code.TrimEnd('\n', '\r');
        string lang = string.IsNullOrWhiteSpace(language) ? "text" : language.Trim();
        string body = WebUtility.HtmlEncode(code);
        if (ByName.TryGetValue(lang, out var colorCodeLanguage))
        {
            body = InsidePre(Formatter.GetHtmlString(code, colorCodeLanguage));
            lang = colorCodeLanguage.Id.ToLowerInvariant().Replace("#", "sharp"); // one class per language: csharp, whether the notebook says C# or cs
        }
        return $"<pre class=\"code\"><code class=\"language-{WebUtility.HtmlEncode(lang.ToLowerInvariant())}\">{body}</code></pre>";
    }

    // ColorCode wraps its spans in <div class="lang"><pre>…</pre></div>; the site wants only the spans.
    private static string InsidePre(string html)
    {
        var m = PreContent().Match(html);
        return m.Success ? m.Groups[1].Value.TrimStart('\r', '\n').TrimEnd('\r', '\n') : html;
    }

    [GeneratedRegex(@"<pre>(.*)</pre>", RegexOptions.Singleline)]
    private static partial Regex PreContent();
}
