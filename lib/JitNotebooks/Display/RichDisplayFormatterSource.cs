namespace JitNotebooks.Display;

/// <summary>
/// The kernel's convention-based formatter source for every <see cref="IRichDisplay"/>: one
/// formatter per MIME type. Matched by shape (a <c>CreateTypeFormatters</c> method returning
/// objects with <c>MimeType</c> and <c>Format(object, TextWriter)</c>), not by interface.
/// </summary>
internal sealed class RichDisplayFormatterSource
{
    /// <summary>The MIME types every rich value is shown in, richest first.</summary>
    public static readonly string[] MimeTypes = [HtmlMimeType, TextMimeType];

    public const string HtmlMimeType = "text/html";
    public const string TextMimeType = "text/plain";

    public IEnumerable<object> CreateTypeFormatters() =>
        [new MimeFormatter(HtmlMimeType, d => d.ToHtml()), new MimeFormatter(TextMimeType, d => d.ToText())];

    /// <summary>One MIME type's formatter, in the shape the kernel looks for.</summary>
    internal sealed class MimeFormatter(string mimeType, Func<IRichDisplay, string> render)
    {
        public string MimeType { get; } = mimeType;

        public bool Format(object instance, TextWriter writer)
        {
            if (instance is not IRichDisplay value) return false;
            writer.Write(render(value));
            return true;
        }
    }
}
