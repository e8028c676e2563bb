using System.Text.RegularExpressions;

namespace JitNotebooks.Verification;

/// <summary>
/// Instructions as text for verdicts: the listings' objdump-style AT&amp;T (<c>mov $0x1,%rax</c>),
/// with runs of spaces collapsed, so a notebook can name the instruction it expects in one string.
/// </summary>
internal static partial class IcedText
{
    /// <summary>Each decoded instruction's text, keyed by its offset.</summary>
    public static Dictionary<int, string> ByOffset(byte[] code) =>
        Listing.Disassemble(code).Lines.ToDictionary(l => l.Offset, l => Tidy(l.Text));

    /// <summary>The listing's text with spaces collapsed; the <c># 0x1f</c> target comment stays.</summary>
    public static string Tidy(string text) => Spaces().Replace(text.Trim(), " ");

    /// <summary>The text without the listing's <c># 0x1f</c> target comment (wrong when the bytes were decoded away from their offset).</summary>
    public static string WithoutComment(string text)
    {
        int comment = text.IndexOf('#');
        return Tidy(comment >= 0 ? text[..comment] : text);
    }

    /// <summary>
    /// The form two instruction texts are compared in: no target comment, no case, no spaces
    /// except the one after the mnemonic, so <c>"lea 0x3(%rip), %rsi"</c> matches the listing's
    /// <c>lea    0x3(%rip),%rsi        # 0x1f</c>.
    /// </summary>
    public static string Comparable(string text)
    {
        int comment = text.IndexOf('#');
        string body = (comment >= 0 ? text[..comment] : text).Trim().ToLowerInvariant();
        int space = body.IndexOfAny([' ', '\t']);
        return space < 0 ? body : body[..space] + " " + Spaces().Replace(body[space..], "");
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
