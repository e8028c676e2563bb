using JitNotebooks.Verification;

namespace JitNotebooks.Diagrams;

/// <summary>
/// Notebook 03's picture: the Hello World program laid out in memory, and the RIP-relative arrow from
/// the end of the <c>lea</c> to the text. Offsets, bytes, roles and the displacement come from the
/// <see cref="CodeBuilder"/> that built the program.
/// </summary>
internal static class ProgramLayoutDiagram
{
    private const double StripLeft = 30, StripTop = 92, StripCell = 19.5, StripHeight = 24;
    private const double RowsTop = 190, RowHeight = 34, OffsetX = 40, CellsX = 100, Cell = 30, TextX = 490, ArrowX = 820;

    public static SvgDiagram Create(CodeBuilder program)
    {
        var fixup = program.Fixups.Single(f => f.Kind == FixupKind.RipRelativeLea);
        long target = fixup.Target.Offset ?? throw new ArgumentException("The program's lea must be patched.", nameof(program));
        int displacement = program.Report?.Patches.Single(p => p.Fixup == fixup).Displacement
                           ?? throw new ArgumentException("The program must be patched.", nameof(program));
        byte[] bytes = program.ToArray();
        var rows = Rows(program);

        var svg = new Svg(900, (int)(RowsTop + rows.Count * RowHeight + 70),
            "The Hello World program in memory, and where the lea's RIP-relative displacement points",
            $"The {bytes.Length} bytes of the program, first in one strip and then one instruction per row. The lea at 0x{fixup.InstructionOffset:x} " +
            $"ends at 0x{fixup.NextInstructionOffset:x}, which is what rip holds while it runs; its displacement {displacement} added to that " +
            $"gives 0x{target:x}, where the text starts.");
        svg.Text(StripLeft, 32, "Where the lea's displacement points", 18, bold: true)
           .Text(StripLeft, 54, $"rip counts from the end of the lea (0x{fixup.NextInstructionOffset:x}), not from its start (0x{fixup.InstructionOffset:x})", 13, fill: Svg.Muted);

        DrawStrip(svg, program, bytes, fixup, target, displacement);
        DrawRows(svg, rows, program.RoleRows().ToDictionary(r => r.Offset, r => r.Role), bytes, fixup, target, displacement);
        return new SvgDiagram("hello-world-layout", svg);
    }

    /// <summary>One row per instruction (as the library delimits them), then the data.</summary>
    private static List<(int Start, int End, string Text)> Rows(CodeBuilder program)
    {
        byte[] bytes = program.ToArray();
        int codeEnd = program.CodeEnd ?? bytes.Length;
        var starts = Verify.InstructionStarts(program, codeEnd).Append(codeEnd).ToList();
        var text = Listing.Disassemble(program).Lines.ToDictionary(l => l.Offset, l => l.Text);
        var rows = new List<(int, int, string)>();
        for (int i = 0; i + 1 < starts.Count; i++)
            rows.Add((starts[i], starts[i + 1], IcedText.WithoutComment(text[starts[i]])));
        foreach (var span in program.Roles.Where(r => r.Start >= codeEnd))
            rows.Add((span.Start, span.Start + span.Length, span.Role == ByteRole.Data ? $"{span.Owner} (data)" : span.Owner));
        return rows;
    }

    private static double StripX(long offset) => StripLeft + offset * StripCell;

    private static void DrawStrip(Svg svg, CodeBuilder program, byte[] bytes, Fixup fixup, long target, int displacement)
    {
        foreach (var row in program.RoleRows())
            svg.Rect(StripX(row.Offset), StripTop, StripCell, StripHeight, Svg.RoleColours[row.Role], strokeWidth: 0.6)
               .Text(StripX(row.Offset) + StripCell / 2, StripTop + 16, row.Hex, 9.5, "middle", mono: true);
        foreach (long offset in new long[] { 0, fixup.InstructionOffset, fixup.NextInstructionOffset, target, bytes.Length })
            svg.Line(StripX(offset), StripTop + StripHeight, StripX(offset), StripTop + StripHeight + 8, Svg.Muted, 0.8)
               .Text(StripX(offset), StripTop + StripHeight + 20, $"0x{offset:x}", 10, "middle", mono: true, fill: Svg.Muted);
        // The arc: from the end of the lea (rip) to the text.
        double x1 = StripX(fixup.NextInstructionOffset), x2 = StripX(target);
        svg.Path($"M {Svg.N(x1)} {Svg.N(StripTop - 2)} C {Svg.N(x1 + 8)} {Svg.N(StripTop - 30)}, {Svg.N(x2 - 8)} {Svg.N(StripTop - 30)}, {Svg.N(x2)} {Svg.N(StripTop - 3)}",
                Svg.Accent, 1.8, arrow: true)
           .Text(x2 + 10, StripTop - 16, $"rip 0x{fixup.NextInstructionOffset:x} + {displacement} = 0x{target:x}", 12, mono: true, fill: Svg.Accent);
    }

    private static double RowY(int row) => RowsTop + row * RowHeight;

    private static void DrawRows(Svg svg, List<(int Start, int End, string Text)> rows, IReadOnlyDictionary<int, ByteRole> roles, byte[] bytes, Fixup fixup, long target, int displacement)
    {
        svg.Text(OffsetX, RowsTop - 14, "offset", 11, fill: Svg.Muted)
           .Text(CellsX, RowsTop - 14, "bytes", 11, fill: Svg.Muted)
           .Text(TextX, RowsTop - 14, "instruction (AT&T)", 11, fill: Svg.Muted);
        for (int r = 0; r < rows.Count; r++)
        {
            var (start, end, text) = rows[r];
            double y = RowY(r);
            svg.Text(OffsetX, y + 21, $"0x{start:x}", 12, mono: true, fill: Svg.Muted);
            for (int i = start; i < end; i++)
                svg.Rect(CellsX + (i - start) * Cell, y + 4, Cell, RowHeight - 8, Svg.RoleColours[roles[i]], strokeWidth: 0.8)
                   .Text(CellsX + (i - start) * Cell + Cell / 2, y + 22, $"{bytes[i]:x2}", 12, "middle", mono: true);
            svg.Text(TextX, y + 22, text, 13, mono: true, bold: start == fixup.InstructionOffset);
        }

        // The displacement field, named beside the lea's row.
        int leaRow = rows.FindIndex(r => r.Start == fixup.InstructionOffset);
        double leaEnd = CellsX + (fixup.NextInstructionOffset - fixup.InstructionOffset) * Cell;
        svg.Text(leaEnd + 8, RowY(leaRow) + 21, $"← disp32 = {displacement}", 11, fill: Svg.Muted);

        // rip and the text, as two marked boundaries, and the arrow between them.
        int ripRow = rows.FindIndex(r => r.Start == fixup.NextInstructionOffset);
        int textRow = rows.FindIndex(r => r.Start == target);
        double ripY = RowY(ripRow), textY = RowY(textRow);
        svg.Line(CellsX - 6, ripY, ArrowX, ripY, Svg.Accent, 1.2, dashed: true)
           .Text(ArrowX - 4, ripY - 6, $"rip = 0x{fixup.NextInstructionOffset:x}: the end of the lea", 11, "end", fill: Svg.Accent)
           .Line(CellsX - 6, textY, ArrowX, textY, Svg.Good, 1.2, dashed: true)
           .Text(ArrowX - 4, textY - 6, $"0x{target:x}: the text starts here", 11, "end", fill: Svg.Good)
           .Line(ArrowX + 14, ripY, ArrowX + 14, textY - 2, Svg.Accent, 2, arrow: true)
           .Text(ArrowX + 22, (ripY + textY) / 2 + 4, $"+{displacement}", 14, mono: true, bold: true, fill: Svg.Accent);

        // The key to the colours.
        double keyY = RowY(rows.Count) + 30;
        double kx = OffsetX;
        foreach (var (role, name) in new[] { (ByteRole.Rex, "REX"), (ByteRole.Opcode, "opcode"), (ByteRole.ModRM, "ModRM"),
                     (ByteRole.Immediate, "immediate"), (ByteRole.Displacement, "displacement"), (ByteRole.Syscall, "syscall / ret"), (ByteRole.Data, "data") })
        {
            svg.Rect(kx, keyY - 11, 14, 14, Svg.RoleColours[role], strokeWidth: 0.8).Text(kx + 20, keyY, name, 11);
            kx += 28 + name.Length * 7;
        }
    }
}
