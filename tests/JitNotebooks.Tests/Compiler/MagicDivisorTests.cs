using JitNotebooks.Compiler;

namespace JitNotebooks.Tests.Compiler;

/// <summary>The magic numbers themselves, and the C# model of the generated code (what notebook 09 works by hand).</summary>
public class MagicDivisorTests
{
    [Theory]
    // The constants GCC, Clang and RyuJIT emit for these divisors (signed 64-bit).
    [InlineData(3L, 0x5555555555555556L, 0, 0)]
    [InlineData(5L, 0x6666666666666667L, 1, 0)]
    [InlineData(6L, 0x2AAAAAAAAAAAAAABL, 0, 0)]
    [InlineData(7L, 0x4924924924924925L, 1, 0)]
    [InlineData(10L, 0x6666666666666667L, 2, 0)]
    [InlineData(1000L, 0x20C49BA5E353F7CFL, 7, 0)]
    [InlineData(-7L, -0x4924924924924925L, 1, 0)]
    // Not always the negation: for -3 the algorithm finds a positive M with a shift and subtracts the dividend.
    [InlineData(-3L, 0x5555555555555555L, 1, -1)]
    public void Known_magic_numbers(long d, long multiplier, int shift, int correction)
    {
        var m = MagicDivisor.For(d);
        Assert.Equal(DivisionStrategy.MultiplyHigh, m.Strategy);
        Assert.Equal((multiplier, shift, correction), (m.Multiplier, m.Shift, m.DividendCorrection));
    }

    [Fact]
    public void The_strategy_follows_the_divisor()
    {
        Assert.Equal(DivisionStrategy.One, MagicDivisor.For(1).Strategy);
        Assert.Equal(DivisionStrategy.MinusOne, MagicDivisor.For(-1).Strategy);
        Assert.Equal((DivisionStrategy.PowerOfTwo, 3), (MagicDivisor.For(-8).Strategy, MagicDivisor.For(-8).Shift));
        Assert.Equal((DivisionStrategy.PowerOfTwo, 63), (MagicDivisor.For(long.MinValue).Strategy, MagicDivisor.For(long.MinValue).Shift));
        Assert.Equal(DivisionStrategy.MultiplyHigh, MagicDivisor.For(long.MaxValue).Strategy);
        var zero = Assert.Throws<ArgumentOutOfRangeException>(() => MagicDivisor.For(0));
        Assert.Contains("DivideByZeroException", zero.Message);
    }

    [Fact]
    public void Both_corrections_occur_among_small_divisors()
    {
        // Otherwise the add/sub of the dividend after the multiply would go untested.
        var corrections = Enumerable.Range(2, 1000).SelectMany(d => new long[] { d, -d }).Select(d => MagicDivisor.For(d))
            .Where(m => m.Strategy == DivisionStrategy.MultiplyHigh).Select(m => m.DividendCorrection).ToHashSet();
        Assert.Equal([-1, 0, 1], corrections.Order());
    }

    [Fact]
    public void The_model_equals_CSharp_on_edge_and_random_values()
    {
        var random = new Random(9);
        long[] dividends = [0, 1, -1, 7, -7, long.MinValue, long.MinValue + 1, long.MaxValue, long.MaxValue - 1, .. Enumerable.Range(0, 300).Select(_ => random.NextInt64() >> random.Next(64))];
        var divisors = Enumerable.Range(1, 300).SelectMany(d => new long[] { d, -d })
            .Concat(Enumerable.Range(0, 63).Select(k => 1L << k)).Append(long.MinValue).Append(long.MaxValue)
            .Concat(Enumerable.Range(0, 300).Select(_ => random.NextInt64() | 1));
        foreach (long d in divisors)
        {
            var m = MagicDivisor.For(d);
            foreach (long x in dividends)
            {
                if (x == long.MinValue && d == -1)
                {
                    Assert.Throws<OverflowException>(() => m.Quotient(x));
                    Assert.Throws<OverflowException>(() => m.Remainder(x));
                    continue;
                }
                Assert.True(x / d == m.Quotient(x), $"{x} / {d}: C# {x / d}, model {m.Quotient(x)} ({m})");
                Assert.True(x % d == m.Remainder(x), $"{x} % {d}: C# {x % d}, model {m.Remainder(x)} ({m})");
            }
        }
    }

    [Fact]
    public void Seven_worked_by_hand()
    {
        // 100 / 7: M * 100 = 0x4924924924924925 * 100; its high 64 bits are 28 (= 100 * 2^65/7 / 2^64, rounded down),
        // >> 1 gives 14, and the quotient is not negative: 14.
        var m = MagicDivisor.For(7);
        Assert.Equal(28, Math.BigMul(m.Multiplier, 100, out _));
        Assert.Equal(14, m.Quotient(100));
        Assert.Equal(2, m.Remainder(100));
        Assert.Equal(-14, m.Quotient(-100)); // high half -29, >> 1 = -15, +1 because negative: -14
        Assert.Equal(-29, Math.BigMul(m.Multiplier, -100, out _));
        Assert.Contains("0x4924924924924925", m.ToString());
    }
}
