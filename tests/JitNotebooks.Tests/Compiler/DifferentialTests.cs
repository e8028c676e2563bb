using CsCheck;
using JitNotebooks.Compiler;

namespace JitNotebooks.Tests.Compiler;

/// <summary>
/// The central property: on every function and every input, the interpreter, our x64 JIT and .NET's
/// compiler (RyuJIT) give the same value, or throw the same exception type.
/// </summary>
public class DifferentialTests
{
    private static void AllAgree(int scratchRegisters, int maxDepth, long iterations)
    {
        using var arena = new CodeArena();
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
        }, iter: iterations, threads: 1, print: t => $"{t.f} on {t.inputs.Length} inputs"); // one thread: see CodeArena remarks
    }

    [Fact]
    public void Interpreter_JIT_and_RyuJIT_agree_with_the_full_register_pool() => AllAgree(6, maxDepth: 7, iterations: 400);

    [Fact]
    public void Interpreter_JIT_and_RyuJIT_agree_when_two_registers_force_spilling() => AllAgree(2, maxDepth: 7, iterations: 400);

    [Fact]
    public void Interpreter_JIT_and_RyuJIT_agree_with_three_registers() => AllAgree(3, maxDepth: 6, iterations: 200);

    [Fact]
    public void The_generators_reach_every_outcome()
    {
        // Guard against a property that passes because the generator never produces errors.
        int values = 0, divideByZero = 0, overflow = 0;
        var gen = ExpressionGen.Function(6).SelectMany(f => ExpressionGen.Arguments(f.Arity).Select(a => (f, a)));
        gen.Sample(t =>
        {
            var o = EngineHarness.Run(() => Interpreter.Evaluate(t.f, t.a));
            if (o.Exception is null) values++;
            else if (o.Exception == typeof(DivideByZeroException)) divideByZero++;
            else if (o.Exception == typeof(OverflowException)) overflow++;
        }, iter: 3000, threads: 1);
        Assert.True(values > 100, $"values {values}");
        Assert.True(divideByZero > 10, $"divide by zero {divideByZero}");
        Assert.True(overflow > 0, $"overflow {overflow}");
    }
}
