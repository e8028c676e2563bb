using JitNotebooks.Compiler;

namespace JitNotebooks.Tests.Compiler;

/// <summary>
/// Division and remainder by a literal compile to multiply-high, shifts and a correction. Held
/// against C#'s own <c>/</c> and <c>%</c> by running the generated code natively: every divisor
/// from -1000 to 1000, every power of two and its negation, the extremes, thousands of random
/// 64-bit divisors, on edge dividends and on over a million random pairs. Zero mismatches.
/// </summary>
public class DivisionByConstantTests
{
    /// <summary>C#'s answer: the value, or the exception's type (DivideByZero, Overflow).</summary>
    private static (long? Value, Type? Exception) CSharp(long x, long d, bool remainder)
    {
        try { return (remainder ? x % d : x / d, null); }
        catch (ArithmeticException e) { return (null, e.GetType()); }
    }

    private static readonly long[] EdgeDividends =
    [
        0, 1, -1, 2, -2, 3, -3, 6, 7, -7, 8, 1000, -1000, long.MinValue, long.MinValue + 1, long.MaxValue, long.MaxValue - 1,
        int.MaxValue, int.MinValue, (long)int.MaxValue + 1, (long)int.MinValue - 1, 1L << 62, -(1L << 62), 0x5555555555555555, -0x5555555555555555,
    ];

    /// <summary>Edge dividends, plus the dividends right around multiples of d, where rounding goes wrong first.</summary>
    private static long[] DividendsFor(long d)
    {
        var around = new List<long>(EdgeDividends);
        foreach (long multiple in new[] { d, -d, 2 * d, -2 * d, unchecked(long.MaxValue / d * d), unchecked(long.MinValue / (d == -1 ? 1 : d) * d) })
            for (long delta = -1; delta <= 1; delta++) around.Add(unchecked(multiple + delta));
        return around.Distinct().ToArray();
    }

    private static IEnumerable<long> SmallDivisors() => Enumerable.Range(1, 1000).SelectMany(d => new long[] { d, -d });

    private static IEnumerable<long> PowersOfTwo() => Enumerable.Range(0, 63).SelectMany(k => new[] { 1L << k, -(1L << k) }).Append(long.MinValue);

    private static readonly long[] ExtremeDivisors =
        [long.MaxValue, long.MinValue + 1, long.MaxValue - 1, int.MaxValue, int.MinValue, (long)int.MaxValue + 1, (long)int.MinValue - 1, 0x5555555555555555, -0x5555555555555555, 0x7fffffff00000001];

    /// <summary>Random divisors of every size: a random bit length first, so small and huge magnitudes are equally likely.</summary>
    private static long[] RandomDivisors(int count, int seed)
    {
        var random = new Random(seed);
        var divisors = new long[count];
        for (int i = 0; i < count; i++)
        {
            long d;
            do d = random.NextInt64() >> random.Next(0, 63) ^ (random.Next(2) == 0 ? 0 : -1);
            while (d == 0);
            divisors[i] = d;
        }
        return divisors;
    }

    /// <summary>
    /// Runs <c>a / d</c> (or <c>a % d</c>) natively on every dividend with one batch call, restarting
    /// after a row that throws, and compares each row with C#.
    /// </summary>
    private static int CheckNatively(X64Compiler compiler, DoubleMappedCodeArena arena, long d, long[] dividends, bool remainder)
    {
        var f = new ParsedFunction(["a"], new BinaryNode(remainder ? BinaryOperator.Remainder : BinaryOperator.Divide, new ParameterNode("a", 0), new NumberNode(d)));
        var batch = compiler.CompileBatch(f, arena);
        var results = new long[dividends.Length];
        int start = 0;
        while (start < dividends.Length)
        {
            var run = batch.InvokeRaw(dividends.AsSpan(start), results.AsSpan(start));
            for (int i = start; i < start + run.RowsCompleted; i++)
            {
                var expected = CSharp(dividends[i], d, remainder);
                if (expected.Value != results[i])
                    throw new Xunit.Sdk.XunitException($"{dividends[i]} {(remainder ? "%" : "/")} {d}: C# {(object?)expected.Value ?? expected.Exception!.Name}, ours {results[i]}");
            }
            start += run.RowsCompleted;
            if (run.Status == JitStatus.Ok) break;
            var failed = CSharp(dividends[start], d, remainder);
            var ours = run.Status == JitStatus.Overflow ? typeof(OverflowException) : typeof(DivideByZeroException);
            if (failed.Exception != ours)
                throw new Xunit.Sdk.XunitException($"{dividends[start]} {(remainder ? "%" : "/")} {d}: C# {(object?)failed.Value ?? failed.Exception!.Name}, ours {ours.Name}");
            start++;
        }
        arena.Free(batch.Code);
        return dividends.Length;
    }

    private static int CheckDivisors(IEnumerable<long> divisors, Func<long, long[]> dividends)
    {
        using var arena = new DoubleMappedCodeArena();
        var compiler = new X64Compiler();
        int checkedPairs = 0;
        foreach (long d in divisors)
        {
            var xs = dividends(d);
            checkedPairs += CheckNatively(compiler, arena, d, xs, remainder: false) + CheckNatively(compiler, arena, d, xs, remainder: true);
        }
        return checkedPairs;
    }

    /// <summary>Checks every divisor on its edge dividends, and that every pair was indeed run.</summary>
    private static void CheckOnEdges(IEnumerable<long> divisors)
    {
        var list = divisors.ToList();
        Assert.Equal(list.Sum(d => 2 * DividendsFor(d).Length), CheckDivisors(list, DividendsFor));
    }

    [Fact]
    public void Every_divisor_from_minus_1000_to_1000_on_edge_dividends() => CheckOnEdges(SmallDivisors());

    [Fact]
    public void Powers_of_two_their_negations_and_long_MinValue() => CheckOnEdges(PowersOfTwo());

    [Fact]
    public void Extreme_and_random_64_bit_divisors_on_edge_dividends() => CheckOnEdges(ExtremeDivisors.Concat(RandomDivisors(3000, seed: 1)));

    [Fact]
    public void A_million_random_pairs_with_zero_mismatches()
    {
        // 2,000 random divisors × 260 random dividends × (/ and %): 1,040,000 pairs, each computed by the generated code.
        var random = new Random(2);
        var divisors = RandomDivisors(1000, seed: 3).Concat(Enumerable.Range(0, 1000).Select(_ => (long)random.Next(-5000, 5000) | 1));
        int pairs = CheckDivisors(divisors, _ =>
        {
            var xs = new long[260];
            for (int i = 0; i < xs.Length; i++) xs[i] = random.NextInt64() >> random.Next(0, 64) ^ (random.Next(2) == 0 ? 0 : -1);
            return xs;
        });
        Assert.True(pairs >= 1_000_000, $"{pairs} pairs");
    }

    [Fact]
    public void Single_calls_and_the_CodeBuilder_path_agree_too()
    {
        // The batch tests above use the lean emitter's loop; the one-call shape and the mprotect arena run the same division code.
        using var arena = new CodeArena();
        var compiler = new X64Compiler();
        foreach (long d in SmallDivisors().Where(d => Math.Abs(d) <= 40).Concat(PowersOfTwo().Take(10)).Concat(ExtremeDivisors))
            foreach (bool remainder in new[] { false, true })
            {
                var f = new ParsedFunction(["a", "b"], new BinaryNode(BinaryOperator.Add,
                    new BinaryNode(remainder ? BinaryOperator.Remainder : BinaryOperator.Divide, new ParameterNode("a", 0), new NumberNode(d)),
                    new ParameterNode("b", 1)));
                var jit = compiler.Compile(f, arena);
                foreach (long x in DividendsFor(d))
                {
                    var expected = CSharp(x, d, remainder);
                    var ours = EngineHarness.Run(() => jit.Invoke(x, 0));
                    Assert.Equal((expected.Value, expected.Exception), (ours.Value, ours.Exception));
                }
            }
    }

    [Fact]
    public void RyuJIT_and_the_interpreter_agree_with_our_code_on_literal_divisors()
    {
        using var arena = new DoubleMappedCodeArena();
        var compiler = new X64Compiler();
        foreach (long d in new long[] { 1, -1, 2, -2, 3, 7, -7, 10, 1000, -1024, long.MinValue, long.MaxValue, 0 })
        {
            var a = new ParameterNode("a", 0);
            var f = new ParsedFunction(["a"], new BinaryNode(BinaryOperator.Add,
                new BinaryNode(BinaryOperator.Divide, a, new NumberNode(d)), new BinaryNode(BinaryOperator.Remainder, a, new NumberNode(d))));
            var jit = compiler.Compile(f, arena);
            var reference = ExpressionTreeCompiler.Compile(f);
            foreach (long x in DividendsFor(d == 0 ? 1 : d))
            {
                var (i, j, r) = EngineHarness.All(f, jit, reference, [x]);
                Assert.True(i == j && j == r, $"{f} at {x}: interpreter {i}, JIT {j}, RyuJIT {r}");
            }
        }
    }

    [Fact]
    public void The_literal_zero_still_divides_by_zero_after_evaluating_the_left_operand_first()
    {
        using var arena = new DoubleMappedCodeArena();
        var f = Parser.Parse("(a / b) / 0", "a", "b");
        var jit = new X64Compiler().Compile(f, arena);
        Assert.Throws<DivideByZeroException>(() => jit.Invoke(5, 1));
        Assert.Throws<OverflowException>(() => jit.Invoke(long.MinValue, -1)); // the left operand's error wins, as in C#
    }
}
