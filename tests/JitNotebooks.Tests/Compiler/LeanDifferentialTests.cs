using CsCheck;
using JitNotebooks.Compiler;

namespace JitNotebooks.Tests.Compiler;

/// <summary>
/// The lean emitter against the CodeBuilder one: identical bytes for every expression, in both
/// shapes and every pool size; and the code it writes into a double-mapped arena, run natively,
/// agrees with the interpreter and RyuJIT, one call at a time and in batches.
/// </summary>
public class LeanDifferentialTests
{
    [Theory]
    [InlineData(6)]
    [InlineData(4)]
    [InlineData(3)]
    [InlineData(2)]
    public void The_lean_emitter_writes_exactly_the_CodeBuilder_bytes(int scratchRegisters)
    {
        var compiler = new X64Compiler(scratchRegisters);
        ExpressionGen.Function(8).Sample(f =>
        {
            Assert.Equal(Convert.ToHexString(compiler.Generate(f).Bytes), Convert.ToHexString(compiler.GenerateLean(f)));
            Assert.Equal(Convert.ToHexString(compiler.GenerateBatch(f).Bytes), Convert.ToHexString(compiler.GenerateLean(f, batch: true)));
        }, iter: 1500, print: f => f.ToString());
    }

    [Fact]
    public void The_bytes_in_the_arena_are_the_CodeBuilder_bytes_and_the_listing_decodes_from_memory()
    {
        using var arena = new DoubleMappedCodeArena();
        var compiler = new X64Compiler();
        ExpressionGen.Function(6).Sample(f =>
        {
            var lean = compiler.Compile(f, arena);
            var batch = compiler.CompileBatch(f, arena);
            Assert.Equal(compiler.Generate(f).Bytes, lean.Code.ReadBytes());
            Assert.Equal(lean.Program.Bytes, lean.Code.ReadBytes()); // Program is regenerated on request: same bytes
            Assert.Equal(compiler.GenerateBatch(f).Bytes, batch.Code.ReadBytes());
            Assert.Equal(Listing.Disassemble(lean.Program.Code).ToText(), lean.Disassemble().ToText());
            arena.Free(lean.Code);
            arena.Free(batch.Code);
        }, iter: 300, threads: 1, print: f => f.ToString());
        Assert.Equal(0, arena.FunctionCount);
    }

    [Theory]
    [InlineData(6, 7)]
    [InlineData(2, 7)]
    [InlineData(3, 6)]
    public void Lean_code_agrees_with_the_interpreter_and_RyuJIT(int scratchRegisters, int maxDepth)
    {
        using var arena = new DoubleMappedCodeArena();
        var compiler = new X64Compiler(scratchRegisters);
        var gen = ExpressionGen.Function(maxDepth).SelectMany(f => ExpressionGen.Arguments(f.Arity).Array[1, 8].Select(inputs => (f, inputs)));
        gen.Sample(t =>
        {
            var (f, inputs) = t;
            var jit = compiler.Compile(f, arena);
            var reference = ExpressionTreeCompiler.Compile(f);
            foreach (var args in inputs)
            {
                var (i, j, r) = EngineHarness.All(f, jit, reference, args);
                if (i != j || i != r)
                    throw new Xunit.Sdk.XunitException($"{f} with ({string.Join(", ", args)}): interpreter {i}, JIT {j}, RyuJIT {r}");
            }
        }, iter: 400, print: t => $"{t.f} on {t.inputs.Length} inputs");
    }

    [Theory]
    [InlineData(6)]
    [InlineData(2)]
    public void Batch_code_gives_each_rows_value_and_stops_at_the_first_error_like_a_CSharp_loop(int scratchRegisters)
    {
        using var arena = new DoubleMappedCodeArena();
        var compiler = new X64Compiler(scratchRegisters);
        var gen = ExpressionGen.Function(7).SelectMany(f => ExpressionGen.Arguments(f.Arity).Array[0, 12].Select(rows => (f, rows)));
        gen.Sample(t =>
        {
            var (f, rows) = t;
            var batch = compiler.CompileBatch(f, arena);
            var results = new long[rows.Length];
            var raw = batch.InvokeRaw(rows.SelectMany(r => r).ToArray(), results);
            var expected = rows.Select(r => EngineHarness.Run(() => Interpreter.Evaluate(f, r))).ToList();
            int firstError = expected.FindIndex(o => o.Exception is not null);
            Assert.Equal(firstError < 0 ? rows.Length : firstError, raw.RowsCompleted);
            for (int i = 0; i < raw.RowsCompleted; i++) Assert.Equal(expected[i].Value, results[i]);
            var status = firstError < 0 ? JitStatus.Ok
                : expected[firstError].Exception == typeof(DivideByZeroException) ? JitStatus.DivideByZero : JitStatus.Overflow;
            Assert.Equal(status, raw.Status);
        }, iter: 400, print: t => $"{t.f} on {t.rows.Length} rows");
    }
}
