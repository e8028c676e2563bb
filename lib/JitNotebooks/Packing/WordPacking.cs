using System.Buffers.Binary;
using System.Text;
using System.Text.RegularExpressions;

namespace JitNotebooks;

/// <summary>
/// Step 4 of the course: storing the program as 16-bit words, as the article's <c>[]uint16</c> does,
/// and getting the bytes back.
/// </summary>
/// <remarks>
/// The article writes each word with its <em>first</em> byte in the high half (<c>0x48c7</c> is
/// <c>48 c7</c>) and copies words back with <c>byte(w &gt;&gt; 8)</c> then <c>byte(w)</c>: that is
/// big-endian order, whatever the article calls it. An x86 CPU reading the same two bytes as a
/// <c>ushort</c> sees them the other way round (little-endian): <c>48 c7</c> is <c>0xc748</c>.
/// <see cref="ToWords"/> gives the article's view, <see cref="ToLittleEndianWords"/> the machine's.
/// A word holds two bytes, so an odd-length program must be padded first: <see cref="ToWords"/>
/// refuses odd lengths, <see cref="ToWordsPadded"/> appends one filler byte.
/// </remarks>
public static class WordPacking
{
    /// <summary>The article's filler, <c>0xcc</c>: <c>int3</c>, a breakpoint trap (not a no-op).</summary>
    public const byte Int3Filler = 0xCC;

    /// <summary>
    /// Packs bytes into words the article's way, first byte high: <c>word[i] = b[2i] &lt;&lt; 8 | b[2i+1]</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The length is odd; use <see cref="ToWordsPadded"/>.</exception>
    public static ushort[] ToWords(ReadOnlySpan<byte> bytes)
    {
        ThrowIfOdd(bytes, nameof(ToWords));
        var words = new ushort[bytes.Length / 2];
        for (int i = 0; i < words.Length; i++)
            words[i] = BinaryPrimitives.ReadUInt16BigEndian(bytes.Slice(2 * i, 2));
        return words;
    }

    /// <summary>Pads to an even length with <paramref name="filler"/> (if needed), then <see cref="ToWords"/>.</summary>
    public static ushort[] ToWordsPadded(ReadOnlySpan<byte> bytes, byte filler = Int3Filler) =>
        ToWords(PadToWord(bytes, filler));

    /// <summary>A copy of <paramref name="bytes"/> with one <paramref name="filler"/> byte appended if the length is odd.</summary>
    public static byte[] PadToWord(ReadOnlySpan<byte> bytes, byte filler = Int3Filler) =>
        bytes.Length % 2 == 0 ? bytes.ToArray() : [.. bytes, filler];

    /// <summary>Unpacks article-order words back into bytes: the high byte of each word first (the article's copy loop).</summary>
    public static byte[] ToBytes(ReadOnlySpan<ushort> words)
    {
        var bytes = new byte[words.Length * 2];
        for (int i = 0; i < words.Length; i++)
            BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(2 * i, 2), words[i]);
        return bytes;
    }

    /// <summary>
    /// The words an x86 CPU sees when it reads the bytes as <c>ushort</c>s (what
    /// <c>MemoryMarshal.Cast&lt;byte, ushort&gt;</c> gives there): first byte low, <c>word[i] = b[2i] | b[2i+1] &lt;&lt; 8</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The length is odd; pad it with <see cref="PadToWord"/> first.</exception>
    public static ushort[] ToLittleEndianWords(ReadOnlySpan<byte> bytes)
    {
        ThrowIfOdd(bytes, nameof(ToLittleEndianWords));
        var words = new ushort[bytes.Length / 2];
        for (int i = 0; i < words.Length; i++)
            words[i] = BinaryPrimitives.ReadUInt16LittleEndian(bytes.Slice(2 * i, 2));
        return words;
    }

    /// <summary>Turns little-endian words back into bytes (low byte of each word first).</summary>
    public static byte[] FromLittleEndianWords(ReadOnlySpan<ushort> words)
    {
        var bytes = new byte[words.Length * 2];
        for (int i = 0; i < words.Length; i++)
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2 * i, 2), words[i]);
        return bytes;
    }

    /// <summary>
    /// One row per word: its offset, its two bytes, the article's word and the machine's word,
    /// to show side by side why they differ. Odd lengths are padded with <see cref="Int3Filler"/>.
    /// </summary>
    public static TextTable CompareTable(ReadOnlySpan<byte> bytes)
    {
        var padded = PadToWord(bytes);
        var article = ToWords(padded);
        var machine = ToLittleEndianWords(padded);
        var table = new TextTable("Offset", "Bytes", "Article (high byte first)", "x86 ushort (low byte first)");
        for (int i = 0; i < article.Length; i++)
            table.AddRow($"0x{2 * i:x2}", $"{padded[2 * i]:x2} {padded[2 * i + 1]:x2}", $"0x{article[i]:x4}", $"0x{machine[i]:x4}");
        return table;
    }

    // ---- literals ------------------------------------------------------------------------

    /// <summary>
    /// Formats words as a C# array initializer: <c>ushort[] program = { 0x48c7, … };</c>, every
    /// word as four hex digits so both bytes show. With <paramref name="comments"/> (byte offset,
    /// text), a new line starts at each word that holds a commented offset, and the text follows
    /// as a <c>//</c> comment (a listing's lines make good comments).
    /// </summary>
    public static string ToCSharpArray(ReadOnlySpan<ushort> words, string name = "program",
        IEnumerable<(int Offset, string Comment)>? comments = null) =>
        Literal(words, comments, $"ushort[] {CheckName(name)} = {{", "    ", "};");

    /// <summary>
    /// Formats words as a Go slice literal like the article's: <c>printFunction := []uint16{ 0x48c7, … }</c>.
    /// Comments work as in <see cref="ToCSharpArray"/>.
    /// </summary>
    public static string ToGoSlice(ReadOnlySpan<ushort> words, string name = "printFunction",
        IEnumerable<(int Offset, string Comment)>? comments = null) =>
        Literal(words, comments, $"{CheckName(name)} := []uint16{{", "\t", "}");

    /// <summary>
    /// Reads the numbers back out of a C# or Go literal (or a bare comma-separated list): everything
    /// up to the first <c>{</c> and after the matching <c>}</c> is ignored, as are <c>//</c> and
    /// <c>/* */</c> comments. Numbers are hex (<c>0x48c7</c>) or decimal, each at most 0xFFFF.
    /// </summary>
    /// <exception cref="WordLiteralFormatException">A token is not a number, or a number exceeds 0xFFFF; the message gives line and column.</exception>
    public static ushort[] ParseWords(string literal)
    {
        ArgumentNullException.ThrowIfNull(literal);
        string code = BlankOutComments(literal); // same length, so positions still match the input
        int open = code.IndexOf('{');
        int start = open + 1, end = code.Length;
        if (open >= 0)
        {
            end = code.IndexOf('}', start);
            if (end < 0)
                throw new WordLiteralFormatException(literal, code.Length, "",
                    "the literal opens with '{' but never closes it; add the closing '}'.");
        }
        else if (code.IndexOf('}') is int stray and >= 0)
            throw new WordLiteralFormatException(literal, stray, "}", "there is a '}' without an opening '{'.");

        var words = new List<ushort>();
        int pos = start;
        while (pos <= end)
        {
            int comma = code.IndexOf(',', pos, end - pos);
            int stop = comma < 0 ? end : comma;
            string raw = code[pos..stop];
            string token = raw.Trim();
            int tokenPos = pos + (raw.Length - raw.TrimStart().Length);
            if (token.Length > 0) words.Add(ParseWord(literal, token, tokenPos));
            else if (comma >= 0 && code[(comma + 1)..end].Trim().Length > 0)
                throw new WordLiteralFormatException(literal, tokenPos, "",
                    "there is an empty element (two commas in a row); remove the extra comma.");
            if (comma < 0) break;
            pos = comma + 1;
        }
        return [.. words];
    }

    private static readonly Regex Hex = new("^0[xX][0-9a-fA-F]+$"), Decimal = new("^[0-9]+$");

    private static ushort ParseWord(string literal, string token, int position)
    {
        bool hex = Hex.IsMatch(token);
        if (!hex && !Decimal.IsMatch(token))
            throw new WordLiteralFormatException(literal, position, token,
                $"'{token}' is not a number; write each word in hex like 0x48c7 (or in decimal), separated by commas.");
        bool fits = hex
            ? ulong.TryParse(token.AsSpan(2), System.Globalization.NumberStyles.AllowHexSpecifier, null, out ulong value)
            : ulong.TryParse(token, out value);
        if (!fits || value > ushort.MaxValue)
            throw new WordLiteralFormatException(literal, position, token,
                $"{token} is larger than 0xFFFF, so it does not fit a 16-bit word; split it into words of two bytes each.");
        return (ushort)value;
    }

    // Replaces comment characters with spaces (keeping line breaks) so offsets stay valid for error messages.
    private static string BlankOutComments(string text)
    {
        var chars = text.ToCharArray();
        for (int i = 0; i < chars.Length - 1; i++)
        {
            string? closer = (chars[i], chars[i + 1]) switch { ('/', '/') => "\n", ('/', '*') => "*/", _ => null };
            if (closer is null) continue;
            int stop = text.IndexOf(closer, i + 2, StringComparison.Ordinal);
            stop = stop < 0 ? chars.Length : closer == "\n" ? stop : stop + 2;
            for (int j = i; j < stop; j++)
                if (chars[j] is not ('\n' or '\r')) chars[j] = ' ';
            i = stop - 1;
        }
        return new string(chars);
    }

    private const int WordsPerLine = 8;

    private static string Literal(ReadOnlySpan<ushort> words, IEnumerable<(int Offset, string Comment)>? comments,
        string head, string indent, string tail)
    {
        var all = words.ToArray();
        var lines = GroupLines(all.Length, comments);
        var texts = lines.Select(l => indent + string.Join(" ", all.Skip(l.First).Take(l.Count).Select(w => $"0x{w:x4},"))).ToList();
        int width = texts.Max(t => (int?)t.Length) ?? 0;
        var sb = new StringBuilder(head).Append('\n');
        for (int i = 0; i < lines.Count; i++)
            sb.Append(lines[i].Comment is { } c ? texts[i].PadRight(width) + " // " + c : texts[i]).Append('\n');
        return sb.Append(tail).ToString();
    }

    // Splits the words into lines: a new line at every word holding a commented byte offset,
    // and at most WordsPerLine words per line.
    private static List<(int First, int Count, string? Comment)> GroupLines(int wordCount, IEnumerable<(int Offset, string Comment)>? comments)
    {
        var byWord = new SortedDictionary<int, List<string>>();
        foreach (var (offset, comment) in comments ?? [])
        {
            if (offset < 0 || offset >= wordCount * 2)
                throw new ArgumentOutOfRangeException(nameof(comments), offset,
                    $"Comment \"{comment}\" is at byte offset {offset}, outside the {wordCount * 2} bytes of these words.");
            var list = byWord.TryGetValue(offset / 2, out var l) ? l : byWord[offset / 2] = [];
            list.Add(comment.ReplaceLineEndings(" "));
        }
        var lines = new List<(int, int, string?)>();
        int first = 0;
        while (first < wordCount)
        {
            int next = Math.Min(first + WordsPerLine, wordCount);
            int breakAt = byWord.Keys.FirstOrDefault(k => k > first && k < next, -1);
            if (breakAt > 0) next = breakAt;
            lines.Add((first, next - first, byWord.TryGetValue(first, out var c) ? string.Join("; ", c) : null));
            first = next;
        }
        return lines;
    }

    private static string CheckName(string name) => Regex.IsMatch(name ?? "", "^[A-Za-z_][A-Za-z0-9_]*$")
        ? name!
        : throw new ArgumentException($"\"{name}\" is not a valid variable name; use letters, digits and '_', not starting with a digit.", nameof(name));

    private static void ThrowIfOdd(ReadOnlySpan<byte> bytes, string method)
    {
        if (bytes.Length % 2 != 0)
            throw new ArgumentException(
                $"{method} needs an even number of bytes, but got {bytes.Length}: a 16-bit word holds two. " +
                $"Use ToWordsPadded(bytes) to append one 0xcc filler (int3), or PadToWord(bytes, filler) first.",
                nameof(bytes));
    }
}

/// <summary>A word literal that <see cref="WordPacking.ParseWords"/> cannot read; says where and why.</summary>
public sealed class WordLiteralFormatException : FormatException
{
    internal WordLiteralFormatException(string literal, int position, string token, string problem)
        : base(Describe(literal, position, problem))
    {
        Position = position;
        Token = token;
        (Line, Column) = LineAndColumn(literal, position);
    }

    /// <summary>The 0-based character index of the bad token in the input.</summary>
    public int Position { get; }

    /// <summary>The 1-based line of the bad token.</summary>
    public int Line { get; }

    /// <summary>The 1-based column of the bad token.</summary>
    public int Column { get; }

    /// <summary>The token that could not be read (empty when something is missing).</summary>
    public string Token { get; }

    private static (int Line, int Column) LineAndColumn(string text, int position)
    {
        int before = Math.Min(position, text.Length);
        int line = 1 + text.AsSpan(0, before).Count('\n');
        int lineStart = text.LastIndexOf('\n', Math.Max(0, before - 1)) + 1;
        if (before == 0) lineStart = 0;
        return (line, before - lineStart + 1);
    }

    private static string Describe(string literal, int position, string problem)
    {
        var (line, column) = LineAndColumn(literal, position);
        return $"Cannot read the word literal at line {line}, column {column}: {problem}";
    }
}
