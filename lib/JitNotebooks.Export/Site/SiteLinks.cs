using System.Security.Cryptography;
using JitNotebooks.Export;
using System.Text.Json.Nodes;

namespace JitNotebooks.Export.Site;

/// <summary>
/// Rewrites links for the flat site: every page sits in the output folder, named after its
/// notebook (<c>03-lea….ipynb</c> → <c>03-lea….html</c>); a link to the README goes to the index.
/// </summary>
internal sealed class SiteLinks(string? readmePath)
{
    public string Rewrite(string url, string fromDirectory)
    {
        if (!IsRelative(url)) return url;
        var (path, tail) = Split(url);
        if (path.Length == 0) return url;
        if (path.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase))
            return Uri.EscapeDataString(Path.GetFileNameWithoutExtension(Uri.UnescapeDataString(path))) + ".html" + tail;
        string file = Path.GetFileName(Uri.UnescapeDataString(path));
        var workshop = SiteExporter.WorkshopFiles.FirstOrDefault(w => string.Equals(w.Source, file, StringComparison.OrdinalIgnoreCase));
        if (workshop.Page is not null)
            return workshop.Page + tail;
        if (readmePath is not null &&
            string.Equals(Path.GetFullPath(Path.Combine(fromDirectory, Uri.UnescapeDataString(path))), Path.GetFullPath(readmePath), StringComparison.Ordinal))
            return "index.html" + tail;
        return url;
    }

    /// <summary>True for a path relative to the page (not a scheme, not site-absolute, not an in-page anchor).</summary>
    public static bool IsRelative(string url) =>
        url.Length > 0 && url[0] is not ('#' or '/' or '\\') && !url.Contains(':');

    /// <summary>The path, and the query or fragment after it (kept as is).</summary>
    public static (string Path, string Tail) Split(string url)
    {
        int cut = url.IndexOfAny(['#', '?']);
        return cut < 0 ? (url, "") : (url[..cut], url[cut..]);
    }
}

/// <summary>Images the pages show: copied once into <c>media/</c>, or inlined when they are notebook attachments.</summary>
internal sealed class SiteMedia(string outDir)
{
    public const string Folder = "media";
    private readonly Dictionary<string, string> _copied = new(StringComparer.Ordinal); // source path → site url

    /// <summary>The URL the page uses for an image written as <paramref name="url"/> in <paramref name="source"/>.</summary>
    /// <exception cref="SiteExportException">A relative image or an attachment does not exist.</exception>
    public string ImageUrl(string url, MarkdownSource source)
    {
        if (url.StartsWith("attachment:", StringComparison.Ordinal))
            return Attachment(url["attachment:".Length..], source);
        if (!SiteLinks.IsRelative(url)) return url;
        var (path, _) = SiteLinks.Split(url);
        string full = Path.GetFullPath(Path.Combine(source.Directory, Uri.UnescapeDataString(path)));
        if (_copied.TryGetValue(full, out var done)) return done;
        if (!File.Exists(full))
            throw new SiteExportException(
                $"{source.Name}: the image '{url}' does not exist (looked for {full}). Fix the path in the markdown, or add the file.");
        Directory.CreateDirectory(Path.Combine(outDir, Folder));
        string name = Path.GetFileName(full), target = Path.Combine(outDir, Folder, name);
        if (File.Exists(target) && !File.ReadAllBytes(target).AsSpan().SequenceEqual(File.ReadAllBytes(full)))
        {
            // Two different images with one name (a/x.svg, b/x.svg): keep both, apart.
            name = $"{Path.GetFileNameWithoutExtension(name)}-{Hash(full)}{Path.GetExtension(name)}";
            target = Path.Combine(outDir, Folder, name);
        }
        File.Copy(full, target, overwrite: true);
        return _copied[full] = Folder + "/" + Uri.EscapeDataString(name);
    }

    private static string Attachment(string name, MarkdownSource source)
    {
        if (source.Attachments?[Uri.UnescapeDataString(name)] is not JsonObject bundle || bundle.Count == 0)
            throw new SiteExportException(
                $"{source.Name}: the markdown shows attachment:{name}, but the cell has no attachment of that name. Re-attach the image in the editor.");
        var (mime, data) = bundle.First();
        return OutputRenderer.DataUrl(mime, Notebooks.NotebookDocument.MultilineText(data));
    }

    private static string Hash(string path) =>
        Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)))[..8].ToLowerInvariant();
}
