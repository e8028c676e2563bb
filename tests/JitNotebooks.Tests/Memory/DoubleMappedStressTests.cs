using System.Globalization;
using JitNotebooks.Compiler;

namespace JitNotebooks.Tests.Memory;

/// <summary>
/// 100,000 compiled functions in one double-mapped arena, with memory read back from the kernel
/// (/proc/self/maps, /proc/self/smaps, /proc/self/status), never from timing.
/// </summary>
public class DoubleMappedStressTests
{
    private const int Functions = 100_000;

    private static ParsedFunction Nth(int i) => new(["a", "b"], new BinaryNode(BinaryOperator.Add,
        new BinaryNode(BinaryOperator.Multiply, new ParameterNode("a", 0), new NumberNode(i)), new ParameterNode("b", 1)));

    /// <summary>Resident kilobytes of the arena's own mappings, summed from /proc/self/smaps.</summary>
    private static long ArenaRssKb(DoubleMappedCodeArena arena)
    {
        var ranges = arena.ReadMapsEntries().Select(e => (e.Start, e.End)).ToHashSet();
        long total = 0;
        bool inside = false;
        foreach (var line in File.ReadLines("/proc/self/smaps"))
        {
            if (char.IsAsciiHexDigit(line[0]) && line.Contains('-') && line.IndexOf(' ') > line.IndexOf('-'))
            {
                var e = ProcMaps.Parse(line);
                inside = ranges.Contains((e.Start, e.End));
            }
            else if (inside && line.StartsWith("Rss:", StringComparison.Ordinal))
                total += long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        return total;
    }

    private static long ProcessRssKb() =>
        long.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);

    [Fact]
    public void A_hundred_thousand_functions_compiled_and_freed_in_turn_use_the_same_memory_throughout()
    {
        // A JIT that keeps recompiling: at most 1,000 functions alive, the oldest freed as each new one arrives.
        using var arena = new DoubleMappedCodeArena(capacity: 64L << 20);
        var compiler = new X64Compiler();
        var alive = new Queue<(CompiledFunction Function, int I)>();
        long mappedAtWarmUp = 0, rssAtWarmUp = 0, arenaRssAtWarmUp = 0;
        int linesAtWarmUp = 0;
        for (int i = 0; i < Functions; i++)
        {
            var f = compiler.Compile(Nth(i), arena);
            alive.Enqueue((f, i));
            if (alive.Count > 1000)
            {
                var (oldest, j) = alive.Dequeue();
                Assert.Equal(3L * j + 4, oldest.Invoke(3, 4)); // still right just before it goes
                arena.Free(oldest.Code);
            }
            if (i == 10_000)
            {
                mappedAtWarmUp = arena.MappedBytes;
                linesAtWarmUp = arena.ReadMapsEntries().Count;
                arenaRssAtWarmUp = ArenaRssKb(arena);
                rssAtWarmUp = ProcessRssKb();
            }
        }
        Assert.Equal(Functions, arena.FunctionsAdded);
        Assert.Equal(1000, arena.FunctionCount);
        Assert.All(alive, t => Assert.Equal(3L * t.I + 4, t.Function.Invoke(3, 4)));
        // The file stopped growing once freed space came round again: not one byte more after the warm-up.
        Assert.Equal(mappedAtWarmUp, arena.MappedBytes);
        Assert.True(arena.MappedBytes <= 1 << 20, $"{arena.MappedBytes} bytes mapped for 1,000 live functions");
        Assert.Equal(linesAtWarmUp, arena.ReadMapsEntries().Count);
        Assert.True(linesAtWarmUp <= 4, string.Join("\n", arena.ReadMapsEntries()));
        Assert.Equal(arenaRssAtWarmUp, ArenaRssKb(arena));
        // The whole process: managed garbage comes and goes, but 90,000 more functions must not add up.
        long growthKb = ProcessRssKb() - rssAtWarmUp;
        Assert.True(growthKb < 128 * 1024, $"process RSS grew by {growthKb} kB over 90,000 compile/free cycles");
    }

    [Fact]
    public void A_hundred_thousand_live_functions_share_two_mappings_and_all_run()
    {
        using var arena = new DoubleMappedCodeArena(capacity: 64L << 20);
        var compiler = new X64Compiler();
        var functions = new CompiledFunction[Functions];
        for (int i = 0; i < Functions; i++) functions[i] = compiler.Compile(Nth(i), arena);
        for (int i = 0; i < Functions; i++)
            if (functions[i].Invoke(3, 4) != 3L * i + 4) Assert.Fail($"function {i} returned {functions[i].Invoke(3, 4)}");

        // `mov a; imul $i; add b; mov; xor; ret` is at most 20 bytes: one 32-byte slot each (after the bound is trimmed).
        Assert.Equal(Functions * 32L, arena.BytesInUse);
        Assert.True(arena.MappedBytes <= Functions * 32L + arena.GrowthBytes + X64Compiler.MaxCodeBytes(Nth(0)), $"{arena.MappedBytes} mapped");
        var lines = arena.ReadMapsEntries();
        Assert.Equal(["r-xs", "rw-s"], lines.Where(l => l.Path.Length > 0).Select(l => l.Permissions).Order());
        Assert.True(lines.Count <= 4, string.Join("\n", lines));
        Assert.DoesNotContain(lines, l => l.IsWritableAndExecutable);
        // Resident: the file's pages, seen through both views (each view counts them), and nothing else.
        Assert.True(ArenaRssKb(arena) <= 2 * arena.MappedBytes / 1024, $"{ArenaRssKb(arena)} kB resident");
    }
}
