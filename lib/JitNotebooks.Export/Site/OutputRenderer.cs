using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using JitNotebooks.Export.Notebooks;

namespace JitNotebooks.Export.Site;

/// <summary>
/// One cell's outputs as HTML: streams as text, rich outputs in the richest form a browser shows
/// (HTML, then SVG, PNG, JPEG, markdown, JSON, plain text — Jupyter's own order), errors as one
/// readable line with the stack trace folded away.
/// </summary>
internal static partial class OutputRenderer
{
    /// <summary>MIME types in the order a page prefers them.</summary>
    public static readonly string[] Preference =
        ["text/html", "image/svg+xml", "image/png", "image/jpeg", "image/gif", "text/markdown", "application/json", "text/plain"];

    /// <summary>
    /// The .NET Interactive kernel's first output in a notebook: a script that probes for the
    /// kernel's HTTP server (fetches to localhost). It belongs to the live editor, not to the lesson,
    /// and would send requests from an offline page, so the site leaves it out.
    /// </summary>
    public static bool IsKernelPlumbing(JsonObject output) =>
        output["data"]?["text/html"] is { } html && NotebookDocument.MultilineText(html).Contains("dotnet-interactive-this-cell", StringComparison.Ordinal);

    public static string Render(IReadOnlyList<JsonObject> outputs, Func<string, string> markdownToHtml)
    {
        var html = new StringBuilder();
        // Consecutive stream outputs of one stream read as one block, as in Jupyter.
        for (int i = 0; i < outputs.Count; i++)
        {
            var output = outputs[i];
            string type = output["output_type"]?.GetValue<string>() ?? "";
            if (type == "stream")
            {
                string name = output["name"]?.GetValue<string>() ?? "stdout";
                var text = new StringBuilder(NotebookDocument.MultilineText(output["text"]));
                while (i + 1 < outputs.Count && outputs[i + 1]["output_type"]?.GetValue<string>() == "stream" &&
                       (outputs[i + 1]["name"]?.GetValue<string>() ?? "stdout") == name)
                    text.Append(NotebookDocument.MultilineText(outputs[++i]["text"]));
                html.Append(Stream(name, text.ToString()));
            }
            else if (type is "display_data" or "execute_result" or "update_display_data")
            {
                if (!IsKernelPlumbing(output)) html.Append(Rich(output, markdownToHtml));
            }
            else if (type == "error")
                html.Append(Error(output));
        }
        return html.ToString();
    }

    private static string Stream(string name, string text) =>
        $"<pre class=\"output stream {(name == "stderr" ? "stderr" : "stdout")}\">{WebUtility.HtmlEncode(StripAnsi(text).TrimEnd('\n'))}</pre>\n";

    private static string Rich(JsonObject output, Func<string, string> markdownToHtml)
    {
        if (output["data"] is not JsonObject data) return "";
        string? mime = Preference.FirstOrDefault(data.ContainsKey);
        if (mime is null) return "";
        string value = NotebookDocument.MultilineText(data[mime]);
        string alt = WebUtility.HtmlEncode(NotebookDocument.MultilineText(data["text/plain"]).Trim());
        string inner = mime switch
        {
            "text/html" => value,
            "image/svg+xml" or "image/png" or "image/jpeg" or "image/gif" => $"<img src=\"{DataUrl(mime, value)}\" alt=\"{alt}\"{Size(output, mime)}>",
            "text/markdown" => markdownToHtml(value),
            "application/json" => $"<pre>{WebUtility.HtmlEncode(data[mime]!.ToJsonString(new() { WriteIndented = true }))}</pre>",
            _ => $"<pre>{WebUtility.HtmlEncode(StripAnsi(value).TrimEnd('\n'))}</pre>",
        };
        string kind = mime == "text/html" ? "html" : mime.StartsWith("image/", StringComparison.Ordinal) ? "image" : "text";
        return $"<div class=\"output {kind}\">{inner}</div>\n";
    }

    /// <summary>
    /// The kernel's error: ename is often just "Error" and evalue the whole exception text, stack
    /// trace included. The page shows the first line (type and message) and folds the rest.
    /// </summary>
    private static string Error(JsonObject output)
    {
        string ename = output["ename"]?.GetValue<string>() ?? "Error";
        string evalue = StripAnsi(output["evalue"]?.GetValue<string>() ?? "");
        var traceback = output["traceback"] is JsonArray t ? StripAnsi(string.Join("\n", t.Select(l => l?.GetValue<string>() ?? ""))) : "";
        string firstLine = evalue.Split('\n', 2)[0].Trim();
        string headline = ename == "Error" || firstLine.StartsWith(ename, StringComparison.Ordinal) || firstLine.Length == 0
            ? (firstLine.Length == 0 ? ename : firstLine)
            : $"{ename}: {firstLine}";
        string details = traceback.Length > 0 ? traceback : evalue;
        // Only worth folding away when there is more than the headline.
        string more = details.Trim() == headline ? "" :
            $"<details><summary>Details (stack trace)</summary><pre>{WebUtility.HtmlEncode(details.TrimEnd())}</pre></details>";
        return $"<div class=\"output error\"><p class=\"error-line\"><strong>Error:</strong> {WebUtility.HtmlEncode(headline)}</p>{more}</div>\n";
    }

    /// <summary>A data: URL for an image output (nbformat stores SVG as text, the others as base64).</summary>
    public static string DataUrl(string mime, string value) => mime == "image/svg+xml"
        ? "data:image/svg+xml;base64," + Convert.ToBase64String(Encoding.UTF8.GetBytes(value))
        : $"data:{mime};base64,{WhiteSpace().Replace(value, "")}";

    private static string Size(JsonObject output, string mime)
    {
        var meta = output["metadata"]?[mime] as JsonObject;
        string s = "";
        if (meta?["width"] is JsonValue w) s += $" width=\"{w}\"";
        if (meta?["height"] is JsonValue h) s += $" height=\"{h}\"";
        return s;
    }

    public static string StripAnsi(string text) => Ansi().Replace(text, "");

    [GeneratedRegex(@"\x1b\[[0-9;]*[A-Za-z]")]
    private static partial Regex Ansi();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();
}
