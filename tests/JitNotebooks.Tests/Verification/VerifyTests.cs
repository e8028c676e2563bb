using Iced.Intel;
using JitNotebooks.Compiler;
using JitNotebooks.Verification;

namespace JitNotebooks.Tests.Verification;

/// <summary>Each Verify call: a one-line ✓ verdict when the check holds, a short ✗ exception when it does not.</summary>
public class VerifyTests
{
    private static string Fails(Func<Verdict> check)
    {
        var e = Assert.Throws<VerificationFailedException>(() => check());
        Assert.False(e.Verdict.Passed);
        Assert.StartsWith("✗ ", e.Message);
        return e.Message;
    }

    [Fact]
    public void A_failure_prints_as_its_verdict_line_only_with_no_stack_and_no_path()
    {
        var e = Assert.Throws<VerificationFailedException>(() => Verify.Equal(1, 2, "one"));
        Assert.Equal("✗ one is 1, expected 2", e.ToString());
        Assert.Equal("", e.StackTrace);
        Assert.Contains("Verify", e.LibraryStackTrace); // kept for whoever debugs the library
        Assert.DoesNotContain("/", e.ToString());
    }

    [Fact]
    public void A_verdict_is_one_line_of_text_and_one_element_of_html()
    {
        var verdict = Verify.That(true, "a <b> & c");
        Assert.Equal("✓ a <b> & c", verdict.ToText());
        Assert.Equal(verdict.ToText(), verdict.ToString());
        Assert.Equal("<div class=\"jitnb-verdict\" style=\"font-family:monospace;color:#1a7f37\">✓ a &lt;b&gt; &amp; c</div>", verdict.ToHtml());
        Assert.Equal("✓ two lines", Verify.That(true, "two\nlines").ToText());
    }

    // ---- WithIced ------------------------------------------------------------------------------------

    [Fact]
    public void WithIced_reads_bytes_and_compares_them_with_the_expected_instructions()
    {
        byte[] code = [0x48, 0xc7, 0xc0, 0x01, 0x00, 0x00, 0x00, 0x0f, 0x05, 0xc3];
        Assert.Equal("✓ Iced decodes 3 instructions: mov $0x1,%rax; syscall; ret", Verify.WithIced(code).ToText());
        Assert.Equal("✓ Iced reads 3 instructions as expected: mov $0x1,%rax; syscall; ret",
            Verify.WithIced(code, "MOV $0x1, %RAX", "syscall", "ret").ToText()); // case and spaces do not matter
        Assert.Equal("✗ instruction 1 at 0x0: Iced reads \"mov $0x1,%rax\", expected \"mov $0x1,%rdi\"",
            Fails(() => Verify.WithIced(code, "mov $0x1,%rdi", "syscall", "ret")));
        Assert.Contains("Iced reads 3 instructions (mov $0x1,%rax; syscall; ret), expected 2", Fails(() => Verify.WithIced(code, "mov $0x1,%rax", "syscall")));
        Assert.Contains("cannot decode the bytes at 0x0 (0f ff)", Fails(() => Verify.WithIced([0x0f, 0xff])));
        Assert.Contains("no bytes", Fails(() => Verify.WithIced([])));
    }

    [Fact]
    public void WithIced_ignores_the_rip_relative_target_comment_when_comparing()
    {
        byte[] lea = [0x48, 0x8d, 0x35, 0x03, 0x00, 0x00, 0x00];
        Assert.Contains("lea 0x3(%rip),%rsi # 0xa", Verify.WithIced(lea, "lea 0x3(%rip),%rsi").ToText());
    }

    [Fact]
    public void WithIced_on_a_builder_checks_boundaries_reencoding_jumps_and_labels()
    {
        var verdict = Verify.WithIced(HelloWorldProgram.Unpacked());
        Assert.Equal("✓ Iced agrees with the library: 6 instructions in 31 bytes, then 12 bytes of data; lea reaches message at 0x1f", verdict.ToText());
        Assert.Contains("all 2 patched placeholders reach their labels", Verify.WithIced(SampleFunctions.SumTo()).ToText());
        Assert.Contains("they read as expected: mov %rdi,%rax; add %rsi,%rax; ret",
            Verify.WithIced(SampleFunctions.Add(), "mov %rdi,%rax", "add %rsi,%rax", "ret").ToText());
    }

    [Fact]
    public void WithIced_on_a_builder_refuses_an_unpatched_program()
    {
        var b = new CodeBuilder();
        var label = b.CreateLabel("x");
        b.LeaRipRelative(Reg64.Rsi, label).Ret().Bind(label);
        Assert.Equal("✗ the program still has 1 zero placeholder; call Patch() before checking it", Fails(() => Verify.WithIced(b)));
    }

    [Fact]
    public void WithIced_on_a_builder_catches_bytes_that_are_not_what_the_library_says()
    {
        // The library is told "one instruction"; Iced reads the bytes as two (48 31 c0 = xor; c3 = ret).
        var merged = new CodeBuilder().Emit(ByteRole.Other, "xor %rax,%rax and ret", 0x48, 0x31, 0xc0, 0xc3);
        Assert.Contains("Iced starts an instruction at 0x3 (\"ret\") inside the library's \"xor %rax,%rax and ret\"", Fails(() => Verify.WithIced(merged)));

        // The library is told "two instructions"; Iced reads one 7-byte mov across the boundary.
        var split = new CodeBuilder().Emit(ByteRole.Other, "first", 0x48, 0xc7, 0xc0).Emit(ByteRole.Other, "second", 0x01, 0x00, 0x00, 0x00);
        Assert.Contains("the library starts an instruction at 0x3 (\"second\"), but Iced reads \"mov $0x1,%rax\" across it, from 0x0",
            Fails(() => Verify.WithIced(split)));
    }

    [Fact]
    public void WithIced_on_a_builder_catches_a_non_canonical_encoding_and_a_jump_into_an_instruction()
    {
        // 48 8b c7 is mov %rdi,%rax too, but in the 8b direction; Iced re-encodes that with 8b: same bytes. A redundant
        // prefix is not: 40 90 is a REX-prefixed nop that Iced encodes as 90.
        var redundant = new CodeBuilder().Emit(ByteRole.Other, "rex nop", 0x40, 0x90);
        Assert.Contains("but encodes it as 90; ours is 40 90", Fails(() => Verify.WithIced(redundant)));

        // jmp +1 from 0 lands at 6, inside the 2-byte syscall at 5.
        var stray = new CodeBuilder().Emit(ByteRole.Other, "jmp", 0xe9, 0x01, 0x00, 0x00, 0x00).Emit(ByteRole.Syscall, "syscall", 0x0f, 0x05);
        Assert.Contains("lands at 0x6, which is not the start of an instruction", Fails(() => Verify.WithIced(stray)));
    }

    [Fact]
    public void Reaches_names_where_a_displacement_really_lands()
    {
        // The unpacked program's lea, checked against the packed program's text offset: off by the filler byte.
        Assert.Equal("✗ lea 0x3(%rip),%rsi at 0x15 reaches 0x1f, not 0x20 (the CPU counts from the next instruction, 0x1c)",
            Fails(() => Verify.Reaches(HelloWorldProgram.Unpacked().ToArray(), 0x15, 0x20)));
    }

    [Fact]
    public void WithIced_checks_compiled_expressions_whole()
    {
        var program = new X64Compiler().Generate(Parser.Parse("(a * a + b * b) % 1000 + a / c - b % (c + 7)", "a", "b", "c"));
        Assert.StartsWith("✓ Iced agrees with the library: ", Verify.WithIced(program).ToText());
        string deep = string.Concat(Enumerable.Range(0, 40).Select(i => i % 2 == 0 ? "a - (" : "b * (")) + "a + b" + new string(')', 40);
        var spilling = new X64Compiler().Generate(Parser.Parse(deep, "a", "b"));
        Assert.True(spilling.SpillCount > 0);
        Verify.WithIced(spilling);
    }

    // ---- the other Iced checks ----------------------------------------------------------------------

    [Fact]
    public void SameAsIced_compares_with_Iced_encoding_of_the_instructions()
    {
        Assert.Equal("✓ Iced encodes mov $0x1,%rax as the same 7 bytes as ours: 48 c7 c0 01 00 00 00",
            Verify.SameAsIced(MovImm32.Encode(Reg64.Rax, 1).Bytes, Instruction.Create(Code.Mov_rm64_imm32, Register.RAX, 1)).ToText());
        Assert.Equal("✗ byte 0x2 differs: ours is c7, Iced's is c0",
            Fails(() => Verify.SameAsIced(MovImm32.Encode(Reg64.Rdi, 1).Bytes, Instruction.Create(Code.Mov_rm64_imm32, Register.RAX, 1))));
        Assert.Contains("no instructions", Fails(() => Verify.SameAsIced([0x90])));
    }

    [Fact]
    public void Reaches_reads_rip_relative_and_branch_targets()
    {
        byte[] placeholder = [.. HelloWorldProgram.Unpacked().Report!.Before];
        Assert.Equal("✓ Iced: lea 0x0(%rip),%rsi at 0x15 reaches 0x1c, counted from the next instruction at 0x1c",
            Verify.Reaches(placeholder, 0x15, 0x1c).ToText());
        var loop = SampleFunctions.SumTo().ToArray();
        int jne = IcedBytes.Decode(loop).Single(i => i.Mnemonic == Mnemonic.Jne).IP is var ip ? (int)ip : 0;
        Assert.StartsWith("✓ Iced: jne", Verify.Reaches(loop, jne, 0x0c).ToText());
        Assert.Contains("has no RIP-relative operand or branch target", Fails(() => Verify.Reaches(placeholder, 0, 0)));
        Assert.Contains("outside", Fails(() => Verify.Reaches(placeholder, 99, 0)));
    }

    [Fact]
    public void Overwrites_reads_Iceds_register_writes()
    {
        Assert.StartsWith("✓ Iced: syscall writes ", Verify.Overwrites([0x0f, 0x05], Reg64.Rcx, Reg64.R11).ToText());
        Assert.Contains("rcx", Verify.Overwrites([0x0f, 0x05], Reg64.Rcx, Reg64.R11).ToText());
        Assert.Contains("does not write rdx", Fails(() => Verify.Overwrites([0x0f, 0x05], Reg64.Rdx)));
        Assert.Contains("one instruction", Fails(() => Verify.Overwrites([0x0f, 0x05, 0xc3], Reg64.Rcx)));
    }

    [Fact]
    public void FillsRegisters_lists_destinations_in_order()
    {
        byte[] code = HelloWorldProgram.Unpacked().ToArray()[..0x1e];
        Assert.Equal("✓ Iced: the instructions fill rax, rdi, rdx, rsi in that order",
            Verify.FillsRegisters(code, Reg64.Rax, Reg64.Rdi, Reg64.Rdx, Reg64.Rsi).ToText());
        Assert.Equal("✗ instruction 3 (mov $0xc,%rdx) fills rdx, expected r10",
            Fails(() => Verify.FillsRegisters(code, Reg64.Rax, Reg64.Rdi, Reg64.R10, Reg64.Rsi)));
        Assert.Contains("finds 4 register writes", Fails(() => Verify.FillsRegisters(code, Reg64.Rax)));
    }

    [Fact]
    public void NoStackFrame_and_StackAlignedAtCalls()
    {
        Assert.Equal("✓ Iced: no instruction touches rsp except ret, so there is no stack frame", Verify.NoStackFrame(SampleFunctions.Add()).ToText());
        var callBack = SampleFunctions.CallBackCode(0x1234);
        Assert.Contains("push %rbx", Fails(() => Verify.NoStackFrame(callBack)));
        Assert.Equal("✓ rsp mod 16 = 0 at call *%rax at 0xe, and rsp is back at its entry value at ret", Verify.StackAlignedAtCalls(callBack).ToText());

        // Without the push, the call is 8 bytes off.
        var misaligned = new CodeBuilder().MovImm64(Reg64.Rax, 0x1234).CallReg(Reg64.Rax).Ret();
        Assert.Equal("✗ at call *%rax (0xa) rsp mod 16 = 8, but a call needs 0", Fails(() => Verify.StackAlignedAtCalls(misaligned)));
        var unbalanced = new CodeBuilder().Push(Reg64.Rbx).Ret();
        Assert.Contains("8 bytes below its entry value", Fails(() => Verify.StackAlignedAtCalls(unbalanced)));
    }

    // ---- bytes and values -------------------------------------------------------------------------

    [Fact]
    public void SameBytes_names_the_first_difference_or_the_lengths()
    {
        Assert.Equal("✓ ours and the article's bytes are the same 3 bytes: 0f 05 c3", Verify.SameBytes([0x0f, 0x05, 0xc3], [0x0f, 0x05, 0xc3], "ours", "the article's").ToText());
        Assert.Equal("✗ byte 0x1 differs: ours is 06, the article's is 05", Fails(() => Verify.SameBytes([0x0f, 0x06], [0x0f, 0x05], "ours", "the article's")));
        Assert.Equal("✗ ours has 1 byte, the expected 2; the first 1 agree", Fails(() => Verify.SameBytes([0x0f], [0x0f, 0x05])));
        Assert.Contains("48 c7 c0 01 00 00 … 6c 64 21", Verify.SameBytes(HelloWorldProgram.Unpacked().ToArray(), HelloWorldProgram.Unpacked().ToArray()).ToText());
    }

    [Fact]
    public void PatchStaysInFields_compares_before_and_after()
    {
        Assert.Equal("✓ the patch changed 1 byte (0x18), all inside its placeholder field 0x18..0x1b",
            Verify.PatchStaysInFields(HelloWorldProgram.Unpacked().Report!).ToText());
        var report = HelloWorldProgram.Unpacked().Report!;
        byte[] tampered = [.. report.After];
        tampered[0] ^= 1;
        Assert.Equal("✗ the patch changed byte 0x0, outside every placeholder field",
            Fails(() => Verify.PatchStaysInFields(report with { After = tampered })));
    }

    [Fact]
    public void Equal_That_and_SameResults()
    {
        Assert.Equal("✓ output = \"Hello World!\\n\"", Verify.Equal("Hello World!\n", "Hello World!\n", "output").ToText());
        Assert.Equal("✗ not so: 2 > 3", Fails(() => Verify.That(2 > 3, "2 > 3")));
        Func<(long A, long B), long> div = t => t.A / t.B;
        Assert.Equal("✓ ours and C# agree on all 3 inputs (1 of them throw, identically)",
            Verify.SameResults([(7L, 1L), (7L, 0L), (-8L, 2L)], div, div, "ours", "C#").ToText());
        Assert.Equal("✗ on (7, 0): ours gives 0, C# gives throws DivideByZeroException",
            Fails(() => Verify.SameResults([(7L, 0L)], t => 0L, div, "ours", "C#")));
        Assert.Contains("no inputs", Fails(() => Verify.SameResults(Array.Empty<int>(), x => x, x => x)));
        Assert.Equal("✓ a and b agree on all 1 input", Verify.SameResults(new[] { new long[] { 1, 2 } }, x => x.Sum(), x => x.Sum(), "a", "b").ToText());
        Assert.Equal("✗ on (1, 2): a gives 3, b gives 4", Fails(() => Verify.SameResults(new[] { new long[] { 1, 2 } }, x => x.Sum(), x => x.Sum() + 1, "a", "b")));
    }

    [Fact]
    public void Bad_arguments_are_argument_exceptions_not_verdicts()
    {
        Assert.Throws<ArgumentNullException>(() => Verify.WithIced((byte[])null!));
        Assert.Throws<ArgumentException>(() => Verify.That(true, " "));
        Assert.Throws<ArgumentOutOfRangeException>(() => IcedBytes.DecodeAt([0x90], 1));
    }

    [Fact]
    public void Throws_shows_the_expected_refusal_in_one_line_and_fails_otherwise()
    {
        var verdict = Verify.Throws<ArgumentException>(() => WordPacking.ToWords(new byte[3]));
        Assert.StartsWith("✓ refused with ArgumentException: ToWords needs an even number of bytes", verdict.ToText());
        Assert.DoesNotContain("\n", verdict.ToText());
        Assert.Contains("ran without an error", Assert.Throws<VerificationFailedException>(() => Verify.Throws<ArgumentException>(() => { })).Message);
        Assert.Contains("it threw InvalidOperationException", Assert.Throws<VerificationFailedException>(
            () => Verify.Throws<ArgumentException>(() => throw new InvalidOperationException("no"))).Message);
    }
}
