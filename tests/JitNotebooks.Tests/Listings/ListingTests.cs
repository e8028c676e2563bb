using System.Diagnostics;
using System.Text.RegularExpressions;
using CsCheck;

namespace JitNotebooks.Tests.Listings;

public class ListingTests
{
    [Fact]
    public void Unpacked_program_reads_like_the_articles_listing()
    {
        // The article's final listing, with objdump's exact spacing ("$0x1,%rax", no space after the comma).
        Assert.Equal(
            "0:  48 c7 c0 01 00 00 00    mov    $0x1,%rax\n" +
            "7:  48 c7 c7 01 00 00 00    mov    $0x1,%rdi\n" +
            "e:  48 c7 c2 0c 00 00 00    mov    $0xc,%rdx\n" +
            "15: 48 8d 35 03 00 00 00    lea    0x3(%rip),%rsi        # 0x1f\n" +
            "1c: 0f 05                   syscall\n" +
            "1e: c3                      ret\n" +
            "1f: 48 65 6c 6c 6f 20 57 6f 72 6c 64 21    .ascii \"Hello World!\"",
            Listing.Disassemble(HelloWorldProgram.Unpacked()).ToText());
    }

    [Fact]
    public void Packed_program_shows_the_filler_as_int3_and_the_trailing_bytes_as_data()
    {
        Assert.Equal(
            "0:  48 c7 c0 01 00 00 00    mov    $0x1,%rax\n" +
            "7:  48 c7 c7 01 00 00 00    mov    $0x1,%rdi\n" +
            "e:  48 c7 c2 0c 00 00 00    mov    $0xc,%rdx\n" +
            "15: 48 8d 35 04 00 00 00    lea    0x4(%rip),%rsi        # 0x20\n" +
            "1c: 0f 05                   syscall\n" +
            "1e: c3                      ret\n" +
            "1f: cc                      int3\n" +
            "20: 48 65 6c 6c 6f 20 57 6f 72 6c 64 21    .ascii \"Hello World!\"\n" +
            "2c: 00 0a                   .ascii \"\\0\\n\"",
            Listing.Disassemble(HelloWorldProgram.Packed()).ToText());
    }

    [Fact]
    public void Unpatched_lea_points_at_the_next_instruction_not_at_itself()
    {
        // The article prints "lea 0x0(%rip),%rsi # 0x15"; RIP is the *next* instruction's address, so the target is 0x1c.
        var before = HelloWorldProgram.Unpacked().Report!.Before;
        var lea = Listing.Disassemble(before, codeLength: 0x1f).Lines[3];
        Assert.Equal("15: 48 8d 35 00 00 00 00  lea    0x0(%rip),%rsi        # 0x1c", lea.ToString());
    }

    [Fact]
    public void Intel_syntax_lines_match_objdump_M_intel()
    {
        var lines = Listing.Disassemble(HelloWorldProgram.Unpacked(), ListingSyntax.Intel).Lines;
        Assert.Equal(ListingSyntax.Intel, Listing.Disassemble(HelloWorldProgram.Unpacked(), ListingSyntax.Intel).Syntax);
        Assert.Equal(
            new[] { "mov    rax,0x1", "mov    rdi,0x1", "mov    rdx,0xc", "lea    rsi,[rip+0x3]        # 0x1f", "syscall", "ret", ".ascii \"Hello World!\"" },
            lines.Select(l => l.Text));
    }

    [Fact]
    public void Byte_array_with_code_length_shows_the_rest_as_data()
    {
        var packed = HelloWorldProgram.Packed().ToArray();
        var lines = Listing.Disassemble(packed, codeLength: 0x1f).Lines;
        Assert.Equal(6, lines.Count(l => l.Kind == ListingLineKind.Instruction));
        Assert.Equal(new[] { (0x1f, ".byte 0xcc"), (0x20, ".ascii \"Hello World!\\0\\n\"") },
            lines.Where(l => l.Kind == ListingLineKind.Data).Select(l => (l.Offset, l.Text)));
        Assert.Equal("1f: 48 65 6c 6c 6f 20 57 6f 72 6c 64 21  .ascii \"Hello World!\"",
            Listing.Disassemble(HelloWorldProgram.Unpacked().ToArray(), 0x1f).Lines[^1].ToString());
    }

    [Fact]
    public void Without_a_code_length_everything_is_decoded_as_objdump_D_would()
    {
        var lines = Listing.Disassemble(HelloWorldProgram.Unpacked().ToArray()).Lines;
        Assert.DoesNotContain(lines, l => l.Kind == ListingLineKind.Data);
        Assert.Contains(lines, l => l.Text == "jb     0x95"); // "ld" of "World" read as a branch, as objdump shows
    }

    [Fact]
    public void Long_and_binary_data_is_split_into_lines_of_at_most_16_bytes()
    {
        byte[] data = [.. Enumerable.Repeat((byte)'a', 20), 0x01, 0xff, (byte)'"', (byte)'\\', 0x09];
        var lines = Listing.Disassemble([0xc3, .. data], codeLength: 1).Lines;
        Assert.Equal(
            new[] { "ret", ".ascii \"aaaaaaaaaaaaaaaa\"", ".ascii \"aaaa\"", ".byte 0x1,0xff", ".ascii \"\\\"\\\\\\t\"" },
            lines.Select(l => l.Text));
        Assert.Equal(new[] { 0, 1, 17, 21, 23 }, lines.Select(l => l.Offset));
    }

    [Fact]
    public void Invalid_bytes_render_as_bad_and_decoding_resumes()
    {
        var lines = Listing.Disassemble([0x06, 0x07, 0x0f, 0x05, 0xc3]).Lines;
        Assert.Equal(new[] { "(bad)", "(bad)", "syscall", "ret" }, lines.Select(l => l.Text));
        Assert.Equal(new[] { ListingLineKind.Invalid, ListingLineKind.Invalid, ListingLineKind.Instruction, ListingLineKind.Instruction },
            lines.Select(l => l.Kind));
    }

    [Fact]
    public void An_instruction_cut_off_by_the_code_end_is_shown_raw()
    {
        var lines = Listing.Disassemble([0xc3, 0x48, 0xc7, 0xc0, 0x01], codeLength: 4).Lines;
        Assert.Equal(new[] { "ret", ".byte 0x48,0xc7,0xc0", ".byte 0x1" }, lines.Select(l => l.Text));
        Assert.Equal(ListingLineKind.Invalid, lines[1].Kind);
    }

    [Theory]
    [InlineData(47)]
    [InlineData(-1)]
    public void Code_length_outside_the_buffer_is_refused(int codeLength)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Listing.Disassemble(HelloWorldProgram.Packed().ToArray(), codeLength));
        Assert.Equal("codeLength", ex.ParamName);
        Assert.Contains("46 bytes", ex.Message);
    }

    [Fact]
    public void Any_bytes_disassemble_without_throwing_and_every_byte_is_shown_once()
    {
        Gen.Byte.Array[0, 64].SelectMany(b => Gen.Int[0, b.Length].Select(n => (b, n))).Sample(t =>
        {
            var listing = Listing.Disassemble(t.b, t.n);
            Assert.Equal(t.b, listing.Lines.SelectMany(l => l.Bytes).ToArray());
            int expected = 0;
            foreach (var line in listing.Lines)
            {
                Assert.Equal(expected, line.Offset);
                expected += line.Bytes.Length;
            }
            Assert.All(listing.Lines.Where(l => l.Offset >= t.n), l => Assert.Equal(ListingLineKind.Data, l.Kind));
        });
    }

    [Fact]
    public void Table_and_comments_carry_the_same_lines()
    {
        var listing = Listing.Disassemble(HelloWorldProgram.Packed());
        var table = listing.ToTable();
        Assert.Equal(new[] { "Offset", "Bytes", "AT&T" }, table.Headers);
        Assert.Equal(new[] { "15", "48 8d 35 04 00 00 00", "lea    0x4(%rip),%rsi        # 0x20" }, table.Rows[3]);
        Assert.Contains("<th>AT&amp;T</th>", table.ToHtml());
        Assert.Equal((0x1f, "int3"), listing.AsComments()[6]);
    }

    // ---- the real objdump, when the machine has it -------------------------------------------

    [Theory]
    [InlineData("att")]
    [InlineData("intel")]
    public void Instruction_lines_match_the_real_objdump(string syntax)
    {
        string? objdump = new[] { "/usr/bin/objdump", "/usr/local/bin/objdump" }.FirstOrDefault(File.Exists);
        if (objdump is null) return; // the fixed-string tests above still hold the expected output

        var b = new CodeBuilder();
        var back = b.CreateLabel("back");
        var data = b.CreateLabel("data");
        b.Bind(back);
        foreach (var reg in Reg64Facts.All)
            b.MovImm32(reg, -(int)reg * 1000).LeaRipRelative(reg, data);
        foreach (var cc in Enum.GetValues<JumpCondition>())
            b.Jcc(cc, back).Jcc(cc, data);
        var next = b.CreateLabel("next");
        b.LeaRipRelative(Reg64.Rsi, next).Bind(next); // displacement 0, like the article's unpatched lea
        b.Jmp(back).Call(data).Syscall().Emit(0x06).Ret().Int3().Bind(data).Ret();
        b.Patch();
        var bytes = b.ToArray();
        var ours = Listing.Disassemble(bytes, syntax: syntax == "att" ? ListingSyntax.Att : ListingSyntax.Intel).Lines;

        string file = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(file, bytes);
            var psi = new ProcessStartInfo(objdump, ["-D", "-b", "binary", "-m", "i386:x86-64", "-M", syntax, file])
            { RedirectStandardOutput = true };
            using var process = Process.Start(psi)!;
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            var theirs = output.Split('\n')
                .Select(l => Regex.Match(l, @"^\s*([0-9a-f]+):\t([0-9a-f ]+?)\s*\t(.*)$"))
                .Where(m => m.Success)
                .Select(m => (Convert.ToInt32(m.Groups[1].Value, 16), m.Groups[2].Value, m.Groups[3].Value.TrimEnd()))
                .ToList();
            Assert.Equal(theirs, ours.Select(l => (l.Offset, l.HexBytes, l.Text)));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
