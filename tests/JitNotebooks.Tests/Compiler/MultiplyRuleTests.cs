using CsCheck;
using Iced.Intel;
using JitNotebooks.Compiler;
using JitNotebooks.Verification;

namespace JitNotebooks.Tests.Compiler;

/// <summary>
/// <see cref="X64Compiler.MultiplyByConstant"/>, the door exercise 08.3 opens into code generation:
/// asked for exactly the literal multiplications, its bytes land where the imul was, in both
/// emitters, and the code still computes what the interpreter computes.
/// </summary>
public class MultiplyRuleTests
{
    /// <summary>shl $k,%reg for a factor 2^k (k ≥ 1), encoded by Iced; everything else keeps its imul.</summary>
    private static byte[]? ShiftForPowersOfTwo(Reg64 reg, long factor) =>
        factor > 1 && long.IsPow2(factor)
            ? IcedBytes.Encode(Instruction.Create(Code.Shl_rm64_imm8, reg.ToIced(), long.Log2(factor)))
            : null;

    [Fact]
    public void The_rule_is_asked_for_each_multiplication_by_a_32_bit_literal_with_the_register_that_holds_the_left_value()
    {
        var asked = new List<(Reg64, long)>();
        var compiler = new X64Compiler { MultiplyByConstant = (reg, factor) => { asked.Add((reg, factor)); return null; } };
        compiler.Generate(Parser.Parse("a * 3 + (b + 1) * -5 + a * b + a * 5000000000 + 7 * a", "a", "b"));
        // a * b has no literal; 5000000000 does not fit 32 bits; 7 * a has its literal on the left (loaded, then imul by a register).
        Assert.Equal([(Reg64.R10, 3L), (Reg64.Rbx, -5L)], asked);
    }

    [Fact]
    public void A_rule_that_returns_null_leaves_the_code_unchanged()
    {
        var f = Parser.Parse("(a * 2 - b * 8) * 3", "a", "b");
        var plain = new X64Compiler().Generate(f).Bytes;
        var asking = new X64Compiler { MultiplyByConstant = (_, _) => null }.Generate(f).Bytes;
        Assert.Equal(plain, asking);
    }

    [Fact]
    public void The_rules_bytes_replace_the_imul_and_the_listing_names_them()
    {
        var f = Parser.Parse("a * 8", "a");
        var program = new X64Compiler { MultiplyByConstant = ShiftForPowersOfTwo }.Generate(f);
        var mnemonics = IcedBytes.Decode(program.Bytes).Select(i => i.Mnemonic).ToList();
        Assert.DoesNotContain(Mnemonic.Imul, mnemonics);
        Assert.Contains(Mnemonic.Shl, mnemonics);
        Assert.Contains(program.Code.Roles, r => r.Owner == "multiply rule" && r.Length == 4);
        Verify.WithIced(program);
    }

    [Fact]
    public void Both_emitters_write_the_same_bytes_and_the_code_agrees_with_the_interpreter()
    {
        var compiler = new X64Compiler { MultiplyByConstant = ShiftForPowersOfTwo };
        // Sample runs on several threads: the double-mapped arena lets them add and call at once
        // (a CodeArena makes its tail page writable while adding, which would fault another thread's call).
        using var arena = new DoubleMappedCodeArena();
        var gen = from f in ExpressionGen.Function(6)
                  from args in ExpressionGen.Arguments(f.Arity)
                  select (f, args);
        gen.Sample(t =>
        {
            var (f, args) = t;
            Assert.Equal(Convert.ToHexString(compiler.Generate(f).Bytes), Convert.ToHexString(compiler.GenerateLean(f)));
            Assert.Equal(Convert.ToHexString(compiler.GenerateBatch(f).Bytes), Convert.ToHexString(compiler.GenerateLean(f, batch: true)));
            long expected;
            try { expected = Interpreter.Evaluate(f, args); }
            catch (ArithmeticException) { return; } // the error paths are the differential tests' subject
            Assert.Equal(expected, compiler.Compile(f, arena).Invoke(args));
        }, iter: 300, print: t => $"{t.f} with ({string.Join(", ", t.args)})");
    }

    [Fact]
    public void Too_many_bytes_from_the_rule_are_refused_and_the_arena_stays_usable()
    {
        var f = Parser.Parse("a * 2", "a");
        var greedy = new X64Compiler { MultiplyByConstant = (_, _) => new byte[X64Compiler.MaxRuleBytes + 1] };
        var e = Assert.Throws<ArgumentException>(() => greedy.Generate(f));
        Assert.Contains($"{X64Compiler.MaxRuleBytes + 1} bytes for %r10 * 2", e.Message);
        Assert.Contains("null to keep the imul", e.Message);

        using var arena = new DoubleMappedCodeArena();
        long before = arena.BytesInUse;
        Assert.Throws<ArgumentException>(() => greedy.Compile(f, arena));
        Assert.Equal(before, arena.BytesInUse);
        Assert.Equal(42, new X64Compiler().Compile(f, arena).Invoke(21));
    }
}
