using Iced.Intel;
using JitNotebooks.Compiler;

namespace JitNotebooks.Tests.Compiler;

/// <summary>Many inputs per call: the loop in the generated code, its layout, its errors and its registers.</summary>
public class BatchTests
{
    private static readonly ParsedFunction Medium = Parser.Parse("(a + 3) * (b - 7) - c * a + (b * c - 11) * 5 - (a - b) * (c + 2)", "a", "b", "c");

    private static long[] Rows(int count, int arity, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count * arity).Select(_ => random.NextInt64(-1_000_000, 1_000_000)).ToArray();
    }

    [Fact]
    public void One_call_evaluates_every_row_like_one_call_per_row()
    {
        using var arena = new DoubleMappedCodeArena();
        var compiler = new X64Compiler();
        var single = compiler.Compile(Medium, arena);
        var batch = compiler.CompileBatch(Medium, arena);
        var rows = Rows(1000, 3, 1);
        var results = new long[1000];
        batch.Invoke(rows, results);
        for (int i = 0; i < 1000; i++) Assert.Equal(single.Invoke(rows[3 * i], rows[3 * i + 1], rows[3 * i + 2]), results[i]);
    }

    [Fact]
    public void A_batch_larger_than_the_short_batch_limit_takes_the_GC_transition_path_and_still_agrees()
    {
        using var arena = new DoubleMappedCodeArena();
        var f = Parser.Parse("a * b % 1000 - a / 7", "a", "b");
        var batch = new X64Compiler().CompileBatch(f, arena);
        int count = CompiledBatchFunction.ShortBatchRows * 3 + 5;
        var rows = Rows(count, 2, 2);
        var results = new long[count];
        batch.Invoke(rows, results);
        for (int i = 0; i < count; i++) Assert.Equal(Interpreter.Evaluate(f, rows[2 * i], rows[2 * i + 1]), results[i]);
    }

    [Fact]
    public void The_mprotect_arena_runs_batch_code_too_and_RyuJITs_loop_agrees()
    {
        using var arena = new CodeArena();
        var batch = new X64Compiler().CompileBatch(Medium, arena);
        var reference = ExpressionTreeCompiler.CompileBatch(Medium);
        var rows = Rows(257, 3, 3);
        long[] ours = new long[257], theirs = new long[257];
        batch.Invoke(rows, ours);
        reference.Invoke(rows, theirs);
        Assert.Equal(theirs, ours);
        Assert.Equal(batch.Program.Bytes, batch.Code.ReadBytes());
    }

    [Fact]
    public void Errors_stop_the_loop_at_the_failing_row_with_earlier_results_written()
    {
        using var arena = new DoubleMappedCodeArena();
        var batch = new X64Compiler().CompileBatch(Parser.Parse("a / b + a % -1", "a", "b"), arena);
        long[] rows = [10, 2, 9, 3, 1, 0, 4, 4];
        var results = new long[4];
        Assert.Throws<DivideByZeroException>(() => batch.Invoke(rows, results));
        Assert.Equal([5, 3, 0, 0], results);
        Assert.Equal(new BatchResult(2, JitStatus.DivideByZero), batch.InvokeRaw(rows, results));
        Assert.Equal(new BatchResult(1, JitStatus.Overflow), batch.InvokeRaw([1, 1, long.MinValue, 1], new long[2]));
        Assert.Throws<OverflowException>(() => batch.Invoke([long.MinValue, 1], new long[1]));
    }

    [Fact]
    public void Zero_rows_and_zero_parameters_work()
    {
        using var arena = new DoubleMappedCodeArena();
        var compiler = new X64Compiler();
        var constant = compiler.CompileBatch(Parser.Parse("6 * 7"), arena);
        var results = new long[5];
        constant.Invoke([], results);
        Assert.All(results, r => Assert.Equal(42, r));
        Assert.Equal(new BatchResult(0, JitStatus.Ok), compiler.CompileBatch(Medium, arena).InvokeRaw([], []));
    }

    [Fact]
    public void Mismatched_lengths_are_refused_before_any_native_call()
    {
        using var arena = new DoubleMappedCodeArena();
        var batch = new X64Compiler().CompileBatch(Medium, arena);
        var results = new long[3];
        var ex = Assert.Throws<ArgumentException>(() => batch.Invoke(new long[8], results));
        Assert.Contains("3 argument(s) per row", ex.Message);
        Assert.Contains("need 9", ex.Message);
        Assert.Equal(new long[3], results);
        Assert.Throws<ArgumentException>(() => ExpressionTreeCompiler.CompileBatch(Medium).Invoke(new long[8], results));
    }

    [Fact]
    public void Freed_or_disposed_batch_code_refuses_to_run()
    {
        var arena = new DoubleMappedCodeArena();
        var compiler = new X64Compiler();
        var freed = compiler.CompileBatch(Medium, arena);
        var kept = compiler.CompileBatch(Medium, arena);
        arena.Free(freed.Code);
        Assert.Contains("freed", Assert.Throws<ObjectDisposedException>(() => freed.Invoke(new long[3], new long[1])).Message);
        arena.Dispose();
        Assert.Contains("disposed", Assert.Throws<ObjectDisposedException>(() => kept.Invoke(new long[3], new long[1])).Message);
    }

    [Fact]
    public void Batch_code_reads_parameters_straight_from_the_row()
    {
        // a * b + c: load a, multiply by b and add c from memory; no register copies of the parameters.
        var code = IcedHelpers.DecodeAll(new X64Compiler().GenerateBatch(Parser.Parse("a * b + c", "a", "b", "c")).Bytes);
        var body = code.SkipWhile(i => i.Mnemonic != Mnemonic.Je).Skip(1).TakeWhile(i => i.Mnemonic != Mnemonic.Jne).ToList();
        Assert.Equal([Code.Mov_r64_rm64, Code.Imul_r64_rm64, Code.Add_r64_rm64, Code.Mov_rm64_r64, Code.Add_rm64_imm8, Code.Add_rm64_imm8, Code.Sub_rm64_imm8],
            body.Select(i => i.Code));
        Assert.Equal([0UL, 8UL, 16UL], body.Take(3).Select(i => i.MemoryDisplacement64));
        Assert.All(body.Take(3), i => Assert.Equal(Register.R13, i.MemoryBase));
    }

    [Fact]
    public void The_loop_keeps_its_state_in_r13_r14_r15_and_saves_them()
    {
        var program = new X64Compiler().GenerateBatch(Medium);
        var code = IcedHelpers.DecodeAll(program.Bytes);
        Assert.Equal([Register.R13, Register.R14, Register.R15], code.Take(3).Select(i => i.Op0Register));
        Assert.All(code.Take(3), i => Assert.Equal(Mnemonic.Push, i.Mnemonic));
        Assert.DoesNotContain(program.ScratchRegisters, r => X64Compiler.BatchLoopRegisters.Contains(r));
        // One backward jump: the loop.
        Assert.Single(code, i => i.Mnemonic == Mnemonic.Jne && i.NearBranch64 < i.IP);
        var ret = code.FindIndex(i => i.Mnemonic == Mnemonic.Ret);
        Assert.Equal([Register.R15, Register.R14, Register.R13], code.Skip(ret - 3).Take(3).Select(i => i.Op0Register));
    }

    [Fact]
    public void Callee_saved_registers_survive_batch_code_even_when_it_spills_and_fails()
    {
        // As in X64CompilerTests: a JIT'd harness fills rbx, rbp, r12–r15 with known values, calls the batch code,
        // and returns a weighted sum of what changed (0 when every register came back intact).
        using var arena = new DoubleMappedCodeArena();
        var f = Parser.Parse("(a - 1) * ((b - 2) * ((a - 3) * ((b - 4) * ((a - 5) * (b - (a / b))))))", "a", "b");
        var batch = new X64Compiler(3).CompileBatch(f, arena);
        Assert.True(batch.Program.UsesFramePointer);
        long[] rows = [7, 3, 8, 2, 7, 0];
        var results = new long[3];
        Reg64[] saved = [Reg64.Rbx, Reg64.Rbp, Reg64.R12, Reg64.R13, Reg64.R14, Reg64.R15];
        var harness = new CodeBuilder();
        foreach (var r in saved) harness.Push(r);
        harness.SubImm(Reg64.Rsp, 8);
        foreach (var (r, i) in saved.Select((r, i) => (r, i))) harness.LoadConstant(r, 0x1111 * (i + 1));
        harness.MovImm64(Reg64.Rax, batch.Code.Address).CallReg(Reg64.Rax).XorRegReg(Reg64.Rax, Reg64.Rax);
        foreach (var (r, i) in saved.Select((r, i) => (r, i))) harness.SubImm(r, 0x1111 * (i + 1)).ImulImm(r, r, 1 << (8 * i / 2)).AddRegReg(Reg64.Rax, r);
        harness.AddImm(Reg64.Rsp, 8);
        foreach (var r in saved.Reverse()) harness.Pop(r);
        harness.Ret();
        var run = arena.Add(harness);
        unsafe
        {
            fixed (long* p = rows)
            fixed (long* q = results)
            {
                Assert.Equal(0, run.Call((long)p, (long)q, 2)); // two rows: normal exit
                Assert.Equal(0, run.Call((long)p, (long)q, 3)); // the third divides by zero: error exit
            }
        }
        Assert.Equal(Interpreter.Evaluate(f, 8, 2), results[1]);
    }
}
