using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace JitNotebooks.Export.Notebooks;

/// <summary>
/// What a person reads in a terminal for one output: stream text, the value's text/plain form when
/// it has one (the course's tables and charts do), otherwise its HTML reduced to text, tables kept
/// as aligned columns; an error as its message.
/// </summary>
public static partial class TerminalText
{
    public static string Of(JsonObject output) => NotebookDocument.OutputType(output) switch
    {
        "stream" => NotebookDocument.MultilineText(output["text"]),
        "display_data" or "execute_result" => Data(output["data"] as JsonObject) + "\n",
        "error" => $"{output["ename"]}: {output["evalue"]}\n",
        _ => "",
    };

    private static string Data(JsonObject? data)
    {
        if (data is null) return "";
        if (data["text/plain"] is { } plain) return NotebookDocument.MultilineText(plain).TrimEnd('\n');
        if (data["text/html"] is { } html) return FromHtml(NotebookDocument.MultilineText(html));
        if (data["text/markdown"] is { } markdown) return NotebookDocument.MultilineText(markdown).TrimEnd('\n');
        if (data["application/json"] is { } json) return json.ToJsonString();
        return $"[{string.Join(", ", data.Select(p => p.Key))} output]";
    }

    /// <summary>HTML as text: scripts and styles dropped, tables as columns, blocks on their own lines.</summary>
    public static string FromHtml(string html)
    {
        html = Hidden().Replace(html, "");
        // A closed <details> shows only its summary (the kernel's tree view of each object in a table).
        while (ClosedDetails().IsMatch(html)) html = ClosedDetails().Replace(html, "$1");
        var text = new StringBuilder();
        int at = 0;
        foreach (Match table in Table().Matches(html))
        {
            text.Append(Inline(html[at..table.Index]));
            text.Append('\n').Append(Columns(table.Value)).Append('\n');
            at = table.Index + table.Length;
        }
        text.Append(Inline(html[at..]));
        return BlankLines().Replace(text.ToString(), "\n\n").Trim('\n');
    }

    private static string Columns(string table)
    {
        var rows = Row().Matches(table).Select(r => CellTag().Matches(r.Value).Select(c => Inline(c.Groups[1].Value).Replace('\n', ' ').Trim()).ToArray())
            .Where(r => r.Length > 0).ToList();
        if (rows.Count == 0) return "";
        int columns = rows.Max(r => r.Length);
        var widths = Enumerable.Range(0, columns).Select(i => rows.Max(r => i < r.Length ? r[i].Length : 0)).ToArray();
        var lines = rows.Select(r => string.Join("  ", r.Select((c, i) => c.PadRight(widths[i]))).TrimEnd()).ToList();
        if (HeaderRow().IsMatch(table)) lines.Insert(1, string.Join("  ", widths.Select(w => new string('-', w))));
        return string.Join("\n", lines);
    }

    private static string Inline(string html) =>
        WebUtility.HtmlDecode(Tag().Replace(ListItem().Replace(Break().Replace(html, "\n"), "- "), "")).Replace("\r", "");

    [GeneratedRegex(@"<(script|style)\b[^>]*>.*?</\1\s*>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex Hidden();
    [GeneratedRegex(@"<details(?![^>]*\bopen\b)[^>]*>\s*<summary[^>]*>(.*?)</summary>(?:(?!<details\b).)*?</details\s*>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex ClosedDetails();
    [GeneratedRegex(@"<table\b.*?</table\s*>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex Table();
    [GeneratedRegex(@"<tr\b.*?</tr\s*>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex Row();
    [GeneratedRegex(@"<t[hd]\b[^>]*>(.*?)</t[hd]\s*>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex CellTag();
    [GeneratedRegex(@"<th\b", RegexOptions.IgnoreCase)]
    private static partial Regex HeaderRow();
    [GeneratedRegex(@"<br\s*/?>|</(p|div|li|h[1-6]|pre|tr)\s*>|<(ul|ol)\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex Break();
    [GeneratedRegex(@"<li\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex ListItem();
    [GeneratedRegex(@"<[^>]+>")]
    private static partial Regex Tag();
    [GeneratedRegex(@"\n\s*\n(\s*\n)+")]
    private static partial Regex BlankLines();
}
