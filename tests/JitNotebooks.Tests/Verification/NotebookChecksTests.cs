using System.Runtime.InteropServices;
using System.Text;
using Iced.Intel;
using JitNotebooks.Compiler;
using JitNotebooks.Verification;

namespace JitNotebooks.Tests.Verification;

/// <summary>
/// Every check the first-edition notebooks made by hand (a <c>throw new Exception</c> after some Iced
/// plumbing), kept here when the lessons move to one <see cref="Verify"/> line per idea. Each test
/// names the notebook and cell it comes from, and mostly goes through Verify, so the one-liners the
/// lessons will use are exercised on the course's real data.
/// </summary>
[Collection(Fd1Collection.Name)] // some run JIT'd code that writes to fd 1
public class NotebookChecksTests
{
    /// <summary>The article's final listing, typed in from the article (notebooks 00 and 03).</summary>
    private static readonly byte[] ArticleListing =
    [
        0x48, 0xc7, 0xc0, 0x01, 0x00, 0x00, 0x00, 0x48, 0xc7, 0xc7, 0x01, 0x00, 0x00, 0x00,
        0x48, 0xc7, 0xc2, 0x0c, 0x00, 0x00, 0x00, 0x48, 0x8d, 0x35, 0x03, 0x00, 0x00, 0x00,
        0x0f, 0x05, 0xc3,
        0x48, 0x65, 0x6c, 0x6c, 0x6f, 0x20, 0x57, 0x6f, 0x72, 0x6c, 0x64, 0x21,
    ];

    /// <summary>The article's []uint16 slice, numbers as printed (notebook 04).</summary>
    private const string ArticleSlice = """
        printFunction := []uint16{
            0x48c7, 0xc001, 0x0,
            0x48, 0xc7c7, 0x100, 0x0,
            0x48c7, 0xc20c, 0x0,
            0x48, 0x8d35, 0x400, 0x0,
            0xf05,
            0xc3cc,
            0x4865, 0x6c6c, 0x6f20,
            0x576f, 0x726c, 0x6421, 0xa,
        }
        """;

    private static readonly string[] HelloWorldCode =
        ["mov $0x1,%rax", "mov $0x1,%rdi", "mov $0xc,%rdx", "lea 0x3(%rip),%rsi", "syscall", "ret"];

    // ---- 00 ------------------------------------------------------------------------------------

    [Fact]
    public void Nb00_cell13_the_program_is_the_articles_listing_and_Iced_reads_it_so()
    {
        var program = HelloWorldProgram.Unpacked();
        Verify.SameBytes(program.ToArray(), ArticleListing, "ours", "the article's");
        Verify.WithIced(program, HelloWorldCode);
    }

    [Fact]
    public void Nb00_cell15_the_program_prints_Hello_World()
    {
        if (!NativePlatform.CanRunJitCode) return;
        Assert.Equal("✓ the JIT'd code wrote 12 bytes: \"Hello World!\"", Verify.Prints(HelloWorldProgram.Unpacked(), "Hello World!").ToText());
        var e = Assert.Throws<VerificationFailedException>(() => Verify.Prints(HelloWorldProgram.Unpacked(), "Hello World!\n"));
        Assert.Equal("✗ the JIT'd code wrote \"Hello World!\" (12 bytes), expected \"Hello World!\\n\"", e.Message);
    }

    [Fact]
    public void Prints_reports_a_crash_and_runs_emulated_where_the_bytes_cannot_run_natively()
    {
        using (LearnerCode.SubstituteRunner(_ => new LearnerRun(LearnerRunStatus.Crashed, 0, [], "SIGILL at offset 0x3")))
            Assert.Equal("✗ the program did not return: SIGILL at offset 0x3",
                Assert.Throws<VerificationFailedException>(() => Verify.Prints(HelloWorldProgram.Unpacked(), "Hello World!")).Message);
        using (NativePlatform.SimulateUnsupportedMachine())
            Assert.Equal("✓ the JIT'd code wrote 12 bytes: \"Hello World!\"", Verify.Prints(HelloWorldProgram.Unpacked(), "Hello World!").ToText());
    }

    // ---- 01 ------------------------------------------------------------------------------------

    [Fact]
    public void Nb01_cell14_each_instruction_fills_the_register_the_convention_names()
    {
        byte[] articleCode = ArticleListing[..0x1e]; // movs, lea, syscall
        Verify.FillsRegisters(articleCode,
            SyscallConvention.NumberRegister, SyscallConvention.ArgumentRegister(1),
            SyscallConvention.ArgumentRegister(3), SyscallConvention.ArgumentRegister(2));
    }

    // ---- 02 ------------------------------------------------------------------------------------

    public static TheoryData<Reg64, int> ArticleMovs => new() { { Reg64.Rax, 1 }, { Reg64.Rdi, 1 }, { Reg64.Rdx, 12 } };

    [Theory]
    [MemberData(nameof(ArticleMovs))]
    public void Nb02_cell13_by_hand_the_library_and_Iced_agree_on_each_mov(Reg64 reg, int value)
    {
        var imm = BitConverter.GetBytes(value);
        byte[] byHand = [(byte)(0b0100_1000 | (reg.NeedsRexBit() ? 1 : 0)), 0xC7, (byte)(0b11_000_000 | reg.Low3()), .. imm];
        var instruction = Instruction.Create(Code.Mov_rm64_imm32, reg.ToIced(), value);
        Verify.SameAsIced(byHand, instruction);
        Verify.SameAsIced(MovImm32.Encode(reg, value).Bytes, instruction);
    }

    [Fact]
    public void Nb02_cell18_Iceds_assembler_picks_the_10_byte_movabs()
    {
        var asm = new Assembler(64);
        asm.mov(AssemblerRegisters.rax, 1L);
        byte[] movabs = IcedBytes.Assemble(asm);
        Assert.Equal(10, movabs.Length);
        Assert.Equal(Code.Mov_r64_imm64, IcedBytes.Decode(movabs)[0].Code);
        Verify.WithIced(movabs, "movabs $0x1,%rax");
    }

    [Fact]
    public void Nb02_cell20_to_24_the_five_byte_movs_and_the_shorter_program()
    {
        (Register Reg, int Value)[] shortForms = [(Register.EAX, 1), (Register.EDI, 1), (Register.EDX, 12)];
        var bytes = shortForms.Select(s => IcedBytes.Encode(Instruction.Create(Code.Mov_r32_imm32, s.Reg, s.Value))).ToList();
        Assert.All(bytes, b => Assert.Equal(5, b.Length));

        var small = new CodeBuilder();
        var message = small.CreateLabel("message");
        foreach (var b in bytes) small.Emit(ByteRole.Other, "mov", b);
        small.LeaRipRelative(Reg64.Rsi, message).Syscall().Ret().MarkCodeEnd().Bind(message).EmitAscii("Hello World!");
        small.Patch();
        Assert.Contains("lea reaches message at 0x19", Verify.WithIced(small).ToText());
        Assert.Equal(25, small.CodeEnd);
        if (NativePlatform.CanRunJitCode) Verify.Prints(small, "Hello World!");
    }

    // ---- 03 ------------------------------------------------------------------------------------

    [Fact]
    public void Nb03_cell7_the_zero_placeholder_reaches_the_next_instruction_not_the_lea()
    {
        var report = HelloWorldProgram.Unpacked().Report!;
        Verify.Reaches(report.Before, 0x15, 0x1c);
        Assert.Throws<VerificationFailedException>(() => Verify.Reaches(report.Before, 0x15, 0x15));
    }

    [Fact]
    public void Nb03_cell12_to_16_the_patch_stays_in_its_field_reaches_the_text_and_equals_a_linkers()
    {
        var program = HelloWorldProgram.Unpacked();
        var report = program.Report!;
        Verify.PatchStaysInFields(report);
        Verify.WithIced(program);
        Verify.SameBytes(program.ToArray(), ArticleListing, "the patched program", "the article's final listing");
        var fixup = report.Patches[0].Fixup;
        long linker = fixup.Target.Offset!.Value + (-4) - fixup.FieldOffset; // R_X86_64_PC32: S + A - P
        Verify.Equal(linker, (long)report.Patches[0].Displacement, "S + A − P");
    }

    // ---- 04 ------------------------------------------------------------------------------------

    [Fact]
    public void Nb04_cell8_high_byte_first_gives_the_program_back_and_raw_memory_does_not()
    {
        byte[] program = HelloWorldProgram.Packed().ToArray();
        ushort[] articleOrder = WordPacking.ToWords(program);
        byte[] copiedProperly = WordPacking.ToBytes(articleOrder);
        byte[] rawMemory = MemoryMarshal.AsBytes(articleOrder.AsSpan()).ToArray();
        Verify.SameBytes(copiedProperly, program);
        Verify.WithIced(copiedProperly[..7], "mov $0x1,%rax");
        var swapped = IcedBytes.Decode(rawMemory)[0];
        Assert.False(swapped.Code == Code.Mov_rm64_imm32 && swapped.Op0Register == Register.RAX);
    }

    [Fact]
    public void Nb04_cell12_0xcc_is_int3_and_0x90_is_nop_and_the_filler_follows_ret()
    {
        Verify.WithIced([WordPacking.Int3Filler], "int3");
        Verify.WithIced([0x90], "nop");
        byte[] program = HelloWorldProgram.Packed().ToArray();
        Verify.WithIced(program[0x1e..0x20], "ret", "int3");
    }

    [Fact]
    public void Nb04_cell14_the_lea_reaches_the_text_in_both_layouts()
    {
        Verify.Reaches(HelloWorldProgram.Unpacked().ToArray(), 0x15, 0x1f);
        Verify.Reaches(HelloWorldProgram.Packed().ToArray(), 0x15, 0x20);
        Verify.WithIced(HelloWorldProgram.Packed());
    }

    [Fact]
    public void Nb04_cell16_to_24_the_articles_slice_is_our_packed_program_and_ends_in_00_0a()
    {
        byte[] articleBytes = WordPacking.ToBytes(WordPacking.ParseWords(ArticleSlice));
        byte[] program = HelloWorldProgram.Packed().ToArray();
        Verify.SameBytes(articleBytes, program, "the article's slice", "our packed program");
        Verify.SameAsIced(articleBytes[..0x20],
            Instruction.Create(Code.Mov_rm64_imm32, Register.RAX, 1),
            Instruction.Create(Code.Mov_rm64_imm32, Register.RDI, 1),
            Instruction.Create(Code.Mov_rm64_imm32, Register.RDX, 12),
            Instruction.Create(Code.Lea_r64_m, Register.RSI, new MemoryOperand(Register.RIP, 0x20)),
            Instruction.Create(Code.Syscall),
            Instruction.Create(Code.Retnq),
            Instruction.Create(Code.Int3));
        Verify.WithIced(articleBytes[0x0e..0x15], "mov $0xc,%rdx");
        Verify.SameBytes(articleBytes[(0x20 + 12)..], [0x00, 0x0a], "after the 12 written bytes", "00 0a");

        var comments = Listing.Disassemble(HelloWorldProgram.Packed()).AsComments();
        string csharp = WordPacking.ToCSharpArray(WordPacking.ToWords(program), "helloWorld", comments);
        Assert.Equal(WordPacking.ParseWords(ArticleSlice), WordPacking.ParseWords(csharp));
    }

    // ---- 05 ------------------------------------------------------------------------------------

    [Fact]
    public void Nb05_cell8_to_22_permissions_step_by_step_and_the_articles_rwx()
    {
        if (!NativePlatform.CanRunJitCode) return;
        var program = HelloWorldProgram.Packed();
        byte[] code = program.ToArray();
        var staging = ExecutableMemory.MapWritable(code.Length);
        Assert.StartsWith("✓ /proc/self/maps says rw-p for 0x", Verify.Permissions(staging, "rw-p").ToText());
        staging.Write(code);
        Verify.SameBytes(staging.ToArray(), code, "the mapping", "the program");
        Verify.WithIced(program, [.. HelloWorldCode[..3], "lea 0x4(%rip),%rsi", "syscall", "ret"]);
        using var memory = staging.MakeExecutable();
        Verify.Permissions(memory, "r-xp");
        Assert.Throws<VerificationFailedException>(() => Verify.Permissions(memory, "rw-p"));
        Assert.Throws<InvalidOperationException>(() => staging.Write([0x90]));
        Verify.Prints(memory, "Hello World!");

        using var articleWay = ExecutableMemory.CreateReadWriteExecute_ArticleDemo(code);
        Verify.Permissions(articleWay, "rwxp");

        using var small = ExecutableMemory.MapWritable(128);
        Verify.Equal(small.MappedSize, (long)Environment.SystemPageSize, "bytes mapped for 128");
        Verify.Permissions(small, "rw-p");
    }

    // ---- 06 ------------------------------------------------------------------------------------

    [Fact]
    public void Nb06_cell7_to_23_the_bytes_in_executable_memory_are_Iceds_and_print_12_bytes()
    {
        if (!NativePlatform.CanRunJitCode) return;
        using var memory = ExecutableMemory.Create(HelloWorldProgram.Packed());
        byte[] inMemory = memory.ToArray();
        Verify.SameAsIced(inMemory[..0x1f],
            Instruction.Create(Code.Mov_rm64_imm32, Register.RAX, 1),
            Instruction.Create(Code.Mov_rm64_imm32, Register.RDI, 1),
            Instruction.Create(Code.Mov_rm64_imm32, Register.RDX, 12),
            Instruction.Create(Code.Lea_r64_m, Register.RSI, new MemoryOperand(Register.RIP, 0x20)),
            Instruction.Create(Code.Syscall),
            Instruction.Create(Code.Retnq));
        Verify.Equal(Encoding.ASCII.GetString(inMemory, 0x20, 12), "Hello World!", "the text at 0x20");
        var output = memory.RunCapturingStdout();
        Verify.Equal(output.Length, 12, "bytes written");
        Verify.Equal(output.Text.EndsWith('\n'), false, "ends with a newline");
    }

    [Fact]
    public void Nb06_cell17_a_go_slice_headers_first_word_is_the_data_pointer()
    {
        if (!NativePlatform.CanRunJitCode) return;
        using var memory = ExecutableMemory.Create(HelloWorldProgram.Packed());
        nint firstWord;
        unsafe
        {
            nint* header = stackalloc nint[3];
            header[0] = memory.Address;
            header[1] = memory.Length;
            header[2] = (nint)memory.MappedSize;
            firstWord = *header;
        }
        Verify.Equal(firstWord, memory.Address, "the header's first word");
    }

    // ---- 07 ------------------------------------------------------------------------------------

    [Fact]
    public void Nb07_cell13_to_18_add_reads_as_expected_matches_Iceds_assembler_and_has_no_frame()
    {
        var add = SampleFunctions.Add();
        Verify.WithIced(add, "mov %rdi,%rax", "add %rsi,%rax", "ret");
        var asm = new Assembler(64);
        asm.mov(AssemblerRegisters.rax, AssemblerRegisters.rdi);
        asm.add(AssemblerRegisters.rax, AssemblerRegisters.rsi);
        asm.ret();
        Verify.SameBytes(add.ToArray(), IcedBytes.Assemble(asm), "ours", "Iced's assembler's");
        Verify.NoStackFrame(add);
    }

    [Fact]
    public void Nb07_cell15_add_agrees_with_csharp_including_wraparound()
    {
        if (!NativePlatform.CanRunJitCode) return;
        using var arena = new CodeArena();
        var addFn = arena.Add(SampleFunctions.Add());
        Verify.SameResults<(long A, long B), long>([(2, 40), (-7, 3), (long.MaxValue, 1)], t => addFn.Call(t.A, t.B), t => unchecked(t.A + t.B), "the JIT'd add", "C#");
    }

    [Fact]
    public void Nb07_cell24_26_sum_to_jumps_land_on_their_labels_and_agree_with_a_loop()
    {
        var sumTo = SampleFunctions.SumTo();
        Assert.Contains("all 2 patched placeholders reach their labels", Verify.WithIced(sumTo).ToText());
        long loop = sumTo.Labels.Single(l => l.Name == "loop").Offset!.Value;
        Verify.Equal(IcedBytes.DecodeAt(sumTo.ToArray(), (int)loop).Mnemonic, Mnemonic.Add, "the instruction at loop:");
        if (!NativePlatform.CanRunJitCode) return;
        using var arena = new CodeArena();
        var sumFn = arena.Add(sumTo);
        Verify.SameResults([0L, -5, 1, 10, 100, 1_000_000], n => sumFn.Call(n), n => n < 1 ? 0 : n * (n + 1) / 2, "sum_to", "n(n+1)/2");
    }

    [Fact]
    public void Nb07_cell33_the_callback_function_reads_as_expected_and_keeps_the_stack_aligned()
    {
        nint callback = unchecked((nint)0x7f00_1234_5678L);
        var callBack = SampleFunctions.CallBack(callback);
        Verify.WithIced(callBack, "push %rbx", "mov %rdi,%rbx", $"movabs $0x{callback:x},%rax", "call *%rax", "add %rbx,%rax", "pop %rbx", "ret");
        Verify.StackAlignedAtCalls(callBack);
    }

    // ---- 08 ------------------------------------------------------------------------------------

    [Fact]
    public void Nb08_cell11_17_every_compiled_expression_passes_Iced_and_the_engines_agree()
    {
        string[] sources =
        [
            "a * b + c", "(a + 3) * (b - 7) - c * a + (b * c - 11) * 5", "(a * a + b * b) % 1000 + a / c - b % (c + 7)",
            "-a * -b - -c", "a / b % c", "9223372036854775807 + a * 3",
        ];
        long[] awkward = [0, 1, -1, 2, -7, long.MinValue, long.MaxValue];
        var inputs = awkward.SelectMany(x => awkward.Select(y => new[] { x, y, awkward[(int)((uint)(x ^ y) % 7)] })).ToList();
        using var arena = NativePlatform.CanRunJitCode ? new CodeArena() : null;
        foreach (var source in sources)
        {
            var fn = Parser.Parse(source, "a", "b", "c");
            var compiler = new X64Compiler();
            Verify.WithIced(compiler.Generate(fn));
            var net = ExpressionTreeCompiler.Compile(fn);
            Verify.SameResults(inputs, args => net.Invoke(args), args => Interpreter.Evaluate(fn, args), "RyuJIT", "the interpreter");
            if (arena is null) continue;
            var ours = compiler.Compile(fn, arena);
            Verify.SameResults(inputs, args => ours.Invoke(args), args => Interpreter.Evaluate(fn, args), "our JIT", "the interpreter");
        }
    }

    [Fact]
    public void Nb08_cell27_31_a_deep_expression_spills_and_still_agrees()
    {
        string deepSource = string.Concat(Enumerable.Range(0, 40).Select(i => i % 2 == 0 ? "a - (" : "b * (")) + "a + b" + new string(')', 40);
        var deep = Parser.Parse(deepSource, "a", "b");
        var program = new X64Compiler().Generate(deep);
        Verify.That(program.SpillCount > 0, "the deep expression spills");
        Verify.WithIced(program);
        if (!NativePlatform.CanRunJitCode) return;
        using var arena = new CodeArena();
        var jit = new X64Compiler().Compile(deep, arena);
        var tight = new X64Compiler(scratchRegisterCount: 2).Compile(Parser.Parse("(a + 3) * (b - 7) - c % 5 - a", "a", "b", "c"), arena);
        Verify.WithIced(tight.Program);
        Verify.SameResults<(long, long), long>([(1, 2), (-3, 5), (long.MaxValue, 3), (123456789, -987654321)],
            t => jit.Invoke(t.Item1, t.Item2), t => Interpreter.Evaluate(deep, t.Item1, t.Item2), "our JIT", "the interpreter");
    }
}
