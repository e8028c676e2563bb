using System.Numerics;

namespace JitNotebooks.Compiler;

/// <summary>How <see cref="MagicDivisor"/> replaces <c>idiv</c> for one constant divisor.</summary>
public enum DivisionStrategy
{
    /// <summary><c>x / 1 = x</c>, <c>x % 1 = 0</c>: no instruction at all.</summary>
    One,
    /// <summary><c>x / -1 = -x</c>, <c>x % -1 = 0</c>; <c>neg</c> sets OF for long.MinValue, whose quotient does not fit: OverflowException, as in C#.</summary>
    MinusOne,
    /// <summary>
    /// <c>|d| = 2^k</c>: an arithmetic shift by k, after adding <c>2^k - 1</c> to negative
    /// dividends so the shift rounds toward zero, as C# does, instead of toward minus infinity.
    /// </summary>
    PowerOfTwo,
    /// <summary>
    /// Any other divisor: the high half of <c>x * M</c> (one <c>imul</c>), shifted right by s, plus
    /// one when negative. M is about <c>2^(64+s) / d</c>, rounded up (Granlund and Montgomery 1994;
    /// Hacker's Delight, chapter 10).
    /// </summary>
    MultiplyHigh,
}

/// <summary>
/// Division by a constant without <c>idiv</c> (which takes tens of cycles), the way optimizing
/// compilers (RyuJIT, GCC, LLVM) do it. For a divisor d the compiler computes, once, a "magic"
/// multiplier M and shift s; the code then divides any x with a multiply, a shift and a
/// correction. <see cref="Quotient"/> and <see cref="Remainder"/> do the same steps in C#, so a
/// learner can follow them for one x (notebook 09 works <c>x / 7</c> by hand).
/// </summary>
/// <remarks>
/// Semantics are C#'s: quotients truncate toward zero, remainders take the dividend's sign, and
/// <c>long.MinValue / -1</c> (and <c>% -1</c>) throw <see cref="OverflowException"/>.
/// Division by 0 is not a strategy: the compiler keeps its guarded <c>idiv</c> for it, which
/// reports DivideByZero.
/// </remarks>
public sealed record MagicDivisor
{
    private MagicDivisor(long divisor, DivisionStrategy strategy, long multiplier, int shift, int correction)
    {
        Divisor = divisor;
        Strategy = strategy;
        Multiplier = multiplier;
        Shift = shift;
        DividendCorrection = correction;
    }

    /// <summary>d.</summary>
    public long Divisor { get; }

    public DivisionStrategy Strategy { get; }

    /// <summary>M, for <see cref="DivisionStrategy.MultiplyHigh"/> (0 otherwise). Read as a signed 64-bit number.</summary>
    public long Multiplier { get; }

    /// <summary>s (the shift after the multiply) for MultiplyHigh; k (where <c>|d| = 2^k</c>) for PowerOfTwo; 0 otherwise.</summary>
    public int Shift { get; }

    /// <summary>
    /// For MultiplyHigh: +1 when x is added to the high half (d &gt; 0 but M came out negative:
    /// the true multiplier 2^64 + M did not fit), -1 when x is subtracted (d &lt; 0, M &gt; 0), else 0.
    /// </summary>
    public int DividendCorrection { get; }

    /// <summary>True for a negative divisor: the quotient by |d| is negated (PowerOfTwo), or M is negative (MultiplyHigh).</summary>
    public bool IsNegative => Divisor < 0;

    /// <summary>Chooses the strategy for <paramref name="divisor"/> and, for MultiplyHigh, computes M and s.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The divisor is 0.</exception>
    public static MagicDivisor For(long divisor)
    {
        if (divisor == 0)
            throw new ArgumentOutOfRangeException(nameof(divisor), divisor,
                "There is no magic number for 0: x / 0 throws DivideByZeroException, so compiled code keeps a guarded idiv for it.");
        if (divisor == 1) return new(divisor, DivisionStrategy.One, 0, 0, 0);
        if (divisor == -1) return new(divisor, DivisionStrategy.MinusOne, 0, 0, 0);
        ulong magnitude = Magnitude(divisor);
        if ((magnitude & (magnitude - 1)) == 0)
            return new(divisor, DivisionStrategy.PowerOfTwo, 0, BitOperations.TrailingZeroCount(magnitude), 0);
        var (multiplier, shift) = ComputeMagic(divisor, magnitude);
        int correction = divisor > 0 && multiplier < 0 ? 1 : divisor < 0 && multiplier > 0 ? -1 : 0;
        return new(divisor, DivisionStrategy.MultiplyHigh, multiplier, shift, correction);
    }

    /// <summary>x / d computed the way the generated code does it, step by step.</summary>
    /// <exception cref="OverflowException">long.MinValue / -1, as C# throws.</exception>
    public long Quotient(long x) => unchecked(Strategy switch
    {
        DivisionStrategy.One => x,
        DivisionStrategy.MinusOne => x == long.MinValue ? throw new OverflowException() : -x,
        DivisionStrategy.PowerOfTwo => IsNegative ? -ShiftTowardZero(x) : ShiftTowardZero(x),
        _ => MultiplyHighQuotient(x),
    });

    /// <summary>x % d the way the generated code does it: x - (x / d) * d, or masking for powers of two.</summary>
    /// <exception cref="OverflowException">long.MinValue % -1, as .NET on x64 throws.</exception>
    public long Remainder(long x) => unchecked(Strategy switch
    {
        DivisionStrategy.One => 0,
        DivisionStrategy.MinusOne => x == long.MinValue ? throw new OverflowException() : 0,
        // x minus the quotient by |d| times |d|: the remainder's sign follows x, and d's sign does not matter.
        DivisionStrategy.PowerOfTwo => x - (ShiftTowardZero(x) << Shift),
        _ => x - MultiplyHighQuotient(x) * Divisor,
    });

    /// <summary>(x + (x &lt; 0 ? 2^k - 1 : 0)) &gt;&gt; k: the bias makes the arithmetic shift round toward zero.</summary>
    private long ShiftTowardZero(long x)
    {
        long bias = (long)((ulong)(x >> 63) >> (64 - Shift)); // sar $63 then shr $(64-k): 2^k - 1 or 0
        return unchecked(x + bias) >> Shift;
    }

    private long MultiplyHighQuotient(long x)
    {
        long q = Math.BigMul(Multiplier, x, out _);    // imul: the high 64 bits of the 128-bit product
        q = unchecked(q + DividendCorrection * x);      // add (or subtract) x when M is off by 2^64
        q >>= Shift;                                    // sar $s
        return unchecked(q + (long)((ulong)q >> 63));   // +1 if negative: rounds toward zero
    }

    /// <summary>|d| as an unsigned number (|long.MinValue| = 2^63 does not fit a long).</summary>
    private static ulong Magnitude(long d) => d < 0 ? unchecked(0UL - (ulong)d) : (ulong)d;

    /// <summary>
    /// The smallest p ≥ 64 for which M = ⌈2^p / |d|⌉ is exact enough for every 64-bit dividend
    /// (Hacker's Delight, figure 10-1, for 64 bits). The loop raises p until the error
    /// <c>M·|d| − 2^p</c> is below <c>2^p / nc</c>, where nc is the most negative (or positive)
    /// dividend with remainder <c>±(|d| − 1)</c>: the value that needs the most precision.
    /// Every quantity is unsigned and kept as quotient and remainder of a power of two, so
    /// nothing overflows.
    /// </summary>
    private static (long Multiplier, int Shift) ComputeMagic(long d, ulong ad)
    {
        const ulong two63 = 1UL << 63;
        ulong t = two63 + ((ulong)d >> 63);   // 2^63 for d > 0, 2^63 + 1 for d < 0
        ulong anc = t - 1 - t % ad;           // |nc|
        int p = 63;
        ulong q1 = two63 / anc, r1 = two63 - q1 * anc;   // 2^p = q1·|nc| + r1
        ulong q2 = two63 / ad, r2 = two63 - q2 * ad;     // 2^p = q2·|d| + r2
        ulong delta;
        do
        {
            p++;
            q1 = unchecked(2 * q1);
            r1 = unchecked(2 * r1);
            if (r1 >= anc) { q1++; r1 -= anc; }
            q2 = unchecked(2 * q2);
            r2 = unchecked(2 * r2);
            if (r2 >= ad) { q2++; r2 -= ad; }
            delta = ad - r2;
        } while (q1 < delta || (q1 == delta && r1 == 0));
        long multiplier = unchecked((long)(q2 + 1));     // ⌈2^p / |d|⌉, modulo 2^64: may read as negative
        return (d < 0 ? unchecked(-multiplier) : multiplier, p - 64);
    }

    public override string ToString() => Strategy switch
    {
        DivisionStrategy.MultiplyHigh =>
            $"/ {Divisor}: q = (mulhi(x, 0x{Multiplier:x16}){(DividendCorrection > 0 ? " + x" : DividendCorrection < 0 ? " - x" : "")}) >> {Shift}; q += q < 0 ? 1 : 0",
        DivisionStrategy.PowerOfTwo => $"/ {Divisor}: q = {(IsNegative ? "-" : "")}((x + (x < 0 ? 2^{Shift} - 1 : 0)) >> {Shift})",
        DivisionStrategy.MinusOne => $"/ -1: q = -x (overflow for long.MinValue)",
        _ => "/ 1: q = x",
    };
}
