using System.Diagnostics;
using JitNotebooks;
using JitNotebooks.Compiler;

namespace JitNotebooks.Benchmarks;

/// <summary>
/// Not a timing benchmark: counts the memory 10,000 small JIT'd functions take in a
/// <see cref="CodeArena"/> against one <see cref="ExecutableMemory"/> mapping each.
/// Run with <c>-- --pages</c>.
/// </summary>
public static class PagesReport
{
    public const int FunctionCount = 10_000;

    public static void Run()
    {
        var compiler = new X64Compiler();
        var programs = Enumerable.Range(0, FunctionCount)
            .Select(i => compiler.Generate(Parser.Parse($"a * {i} + b", "a", "b")).Bytes).ToArray();
        double averageBytes = programs.Average(p => p.Length);

        var arenaTime = Stopwatch.StartNew();
        using (var arena = new CodeArena())
        {
            var functions = programs.Select(arena.Add).ToArray();
            arenaTime.Stop();
            Check(functions.Select(f => f.Call(3, 4)).ToArray());
            Console.WriteLine($"{FunctionCount} functions, {averageBytes:F1} bytes of code each on average");
            Console.WriteLine($"arena (one add each):   {arena.PagesMapped,6} pages mapped, {arena.PagesUsed,6} pages with code, " +
                              $"{arena.MappingCount} mmap calls, {arenaTime.Elapsed.TotalMilliseconds:F0} ms");
        }

        var batchTime = Stopwatch.StartNew();
        using (var arena = new CodeArena())
        {
            var functions = arena.AddBatch(programs);
            batchTime.Stop();
            Check(functions.Select(f => f.Call(3, 4)).ToArray());
            Console.WriteLine($"arena (one batch):      {arena.PagesMapped,6} pages mapped, {arena.PagesUsed,6} pages with code, " +
                              $"{arena.MappingCount} mmap calls, {batchTime.Elapsed.TotalMilliseconds:F0} ms");
        }

        var eachTime = Stopwatch.StartNew();
        var mappings = programs.Select(p => ExecutableMemory.Create(p)).ToArray();
        eachTime.Stop();
        try
        {
            Check(mappings.Select(m => m.Call(3, 4)).ToArray());
            Console.WriteLine($"one mapping each:       {mappings.Sum(m => (long)m.PageCount),6} pages mapped, {mappings.Length,6} pages with code, " +
                              $"{mappings.Length} mmap calls, {eachTime.Elapsed.TotalMilliseconds:F0} ms");
        }
        finally
        {
            foreach (var m in mappings) m.Dispose();
        }
    }

    private static void Check(long[] results)
    {
        for (int i = 0; i < results.Length; i++)
            if (results[i] != 3L * i + 4) throw new InvalidOperationException($"function {i} returned {results[i]}");
    }
}
