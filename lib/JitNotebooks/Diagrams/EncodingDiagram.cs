namespace JitNotebooks.Diagrams;

/// <summary>
/// Notebook 02's picture: the seven bytes of <c>mov $imm32,%r64</c>, with the REX and ModRM bytes
/// opened up bit by bit. Drawn from <see cref="MovImm32.Encode(Reg64, int)"/>'s fields.
/// </summary>
internal static class EncodingDiagram
{
    private const double Left = 40, ByteWidth = 46, ByteHeight = 34, BitWidth = 34, BitHeight = 26;
    private const double RexBitsLeft = 40, ModRmBitsLeft = 380;
    private const double BlockHeight = 265;
    private const double MonoCharWidth15 = 9.1; // DejaVu Sans Mono advances 0.6 em

    public static SvgDiagram Create(params (Reg64 Register, int Value)[] examples)
    {
        var svg = new Svg(900, (int)(60 + BlockHeight * examples.Length), "The REX and ModRM bytes of mov $imm32,%r64, bit by bit",
            "The seven bytes of " + string.Join(" and of ", examples.Select(e => MovImm32.Encode(e.Register, e.Value).Att.Replace("    ", " "))) +
            ": REX prefix, opcode C7, ModRM and a little-endian 32-bit immediate. Below each instruction the REX byte is split into " +
            "0100 W R X B and the ModRM byte into mod, reg and rm.");
        svg.Text(Left, 34, "mov $imm32,%r64: the REX and ModRM bytes, bit by bit", 18, bold: true);
        for (int i = 0; i < examples.Length; i++)
            DrawExample(svg, MovImm32.Encode(examples[i].Register, examples[i].Value), 60 + i * BlockHeight);
        return new SvgDiagram("rex-modrm", svg);
    }

    private static void DrawExample(Svg svg, MovImm32Encoding e, double top)
    {
        string att = e.Att.Replace("    ", " ");
        svg.Text(Left, top + 20, att, 15, mono: true, bold: true)
           .Text(Left + att.Length * MonoCharWidth15 + 16, top + 20,
               $"({e.Register.IntelName()} is register {e.Register.Number()} = {Bits(e.Register.Number(), 4)})", 13, fill: Svg.Muted);

        // The seven bytes, coloured by field, their names above them (the zoom lines leave from below).
        double y = top + 54;
        double labelY = y - 6;
        var roles = new[] { ByteRole.Rex, ByteRole.Opcode, ByteRole.ModRM, ByteRole.Immediate, ByteRole.Immediate, ByteRole.Immediate, ByteRole.Immediate };
        var bytes = e.Bytes;
        for (int b = 0; b < bytes.Length; b++)
            svg.Rect(Left + b * ByteWidth, y, ByteWidth, ByteHeight, Svg.RoleColours[roles[b]])
               .Text(Left + b * ByteWidth + ByteWidth / 2, y + 22, $"{bytes[b]:x2}", 15, "middle", mono: true);
        svg.Text(Left + ByteWidth / 2, labelY, "REX", 11, "middle")
           .Text(Left + 1.5 * ByteWidth, labelY, "opcode", 11, "middle")
           .Text(Left + 2.5 * ByteWidth, labelY, "ModRM", 11, "middle")
           .Text(Left + 5 * ByteWidth, labelY, "imm32, low byte first", 11, "middle");
        long asRegister = e.Immediate; // sign-extended, as the CPU does
        svg.Text(Left + 7 * ByteWidth + 20, y + 14, $"imm32 = 0x{unchecked((uint)e.Immediate):x8} = {e.Immediate}", 13, mono: true)
           .Text(Left + 7 * ByteWidth + 20, y + 32, $"{e.Register.IntelName()} receives 0x{unchecked((ulong)asRegister):x16} (sign-extended)", 12, fill: Svg.Muted);

        // Zoom lines from the two bytes to their bits.
        double bitsTop = y + ByteHeight + 42;
        Zoom(svg, Left, y + ByteHeight, RexBitsLeft, bitsTop);
        Zoom(svg, Left + 2 * ByteWidth, y + ByteHeight, ModRmBitsLeft, bitsTop);

        // REX = 0100 W R X B.
        string[] rexNames = ["0", "1", "0", "0", "W", "R", "X", "B"];
        bool[] rexFlags = [e.RexW, e.RexR, e.RexX, e.RexB];
        for (int bit = 0; bit < 8; bit++)
        {
            int value = (e.Rex >> (7 - bit)) & 1;
            bool flag = bit >= 4;
            bool set = flag && rexFlags[bit - 4];
            double x = RexBitsLeft + bit * BitWidth;
            svg.Rect(x, bitsTop, BitWidth, BitHeight, flag ? Svg.RoleColours[ByteRole.Rex] : "#f6f8fa")
               .Text(x + BitWidth / 2, bitsTop + 17, rexNames[bit], 12, "middle", bold: flag)
               .Rect(x, bitsTop + BitHeight, BitWidth, BitHeight, set ? "#fff8c5" : "#ffffff", strokeWidth: set ? 2 : 1)
               .Text(x + BitWidth / 2, bitsTop + BitHeight + 18, value.ToString(), 14, "middle", mono: true, bold: set);
        }
        double noteY = bitsTop + 2 * BitHeight + 20;
        svg.Text(RexBitsLeft, noteY, "0100: this byte is a REX prefix", 12, fill: Svg.Muted)
           .Text(RexBitsLeft, noteY + 17, $"W={B(e.RexW)}: 64-bit operand size", 12)
           .Text(RexBitsLeft, noteY + 34, e.RexB
               ? $"B=1: adds 8 to ModRM.rm (rm {Bits(e.Rm, 3)} + 8 = {e.Register.IntelName()})"
               : $"R=X=B=0: registers 0–7 need no extension", 12, bold: e.RexB, fill: e.RexB ? Svg.Accent : Svg.Ink);

        // ModRM = mod(2) reg(3) rm(3).
        (string Name, int Bits, int Value, string Meaning)[] fields =
        [
            ("mod", 2, e.Mod, $"{Bits(e.Mod, 2)}: the operand is a register"),
            ("reg", 3, e.RegField, $"{Bits(e.RegField, 3)}: the /0 of C7, not a register"),
            ("rm", 3, e.Rm, $"{Bits(e.Rm, 3)}: the low three bits of {e.Register.IntelName()}"),
        ];
        double fx = ModRmBitsLeft;
        for (int f = 0; f < fields.Length; f++)
        {
            var (name, width, value, meaning) = fields[f];
            svg.Rect(fx, bitsTop, width * BitWidth, BitHeight, Svg.RoleColours[ByteRole.ModRM])
               .Text(fx + width * BitWidth / 2, bitsTop + 17, name, 12, "middle", bold: true);
            string bits = Bits(value, width);
            for (int k = 0; k < width; k++)
                svg.Rect(fx + k * BitWidth, bitsTop + BitHeight, BitWidth, BitHeight, "#ffffff")
                   .Text(fx + k * BitWidth + BitWidth / 2, bitsTop + BitHeight + 18, bits[k].ToString(), 14, "middle", mono: true);
            svg.Text(ModRmBitsLeft, noteY + 17 * f, $"{name} = {meaning}", 12, bold: f == 2 && e.RexB, fill: f == 2 && e.RexB ? Svg.Accent : Svg.Ink);
            fx += width * BitWidth;
        }
    }

    private static void Zoom(Svg svg, double byteLeft, double byteBottom, double bitsLeft, double bitsTop) =>
        svg.Line(byteLeft, byteBottom, bitsLeft, bitsTop, Svg.Muted, 0.8, dashed: true)
           .Line(byteLeft + ByteWidth, byteBottom, bitsLeft + 8 * BitWidth, bitsTop, Svg.Muted, 0.8, dashed: true);

    private static string Bits(int value, int width) => Convert.ToString(value, 2).PadLeft(width, '0');

    private static int B(bool bit) => bit ? 1 : 0;
}
