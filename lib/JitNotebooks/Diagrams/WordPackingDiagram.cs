namespace JitNotebooks.Diagrams;

/// <summary>
/// Notebook 04's picture: the same bytes read as 16-bit words two ways, the article's (first byte
/// high) and the x86 CPU's (first byte low), and where the <c>int3</c> filler puts the text on a word
/// boundary. Bytes, roles and words come from <see cref="HelloWorldProgram.Packed"/> and <see cref="WordPacking"/>.
/// </summary>
internal static class WordPackingDiagram
{
    private const double Left = 30, Cell = 46, CellHeight = 34, WordGap = 14;
    private const int Shown = 8; // bytes per strip: four words

    public static SvgDiagram Create(CodeBuilder program)
    {
        byte[] bytes = program.ToArray();
        var roles = program.RoleRows().ToDictionary(r => r.Offset, r => r.Role);
        int codeEnd = program.CodeEnd ?? throw new ArgumentException("The program must mark its code end.", nameof(program));
        int text = codeEnd + 1; // the filler takes the one byte after ret
        int tail = codeEnd - 3;  // syscall, ret, filler, then the text: a word-aligned window of eight bytes

        var svg = new Svg(900, 440, "The same bytes as 16-bit words: the article's order and the x86 order",
            $"Top: the program's first {Shown} bytes in pairs; the article writes each pair with its first byte high " +
            $"({Words(WordPacking.ToWords(bytes.AsSpan(0, Shown)))}), an x86 CPU reads a ushort with its first byte low " +
            $"({Words(WordPacking.ToLittleEndianWords(bytes.AsSpan(0, Shown)))}). Bottom: bytes 0x{tail:x}-0x{tail + Shown - 1:x}: syscall, ret, " +
            $"the int3 filler at 0x{codeEnd:x}, and the text from 0x{text:x}, a word boundary.");
        svg.Text(Left, 32, "One row of bytes, two ways to make 16-bit words", 18, bold: true)
           .Text(Left, 54, "Memory holds bytes; a word is two of them. Which one becomes the high half is a choice.", 13, fill: Svg.Muted);

        double top = 84;
        Strip(svg, bytes, roles, 0, top);
        WordRow(svg, top + CellHeight + 34, "the article's uint16 (first byte high)", WordPacking.ToWords(bytes.AsSpan(0, Shown)), Svg.Accent);
        WordRow(svg, top + CellHeight + 62, "an x86 ushort (first byte low)", WordPacking.ToLittleEndianWords(bytes.AsSpan(0, Shown)), Svg.Good);
        svg.Text(Left, top + CellHeight + 92, "The article's copy loop writes w >> 8 first, then w: it takes each word apart high byte first, " +
                                              "so the bytes come out in their original order.", 12, fill: Svg.Muted);

        double second = 300;
        svg.Text(Left, second - 22, $"The end of the code: one filler byte moves the text from 0x{codeEnd:x} to 0x{text:x}", 14, bold: true);
        Strip(svg, bytes, roles, tail, second);
        string[] labels = ["syscall", "", "ret", "int3 filler", "the text: \"Hello World!\" …"];
        svg.Text(X(0) + Cell, second + CellHeight + 22, labels[0], 11, "middle", fill: Svg.Muted); // syscall is two bytes
        for (int i = 2; i < 4; i++)
            svg.Text(X(i) + Cell / 2, second + CellHeight + 22, labels[i], 11, "middle", fill: roles[tail + i] == ByteRole.Filler ? Svg.Danger : Svg.Muted);
        svg.Text(X(4), second + CellHeight + 22, labels[4], 11, fill: Svg.Muted)
           .Line(X(4) - WordGap / 2, second - 8, X(4) - WordGap / 2, second + CellHeight + 28, Svg.Good, 1.6, dashed: true)
           .Text(X(4) - WordGap / 2 + 6, second + CellHeight + 40, $"0x{text:x}: the text starts on a word boundary", 11.5, fill: Svg.Good)
           .Text(Left, second + CellHeight + 74, $"ret at 0x{codeEnd - 1:x} returns before the CPU reaches 0x{codeEnd:x}, so the filler never runs. " +
                                                 $"If it did, 0x{WordPacking.Int3Filler:x2} (int3) would stop with a trap.", 12, fill: Svg.Muted);
        return new SvgDiagram("word-packing", svg);
    }

    /// <summary>Where byte <paramref name="i"/> of a strip starts: pairs sit together, words apart.</summary>
    private static double X(int i) => Left + i * Cell + (i / 2) * WordGap;

    private static void Strip(Svg svg, byte[] bytes, IReadOnlyDictionary<int, ByteRole> roles, int start, double top)
    {
        for (int i = 0; i < Shown; i++)
        {
            int offset = start + i;
            svg.Rect(X(i), top, Cell, CellHeight, Svg.RoleColours[roles[offset]], strokeWidth: 0.8)
               .Text(X(i) + Cell / 2, top + 23, bytes[offset].ToString("x2"), 15, "middle", mono: true)
               .Text(X(i) + Cell / 2, top - 6, $"0x{offset:x}", 10, "middle", mono: true, fill: Svg.Muted);
        }
        // A bracket under each pair: one 16-bit word.
        for (int w = 0; w < Shown / 2; w++)
            svg.Path($"M {Svg.N(X(2 * w) + 2)} {Svg.N(top + CellHeight + 4)} L {Svg.N(X(2 * w) + 2)} {Svg.N(top + CellHeight + 9)} " +
                     $"L {Svg.N(X(2 * w) + 2 * Cell - 2)} {Svg.N(top + CellHeight + 9)} L {Svg.N(X(2 * w) + 2 * Cell - 2)} {Svg.N(top + CellHeight + 4)}",
                     Svg.Muted, 1);
    }

    private static void WordRow(Svg svg, double y, string label, ushort[] words, string colour)
    {
        for (int w = 0; w < words.Length; w++)
            svg.Text(X(2 * w) + Cell, y, $"0x{words[w]:x4}", 15, "middle", mono: true, bold: true, fill: colour);
        svg.Text(X(Shown) + 4, y, label, 12.5, fill: colour);
    }

    private static string Words(IEnumerable<ushort> words) => string.Join(", ", words.Select(w => $"0x{w:x4}"));
}
