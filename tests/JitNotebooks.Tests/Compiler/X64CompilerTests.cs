using Iced.Intel;
using JitNotebooks.Compiler;
using IcedDecoder = Iced.Intel.Decoder;

namespace JitNotebooks.Tests.Compiler;

/// <summary>The shape of the generated code, read back with Iced's decoder.</summary>
public class X64CompilerTests
{
    private static List<Instruction> Decode(byte[] bytes)
    {
        var decoder = IcedDecoder.Create(64, new ByteArrayCodeReader(bytes));
        var list = new List<Instruction>();
        while (decoder.IP < (ulong)bytes.Length)
        {
            var i = decoder.Decode();
            Assert.False(i.IsInvalid);
            list.Add(i);
        }
        return list;
    }

    private static List<Instruction> Compile(string source, params string[] parameters) =>
        Decode(new X64Compiler().Generate(Parser.Parse(source, parameters)).Bytes);

    [Fact]
    public void A_small_expression_uses_only_caller_saved_registers_and_no_frame()
    {
        var program = new X64Compiler().Generate(Parser.Parse("a * b + 7", "a", "b"));
        Assert.Empty(program.SavedRegisters);
        Assert.False(program.UsesFramePointer);
        Assert.Equal(0, program.SpillCount);
        Assert.Equal(
            [Code.Mov_rm64_r64, Code.Imul_r64_rm64, Code.Add_rm64_imm8, Code.Mov_rm64_r64, Code.Xor_rm64_r64, Code.Retnq],
            Decode(program.Bytes).Select(i => i.Code));
    }

    [Fact]
    public void Every_idiv_is_preceded_by_the_zero_and_minus_one_checks()
    {
        var code = Compile("a / b + a % (b - 1)", "a", "b");
        Assert.Equal(2, code.Count(i => i.Mnemonic == Mnemonic.Idiv));
        Assert.Equal(2, code.Count(i => i.Mnemonic == Mnemonic.Test));
        Assert.Equal(2, code.Count(i => i.Mnemonic == Mnemonic.Cmp && i.GetImmediate(1) == ulong.MaxValue)); // cmp $-1
        Assert.Equal(2, code.Count(i => i.Mnemonic == Mnemonic.Jo));
        // Every guard's je leads to "mov $1,%rdx" and every jo to "mov $2,%rdx", then jmp to the exit.
        var byIp = code.ToDictionary(i => i.IP);
        foreach (var je in code.Where(i => i.Mnemonic == Mnemonic.Je))
            Assert.Equal(1UL, byIp[je.NearBranch64].GetImmediate(1));
        foreach (var jo in code.Where(i => i.Mnemonic == Mnemonic.Jo))
            Assert.Equal(2UL, byIp[jo.NearBranch64].GetImmediate(1));

    }

    [Fact]
    public void A_literal_divisor_other_than_zero_needs_no_idiv_and_no_checks()
    {
        var code = Compile("a / 7 - a % -3 + a / 8 - a % -1024 + a / 1", "a");
        Assert.DoesNotContain(code, i => i.Mnemonic is Mnemonic.Idiv or Mnemonic.Test or Mnemonic.Jo or Mnemonic.Je);
        Assert.Equal(2, code.Count(i => i.Code == Code.Imul_rm64)); // the one-operand imul: rdx = high half of M * a
        Assert.Contains(code, i => i.Code == Code.Mov_r64_imm64 && i.Immediate64 == 0x4924924924924925UL); // M for 7
    }

    [Fact]
    public void Division_by_minus_one_is_a_neg_whose_overflow_flag_catches_MinValue()
    {
        var code = Compile("a / -1", "a");
        Assert.DoesNotContain(code, i => i.Mnemonic == Mnemonic.Idiv);
        Assert.Contains(code, i => i.Mnemonic == Mnemonic.Neg);
        Assert.Single(code, i => i.Mnemonic == Mnemonic.Jo);
    }

    [Fact]
    public void Division_by_the_literal_zero_keeps_the_guarded_idiv()
    {
        var code = Compile("a / 0", "a");
        Assert.Single(code, i => i.Mnemonic == Mnemonic.Idiv);
        Assert.Single(code, i => i.Mnemonic == Mnemonic.Test);
    }

    [Fact]
    public void The_third_argument_leaves_rdx_before_anything_else_happens()
    {
        var code = Compile("c / a", "a", "b", "c");
        Assert.Equal(Code.Mov_rm64_r64, code[0].Code);
        Assert.Equal(Register.R11, code[0].Op0Register);
        Assert.Equal(Register.RDX, code[0].Op1Register);
    }

    [Fact]
    public void Callee_saved_registers_are_pushed_in_the_prologue_and_popped_in_reverse_before_ret()
    {
        // (a-1)*((b-2)*((a-3)*(b-4))) needs four registers: r10, rbx, r12, r13.
        var program = new X64Compiler().Generate(Parser.Parse("(a - 1) * ((b - 2) * ((a - 3) * (b - 4)))", "a", "b"));
        Assert.Equal(4, program.RegistersNeeded);
        Assert.Equal([Reg64.Rbx, Reg64.R12, Reg64.R13], program.SavedRegisters);
        var code = Decode(program.Bytes);
        Assert.Equal([Register.RBX, Register.R12, Register.R13], code.Take(3).Select(i => i.Op0Register));
        Assert.All(code.Take(3), i => Assert.Equal(Mnemonic.Push, i.Mnemonic));
        var ret = code.FindIndex(i => i.Mnemonic == Mnemonic.Ret);
        Assert.Equal([Register.R13, Register.R12, Register.RBX], code.Skip(ret - 3).Take(3).Select(i => i.Op0Register));
    }

    [Fact]
    public void Spills_and_reloads_balance_and_the_exit_restores_rsp_from_rbp()
    {
        var program = new X64Compiler(2).Generate(Parser.Parse("a - (b - (a - (b - (a / b))))", "a", "b"));
        Assert.True(program.UsesFramePointer);
        Assert.True(program.SpillCount > 0);
        var code = Decode(program.Bytes);
        int pushes = code.Count(i => i.Mnemonic == Mnemonic.Push), pops = code.Count(i => i.Mnemonic == Mnemonic.Pop);
        Assert.Equal(pushes, pops);
        Assert.Contains(code, i => i.Code == Code.Mov_rm64_r64 && i.Op0Register == Register.RSP && i.Op1Register == Register.RBP);
    }

    [Fact]
    public void Callee_saved_registers_survive_a_call_including_an_error_exit()
    {
        // The test calls through a JIT'd harness that fills rbx, rbp, r12–r15 with known values, calls
        // the compiled function, and returns a checksum of what it finds afterwards.
        var f = Parser.Parse("(a - 1) * ((b - 2) * ((a - 3) * ((b - 4) * ((a - 5) * (b - (a / b))))))", "a", "b");
        using var arena = new CodeArena();
        var compiled = new X64Compiler(3).Compile(f, arena);
        Assert.True(compiled.Program.UsesFramePointer);
        Reg64[] saved = [Reg64.Rbx, Reg64.Rbp, Reg64.R12, Reg64.R13, Reg64.R14, Reg64.R15];
        var harness = new CodeBuilder();
        foreach (var r in saved) harness.Push(r);
        harness.SubImm(Reg64.Rsp, 8); // 6 pushes + return address: align to 16 for the call
        foreach (var (r, i) in saved.Select((r, i) => (r, i))) harness.LoadConstant(r, 0x1111 * (i + 1));
        harness.MovImm64(Reg64.Rax, compiled.Code.Address).CallReg(Reg64.Rax).XorRegReg(Reg64.Rax, Reg64.Rax);
        foreach (var (r, i) in saved.Select((r, i) => (r, i))) harness.SubImm(r, 0x1111 * (i + 1)).ImulImm(r, r, 1 << (8 * i / 2)).AddRegReg(Reg64.Rax, r);
        // rax = weighted sum of (register - expected value): 0 when every register came back intact
        harness.AddImm(Reg64.Rsp, 8);
        foreach (var r in saved.Reverse()) harness.Pop(r);
        harness.Ret();
        var run = arena.Add(harness);
        Assert.Equal(0, run.Call(7, 3));   // normal exit
        Assert.Equal(0, run.Call(7, 0));   // divide-by-zero exit
        Assert.Throws<DivideByZeroException>(() => compiled.Invoke(7, 0));
    }

    [Fact]
    public void Wide_constants_use_movabs()
    {
        var code = Compile("a + 5000000000", "a");
        Assert.Contains(code, i => i.Code == Code.Mov_r64_imm64 && i.Immediate64 == 5000000000UL);
    }

    [Fact]
    public void Pool_size_outside_2_to_6_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new X64Compiler(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new X64Compiler(7));
    }

    [Fact]
    public void Generated_code_lives_in_r_x_memory_never_rwx()
    {
        using var arena = new CodeArena();
        var compiled = new X64Compiler().Compile(Parser.Parse("a * a", "a"), arena);
        var entry = ProcMaps.Find(compiled.Code.Address);
        Assert.NotNull(entry);
        Assert.Equal(Protection.Read | Protection.Execute, entry.Protection);
        Assert.Equal(compiled.Program.Bytes, compiled.Code.ReadBytes());
    }

    [Fact]
    public void CompileAll_places_a_batch_and_every_function_runs()
    {
        using var arena = new CodeArena();
        var functions = Enumerable.Range(0, 100).Select(i => Parser.Parse($"a * {i} - b / {i + 1}", "a", "b")).ToArray();
        var compiled = new X64Compiler().CompileAll(functions, arena);
        for (int i = 0; i < functions.Length; i++)
            Assert.Equal(Interpreter.Evaluate(functions[i], 1000, 77), compiled[i].Invoke(1000, 77));
        Assert.Equal(100, arena.FunctionCount);
    }

    [Fact]
    public void Null_inputs_are_argument_errors()
    {
        using var arena = new CodeArena();
        var f = Parser.Parse("1");
        Assert.Throws<ArgumentNullException>(() => new X64Compiler().Compile(null!, arena));
        Assert.Throws<ArgumentNullException>(() => new X64Compiler().Compile(f, (CodeArena)null!));
        Assert.Throws<ArgumentNullException>(() => new X64Compiler().Compile(f, (DoubleMappedCodeArena)null!));
        Assert.Throws<ArgumentNullException>(() => new X64Compiler().CompileBatch(f, (DoubleMappedCodeArena)null!));
        Assert.Throws<ArgumentNullException>(() => new X64Compiler().GenerateBatch(null!));
        Assert.Throws<ArgumentNullException>(() => new X64Compiler().Generate(null!));
        Assert.Throws<ArgumentNullException>(() => Interpreter.Evaluate(null!));
        Assert.Throws<ArgumentNullException>(() => ExpressionTreeCompiler.Compile(null!));
        Assert.Equal(1, new X64Compiler().Compile(f, arena).Invoke());
    }
}
