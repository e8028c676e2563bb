using System.Text;
using Iced.Intel;

namespace JitNotebooks;

/// <summary>Which assembly syntax a <see cref="Listing"/> uses.</summary>
public enum ListingSyntax
{
    /// <summary>AT&amp;T, as objdump prints by default and the article uses: <c>mov    $0x1,%rax</c>.</summary>
    Att,
    /// <summary>Intel, as <c>objdump -M intel</c> prints: <c>mov    rax,0x1</c>.</summary>
    Intel,
}

/// <summary>What a listing line shows.</summary>
public enum ListingLineKind
{
    /// <summary>A decoded instruction.</summary>
    Instruction,
    /// <summary>Bytes after the code (shown as <c>.ascii</c> or <c>.byte</c>, never decoded).</summary>
    Data,
    /// <summary>Bytes that are no valid instruction: <c>(bad)</c>, or <c>.byte</c> for one cut off at the end.</summary>
    Invalid,
}

/// <summary>One line of a listing: where it is, its bytes, and what they mean.</summary>
/// <param name="Offset">Offset of the first byte from the start of the buffer.</param>
/// <param name="Bytes">The bytes this line covers.</param>
/// <param name="Text">The instruction as objdump prints it (with its <c># target</c> comment for RIP-relative operands), or the data directive.</param>
/// <param name="Kind">Instruction, data or invalid.</param>
public sealed record ListingLine(int Offset, byte[] Bytes, string Text, ListingLineKind Kind)
{
    /// <summary>The bytes in hex, space-separated: <c>48 c7 c0 01 00 00 00</c>.</summary>
    public string HexBytes => string.Join(" ", Bytes.Select(b => b.ToString("x2")));

    /// <summary>The line in the article's style: <c>15: 48 8d 35 03 00 00 00  lea    0x3(%rip),%rsi        # 0x1f</c>.</summary>
    public override string ToString() => $"{Offset:x}: {HexBytes}  {Text}";
}

/// <summary>
/// A disassembly in the article's style, <c>offset: bytes  instruction</c>, decoded by Iced and
/// formatted the way GNU objdump prints it. Bytes after the code are shown as data, not decoded
/// into garbage instructions; invalid bytes show as <c>(bad)</c> instead of throwing.
/// </summary>
public sealed class Listing
{
    private const int BytesPerDataLine = 16;

    private Listing(IReadOnlyList<ListingLine> lines, ListingSyntax syntax)
    {
        Lines = lines;
        Syntax = syntax;
    }

    /// <summary>The lines, in offset order; together they cover every byte exactly once.</summary>
    public IReadOnlyList<ListingLine> Lines { get; }

    /// <summary>The syntax the instructions are written in.</summary>
    public ListingSyntax Syntax { get; }

    /// <summary>
    /// Disassembles <paramref name="bytes"/> as 64-bit code, offsets counted from 0. The first
    /// <paramref name="codeLength"/> bytes (all of them if null) are decoded; the rest is data.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="codeLength"/> is negative or beyond the buffer.</exception>
    public static Listing Disassemble(byte[] bytes, int? codeLength = null, ListingSyntax syntax = ListingSyntax.Att)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        int code = codeLength ?? bytes.Length;
        if (code < 0 || code > bytes.Length)
            throw new ArgumentOutOfRangeException(nameof(codeLength), code,
                $"The code length {code} is outside the {bytes.Length} bytes given; pass a length from 0 to {bytes.Length} " +
                "(the offset where the code ends and data begins), or null to decode everything.");
        return Build(bytes, [(0, code, true), (code, bytes.Length - code, false)], syntax);
    }

    /// <summary>
    /// Disassembles a builder's bytes: up to its <see cref="CodeBuilder.CodeEnd"/> as code; after
    /// it, filler (<c>0xcc</c>, <c>int3</c>) is decoded and every data block is shown as data.
    /// </summary>
    public static Listing Disassemble(CodeBuilder builder, ListingSyntax syntax = ListingSyntax.Att)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var bytes = builder.ToArray();
        int code = builder.CodeEnd ?? bytes.Length;
        var regions = new List<(int, int, bool)> { (0, code, true) };
        regions.AddRange(builder.Roles.Where(r => r.Start >= code).Select(r => (r.Start, r.Length, r.Role != ByteRole.Data)));
        return Build(bytes, regions, syntax);
    }

    /// <summary>
    /// The listing as text, columns aligned like the article's listings:
    /// <c>15: 48 8d 35 03 00 00 00    lea    0x3(%rip),%rsi        # 0x1f</c>.
    /// </summary>
    public string ToText()
    {
        int offsetWidth = Lines.Select(l => l.Offset.ToString("x").Length).DefaultIfEmpty(1).Max() + 1;
        int bytesWidth = Lines.Where(l => l.Kind != ListingLineKind.Data).Select(l => l.HexBytes.Length).DefaultIfEmpty(0).Max();
        return string.Join("\n", Lines.Select(l =>
            $"{(l.Offset.ToString("x") + ":").PadRight(offsetWidth)} {l.HexBytes.PadRight(bytesWidth)}    {l.Text}".TrimEnd()));
    }

    /// <summary>The listing as a table (offset, bytes, instruction), for HTML output in a notebook.</summary>
    public TextTable ToTable()
    {
        var table = new TextTable("Offset", "Bytes", Syntax == ListingSyntax.Att ? "AT&T" : "Intel");
        foreach (var line in Lines) table.AddRow($"{line.Offset:x}", line.HexBytes, line.Text);
        return table;
    }

    /// <summary>Each line's (offset, text): comments for <see cref="WordPacking.ToGoSlice"/> and <see cref="WordPacking.ToCSharpArray"/>.</summary>
    public IReadOnlyList<(int Offset, string Comment)> AsComments() => Lines.Select(l => (l.Offset, l.Text)).ToArray();

    /// <summary>The text rendering (<see cref="ToText"/>).</summary>
    public override string ToString() => ToText();

    // ---- building --------------------------------------------------------------------------

    private static Listing Build(byte[] bytes, IEnumerable<(int Start, int Length, bool IsCode)> regions, ListingSyntax syntax)
    {
        var formatter = CreateFormatter(syntax);
        var lines = new List<ListingLine>();
        foreach (var (start, length, isCode) in regions.Where(r => r.Length > 0))
            lines.AddRange(isCode ? DecodeRegion(bytes, start, length, formatter) : DataLines(bytes, start, length));
        return new Listing(lines, syntax);
    }

    /// <summary>Iced's formatter, set up to print what objdump prints.</summary>
    internal static Formatter CreateFormatter(ListingSyntax syntax)
    {
        Formatter formatter = syntax == ListingSyntax.Att ? new GasFormatter() : new IntelFormatter();
        var o = formatter.Options;
        o.HexPrefix = "0x";                 // objdump: 0xc, never 0Ch
        o.HexSuffix = null;
        o.UppercaseHex = false;
        o.SmallHexNumbersInDecimal = false; // objdump: $0x1, not $1
        o.FirstOperandCharIndex = 7;        // objdump pads the mnemonic: "mov    "
        o.SpaceAfterOperandSeparator = false;
        o.RipRelativeAddresses = true;      // 0x3(%rip), with the target in a "# 0x1f" comment as objdump does
        o.ShowZeroDisplacements = true;     // an encoded zero displacement still prints: 0x0(%rip), the unpatched lea
        o.BranchLeadingZeros = false;       // jmp 0x20, not jmp 0x0000000000000020
        o.ShowBranchSize = false;           // no "short"/"near"
        return formatter;
    }

    private static IEnumerable<ListingLine> DecodeRegion(byte[] bytes, int start, int length, Formatter formatter)
    {
        int end = start + length, offset = start;
        var output = new StringOutput();
        while (offset < end)
        {
            // A fresh decoder per instruction lets decoding resume one byte after an invalid one.
            var decoder = Iced.Intel.Decoder.Create(64, new ByteArrayCodeReader(bytes, offset, end - offset), (ulong)offset);
            decoder.Decode(out var instr);
            if (decoder.LastError == DecoderError.NoMoreBytes)
            {
                // The last instruction is cut off by the end of the code: show its bytes raw, like objdump.
                var rest = bytes[offset..end];
                yield return new(offset, rest, ".byte " + string.Join(",", rest.Select(b => $"0x{b:x}")), ListingLineKind.Invalid);
                yield break;
            }
            if (instr.IsInvalid)
            {
                // objdump prints one "(bad)" per undecodable byte and carries on with the next.
                yield return new(offset, [bytes[offset]], "(bad)", ListingLineKind.Invalid);
                offset++;
                continue;
            }
            formatter.Format(instr, output);
            string text = output.ToStringAndReset();
            if (instr.IsIPRelativeMemoryOperand)
                text += $"        # 0x{instr.IPRelativeMemoryAddress:x}";
            yield return new(offset, bytes[offset..(offset + instr.Length)], text, ListingLineKind.Instruction);
            offset += instr.Length;
        }
    }

    private static IEnumerable<ListingLine> DataLines(byte[] bytes, int start, int length)
    {
        // Split into runs of text and non-text bytes, then cut runs into lines of at most 16 bytes.
        int offset = start, end = start + length;
        while (offset < end)
        {
            bool text = IsText(bytes[offset]);
            int runEnd = offset;
            while (runEnd < end && runEnd - offset < BytesPerDataLine && IsText(bytes[runEnd]) == text) runEnd++;
            var chunk = bytes[offset..runEnd];
            yield return new(offset, chunk, text ? Ascii(chunk) : ".byte " + string.Join(",", chunk.Select(b => $"0x{b:x}")),
                ListingLineKind.Data);
            offset = runEnd;
        }
    }

    // Escapes gas understands in .ascii strings.
    private static readonly Dictionary<byte, string> Escapes = new()
    {
        [0x00] = "\\0", [0x09] = "\\t", [0x0a] = "\\n", [0x0d] = "\\r", [(byte)'"'] = "\\\"", [(byte)'\\'] = "\\\\",
    };

    private static bool IsText(byte b) => b is >= 0x20 and < 0x7f || Escapes.ContainsKey(b);

    private static string Ascii(byte[] chunk)
    {
        var sb = new StringBuilder(".ascii \"");
        foreach (byte b in chunk) sb.Append(Escapes.TryGetValue(b, out var e) ? e : ((char)b).ToString());
        return sb.Append('"').ToString();
    }
}
