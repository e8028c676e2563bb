using JitNotebooks.Compiler;

namespace JitNotebooks.Tests.Compiler;

/// <summary>Each arithmetic edge case by name, on all three engines.</summary>
public class EdgeCaseTests
{
    private const long Min = long.MinValue, Max = long.MaxValue;

    private static void Expect(string source, long a, long b, long? value, Type? exception)
    {
        var f = Parser.Parse(source, "a", "b");
        using var arena = new CodeArena();
        var jit = new X64Compiler().Compile(f, arena);
        var reference = ExpressionTreeCompiler.Compile(f);
        var (i, j, r) = EngineHarness.All(f, jit, reference, [a, b]);
        var expected = new EngineHarness.Outcome(value, exception);
        Assert.Equal(expected, i);
        Assert.Equal(expected, j);
        Assert.Equal(expected, r);
    }

    [Theory]
    [InlineData("a + b", Max, 1, Min)]
    [InlineData("a - b", Min, 1, Max)]
    [InlineData("a * b", Max, 2, -2)]
    [InlineData("a * b", Min, -1, Min)]
    [InlineData("-a", Min, 0, Min)]
    [InlineData("a * 3000000000", 4000000000, 0, -6446744073709551616)] // movabs constant, wraps
    [InlineData("a / b", 7, 2, 3)]
    [InlineData("a / b", -7, 2, -3)]     // truncates toward zero, not floor
    [InlineData("a % b", -7, 2, -1)]     // sign of the dividend
    [InlineData("a % b", 7, -2, 1)]
    [InlineData("a / b", Min, 1, Min)]
    [InlineData("a / b", Max, -1, -Max)] // -1 divisor without overflow
    [InlineData("a % b", Max, -1, 0)]
    [InlineData("a / -1", 5, 0, -5)]
    [InlineData("a / b", Min, Min, 1)]
    [InlineData("a % b", Min, Max, -1)]
    public void Wrapping_and_truncating_values(string source, long a, long b, long expected) => Expect(source, a, b, expected, null);

    [Theory]
    [InlineData("a / b", 1, 0)]
    [InlineData("a % b", 1, 0)]
    [InlineData("a / b", 0, 0)]
    [InlineData("a % b", Min, 0)]
    [InlineData("a / 0", 5, 0)]
    [InlineData("a / (b - b)", 5, 9)]
    public void Division_by_zero_throws_DivideByZeroException_everywhere(string source, long a, long b) =>
        Expect(source, a, b, null, typeof(DivideByZeroException));

    [Theory]
    [InlineData("a / b", Min, -1)]
    [InlineData("a % b", Min, -1)]
    [InlineData("a / -1", Min, 0)]
    [InlineData("a % -1", Min, 0)]
    [InlineData("-9223372036854775808 / b", 0, -1)]
    public void MinValue_by_minus_one_throws_OverflowException_everywhere(string source, long a, long b) =>
        Expect(source, a, b, null, typeof(OverflowException));

    [Fact]
    public void The_first_error_in_left_to_right_order_wins()
    {
        Expect("(a / 0) + (a / b)", Min, -1, null, typeof(DivideByZeroException));
        Expect("(a / b) + (a / 0)", Min, -1, null, typeof(OverflowException));
    }

    [Fact]
    public void The_process_survives_many_faulting_divisions()
    {
        // Without the checks before idiv each of these would be a SIGFPE and kill the test host.
        var f = Parser.Parse("a / b + a % b", "a", "b");
        using var arena = new CodeArena();
        var jit = new X64Compiler().Compile(f, arena);
        for (int i = 0; i < 1000; i++)
        {
            Assert.Throws<DivideByZeroException>(() => jit.Invoke(i, 0));
            Assert.Throws<OverflowException>(() => jit.Invoke(Min, -1));
        }
        Assert.Equal(new JitResult(0, JitStatus.DivideByZero), jit.InvokeRaw(1, 0) with { Value = 0 });
        Assert.Equal(JitStatus.Overflow, jit.InvokeRaw(Min, -1).Status);
        Assert.Equal(new JitResult(7 / 2 + 7 % 2, JitStatus.Ok), jit.InvokeRaw(7, 2));
    }

    [Fact]
    public void Exception_messages_are_NET_s_own()
    {
        var f = Parser.Parse("a / b", "a", "b");
        using var arena = new CodeArena();
        var jit = new X64Compiler().Compile(f, arena);
        long zero = 0, min = Min, minusOne = -1;
        Assert.Equal(Assert.Throws<DivideByZeroException>(() => 1 / zero).Message, Assert.Throws<DivideByZeroException>(() => jit.Invoke(1, 0)).Message);
        Assert.Equal(Assert.Throws<OverflowException>(() => min / minusOne).Message, Assert.Throws<OverflowException>(() => jit.Invoke(Min, -1)).Message);
    }

    [Fact]
    public void All_six_parameters_arrive_in_the_right_registers()
    {
        // rdx (third) is moved to r11 before any idiv can clobber it.
        var f = Parser.Parse("a*100000 + b*10000 + c*1000 + d*100 + e*10 + f + (a / b) * 0 + c % 1000000", "a", "b", "c", "d", "e", "f");
        using var arena = new CodeArena();
        var jit = new X64Compiler().Compile(f, arena);
        long[] args = [1, 2, 3, 4, 5, 6];
        Assert.Equal(Interpreter.Evaluate(f, args), jit.Invoke(args));
        Assert.Equal(123459, jit.Invoke(1, 2, 3, 4, 5, 6));
        Assert.Equal(Interpreter.Evaluate(f, 7, -3, 11, 0, 9, -4), jit.Invoke(7, -3, 11, 0, 9, -4));
    }
}
