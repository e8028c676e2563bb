using System.Text;

namespace JitNotebooks.Export.Workshop;

/// <summary>
/// The one-page cheat sheet (assets/cheatsheet.md), written from the library's own tables and
/// encoders, so it cannot say anything the code does not do. A test keeps the committed file
/// equal to <see cref="ToMarkdown"/> and prints it to check it fits one A4 page.
/// </summary>
public static class CheatSheet
{
    /// <summary>Where the cheat sheet lives, relative to the repository root.</summary>
    public const string RelativePath = "assets/cheatsheet.md";

    public static string ToMarkdown()
    {
        var md = new StringBuilder();
        md.Append("# JitNotebooks — cheat sheet\n\n");
        md.Append("*Generated from the course library by `JitNotebooks.Export.Workshop.CheatSheet`; a test keeps this page equal to the code. Do not edit by hand.*\n\n");
        SyscallRegisters(md);
        Columns(md, left => { RexAndModRM(left); WriteXorExecute(left); }, right => { Mov(right); Lea(right); });
        Program(md);
        SysV(md);
        return md.ToString();
    }

    /// <summary>
    /// Two blocks side by side on the printed page (site.css lays out <c>.cheat-columns</c> as a
    /// grid); on GitHub they simply follow each other. The blank lines keep the markdown inside
    /// the HTML blocks markdown.
    /// </summary>
    private static void Columns(StringBuilder md, Action<StringBuilder> left, Action<StringBuilder> right)
    {
        md.Append("<div class=\"cheat-columns\">\n<div>\n\n");
        left(md);
        md.Append("</div>\n<div>\n\n");
        right(md);
        md.Append("</div>\n</div>\n\n");
    }

    private static void SyscallRegisters(StringBuilder md)
    {
        md.Append("## Linux syscall registers (01)\n\n");
        md.Append(MarkdownTable.From(SyscallConvention.ArticleTable())).Append('\n');
        md.Append("Numbers (rax): ").Append(string.Join(", ", Syscall.All.Select(s => $"{s.Name} {s.Number}"))).Append(". ");
        md.Append("`syscall` overwrites ")
          .Append(string.Join("; ", SyscallConvention.Clobbered.Select(c => $"{c.Register.IntelName()}: {c.Why}")))
          .Append($". A result from {SyscallConvention.LowestErrorResult} to -1 is -errno.\n\n");
    }

    private static void RexAndModRM(StringBuilder md)
    {
        var rax = MovImm32.Encode(Reg64.Rax, 1);
        var r9 = MovImm32.Encode(Reg64.R9, 1);
        md.Append("## REX prefix and ModRM byte (02)\n\n");
        md.Append(MarkdownTable.From(["byte", "7", "6", "5", "4", "3", "2", "1", "0"],
        [
            ["REX", "0", "1", "0", "0", "W", "R", "X", "B"],
            ["ModRM", "mod", "mod", "reg", "reg", "reg", "rm", "rm", "rm"],
        ])).Append('\n');
        md.Append($"REX: W=1 selects 64-bit operands; R, X, B add a fourth bit to ModRM.reg, SIB.index, ModRM.rm (r8–r15). ")
          .Append($"{rax.Register.IntelName()} → {rax.Rex:x2}, {r9.Register.IntelName()} → {r9.Rex:x2}. ")
          .Append("ModRM: mod 11 = register operand; mod 00 with rm 101 = [rip + disp32].\n\n");
        var low3 = Enumerable.Range(0, 8).Select(i => Convert.ToString(i, 2).PadLeft(3, '0')).ToList();
        md.Append(MarkdownTable.From(["REX bit", .. low3],
        [
            ["0", .. Reg64Facts.All.Where(r => !r.NeedsRexBit()).Select(r => r.IntelName())],
            ["1", .. Reg64Facts.All.Where(r => r.NeedsRexBit()).Select(r => r.IntelName())],
        ])).Append('\n');
    }

    private static void Mov(StringBuilder md)
    {
        var mov = MovImm32.Encode(Reg64.Rdx, HelloWorldProgram.Message.Length);
        md.Append($"## `mov $imm32,%r64`: {mov.Bytes.Length} bytes (02)\n\n");
        md.Append(MarkdownTable.From(["field", "bytes", "meaning"], mov.Fields.Select(f => (IReadOnlyList<string>)[f.Field, MarkdownTable.Code(f.Bytes), f.Meaning])));
        md.Append('\n').Append(MarkdownTable.Code(mov.ToString().Replace("    ", "  "))).Append(": the immediate is sign-extended, so only -2³¹ … 2³¹-1 fit.\n\n");
    }

    private static void Lea(StringBuilder md)
    {
        var program = HelloWorldProgram.Packed();
        var patch = program.Report!.Patches.Single(p => p.Fixup.Kind == FixupKind.RipRelativeLea);
        var rows = program.RoleRows().Where(r => r.Offset >= patch.Fixup.InstructionOffset && r.Offset < patch.Fixup.NextInstructionOffset).ToList();
        var lea = Listing.Disassemble(program).Lines.Single(l => l.Offset == patch.Fixup.InstructionOffset);
        byte modrm = rows.Single(r => r.Role == ByteRole.ModRM).Value;
        var rsi = Reg64Facts.All.Single(r => r.Low3() == ((modrm >> 3) & 7) && !r.NeedsRexBit());
        md.Append($"## `lea disp32(%rip),%r64`: {rows.Count} bytes (03)\n\n");
        md.Append(MarkdownTable.From(["field", "bytes", "meaning"],
            rows.GroupBy(r => r.Role).Select(g => (IReadOnlyList<string>)[FieldName(g.Key), MarkdownTable.Code(string.Join(" ", g.Select(r => r.Hex))), g.Key switch
            {
                ByteRole.Rex => "REX.W (R=1 for r8–r15)",
                ByteRole.Opcode => "LEA r64, m",
                ByteRole.ModRM => $"mod={Convert.ToString(modrm >> 6, 2).PadLeft(2, '0')} reg={Convert.ToString((modrm >> 3) & 7, 2).PadLeft(3, '0')} ({rsi.IntelName()}) rm={Convert.ToString(modrm & 7, 2).PadLeft(3, '0')} (rip+disp32)",
                ByteRole.Displacement => $"0x{patch.TargetOffset:x} (target) − 0x{patch.Fixup.NextInstructionOffset:x} (next instruction) = {patch.Displacement}",
                _ => "",
            }])));
        md.Append('\n').Append(MarkdownTable.Code($"{lea.HexBytes}  {lea.Text}".Replace("        #", " #").Replace("    ", " "))).Append(
            ": emitted with a zero placeholder, patched once the data's offset is known. RIP counts from the *next* instruction.\n\n");
    }

    private static string FieldName(ByteRole role) => role switch
    {
        ByteRole.Rex => "REX",
        ByteRole.Opcode => "opcode",
        ByteRole.Displacement => "disp32",
        _ => role.ToString(),
    };

    private static void Program(StringBuilder md)
    {
        md.Append("## The program, packed (03–04)\n\n```text\n")
          .Append(Listing.Disassemble(HelloWorldProgram.Packed()).ToText().TrimEnd())
          .Append("\n```\n\n`cc` is `int3` (a trap), not a no-op; `00 0a` is stored but never written (rdx = 12).\n\n");
    }

    private static void SysV(StringBuilder md)
    {
        md.Append("## Function calls (System V) and syscalls (07)\n\n");
        md.Append(MarkdownTable.From(["role", "function call", "syscall"],
            SysVConvention.Rows.Where(r => r.Role != "how").Select(r => (IReadOnlyList<string>)[r.Role, r.FunctionCall, r.Syscall])));
        md.Append('\n').Append("Callee-saved: ").Append(string.Join(" ", SysVConvention.CalleeSaved.Select(r => r.IntelName())))
          .Append($" (and rsp); rsp is a multiple of {SysVConvention.StackAlignment} at every `call`.\n\n");
    }

    private static void WriteXorExecute(StringBuilder md)
    {
        const Protection writable = Protection.Read | Protection.Write, executable = Protection.Read | Protection.Execute;
        md.Append("## W^X: running bytes you wrote (05–06)\n\n");
        md.Append($"1. `mmap` (syscall {Syscall.Mmap.Number}) anonymous private pages with PROT_READ\\|PROT_WRITE ({(int)writable}): `{Perms(writable)}p` in /proc/self/maps. Whole pages only.\n");
        md.Append("2. Copy the bytes in (and patch them).\n");
        md.Append($"3. `mprotect` (syscall {Syscall.Mprotect.Number}) to PROT_READ\\|PROT_EXEC ({(int)executable}): `{Perms(executable)}p`. Never writable and executable at once.\n");
        md.Append("4. Call the address as `delegate* unmanaged<…>`, capturing fd 1 if the code writes to it.\n");
        md.Append($"5. `munmap` (syscall {Syscall.Munmap.Number}) when done.\n\n");
    }

    // As /proc/self/maps prints a protection: r, w, x or '-'.
    private static string Perms(Protection p) =>
        $"{((p & Protection.Read) != 0 ? 'r' : '-')}{((p & Protection.Write) != 0 ? 'w' : '-')}{((p & Protection.Execute) != 0 ? 'x' : '-')}";
}
