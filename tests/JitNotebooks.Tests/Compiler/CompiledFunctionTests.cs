using JitNotebooks.Compiler;

namespace JitNotebooks.Tests.Compiler;

/// <summary>The wrapper's fast path (one comparison) and its checked path, for both arenas.</summary>
public class CompiledFunctionTests
{
    [Theory]
    [InlineData("a + b", false)]
    [InlineData("a / 7 + b % -8", false)]
    [InlineData("a / b", true)]
    [InlineData("a / -1", true)]
    [InlineData("a % 0", true)]
    public void CanFail_is_true_exactly_when_the_code_has_an_error_exit(string source, bool canFail)
    {
        using var arena = new DoubleMappedCodeArena();
        var f = new X64Compiler().Compile(Parser.Parse(source, "a", "b"), arena);
        Assert.Equal(canFail, f.CanFail);
        using var mprotect = new CodeArena();
        Assert.Equal(canFail, new X64Compiler().Compile(Parser.Parse(source, "a", "b"), mprotect).CanFail);
    }

    [Fact]
    public void The_wrong_number_of_arguments_is_refused_on_the_fast_path_too()
    {
        using var arena = new DoubleMappedCodeArena();
        var f = new X64Compiler().Compile(Parser.Parse("a + b", "a", "b"), arena);
        Assert.Equal(3, f.Invoke(1, 2));
        Assert.Contains("takes 2 arguments", Assert.Throws<ArgumentException>(() => f.Invoke(1)).Message);
        Assert.Throws<ArgumentException>(() => f.Invoke(1, 2, 3));
        Assert.Throws<ArgumentException>(() => f.Invoke());
        Assert.Throws<ArgumentException>(() => f.Invoke(1, 2, 3, 4, 5, 6));
    }

    [Fact]
    public void Freeing_or_disposing_closes_the_fast_path_and_says_why()
    {
        var arena = new DoubleMappedCodeArena();
        var compiler = new X64Compiler();
        var freed = compiler.Compile(Parser.Parse("a * 2", "a"), arena);
        var kept = compiler.Compile(Parser.Parse("a * 3", "a"), arena);
        var failing = compiler.Compile(Parser.Parse("10 / a", "a"), arena);
        Assert.Equal((4, 6, 5), (freed.Invoke(2), kept.Invoke(2), failing.Invoke(2)));
        arena.Free(freed.Code);
        Assert.Contains("freed", Assert.Throws<ObjectDisposedException>(() => freed.Invoke(2)).Message);
        Assert.Equal(6, kept.Invoke(2));
        arena.Dispose();
        Assert.Contains("disposed", Assert.Throws<ObjectDisposedException>(() => kept.Invoke(2)).Message);
        Assert.Contains("disposed", Assert.Throws<ObjectDisposedException>(() => failing.Invoke(2)).Message);
        Assert.Throws<ObjectDisposedException>(() => kept.InvokeRaw(2));
    }

    [Fact]
    public void Every_arity_from_0_to_6_runs_on_both_paths()
    {
        using var arena = new DoubleMappedCodeArena();
        var compiler = new X64Compiler();
        string[] names = ["a", "b", "c", "d", "e", "f"];
        for (int arity = 0; arity <= 6; arity++)
        {
            string sum = arity == 0 ? "7" : string.Join(" + ", names[..arity].Select((n, i) => $"{n} * {i + 1}"));
            var fast = compiler.Compile(Parser.Parse(sum, names[..arity]), arena);
            string one = arity == 0 ? "1" : "(a - a + 1)"; // a divisor the compiler cannot see is never 0 or -1
            var slow = compiler.Compile(Parser.Parse($"({sum}) / {one}", names[..arity]), arena);
            long[] args = Enumerable.Range(1, arity).Select(i => (long)i * 10).ToArray();
            long expected = arity == 0 ? 7 : args.Select((v, i) => v * (i + 1)).Sum();
            Assert.False(fast.CanFail);
            Assert.Equal(arity > 0, slow.CanFail);
            foreach (var f in new[] { fast, slow })
            {
                Assert.Equal(expected, f.Invoke(args));
                Assert.Equal(expected, arity switch
                {
                    0 => f.Invoke(),
                    1 => f.Invoke(args[0]),
                    2 => f.Invoke(args[0], args[1]),
                    3 => f.Invoke(args[0], args[1], args[2]),
                    4 => f.Invoke(args[0], args[1], args[2], args[3]),
                    5 => f.Invoke(args[0], args[1], args[2], args[3], args[4]),
                    _ => f.Invoke(args[0], args[1], args[2], args[3], args[4], args[5]),
                });
            }
        }
    }
}
