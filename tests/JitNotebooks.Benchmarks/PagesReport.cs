using System.Diagnostics;
using JitNotebooks;
using JitNotebooks.Compiler;

namespace JitNotebooks.Benchmarks;

/// <summary>
/// Not a timing benchmark: counts the memory 10,000 small JIT'd functions take in a
/// <see cref="CodeArena"/> and in a <see cref="DoubleMappedCodeArena"/>, against one <see cref="ExecutableMemory"/> mapping each.
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
        WarmUp(programs[..100]);

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

        var doubleTime = Stopwatch.StartNew();
        using (var arena = new DoubleMappedCodeArena())
        {
            var functions = programs.Select(p => arena.Add(p)).ToArray();
            doubleTime.Stop();
            Check(functions.Select(f => f.Call(3, 4)).ToArray());
            long pages = arena.MappedBytes / Environment.SystemPageSize;
            long growths = arena.MappedBytes / arena.GrowthBytes;
            int lines = arena.ReadMapsEntries().Count(e => e.Path.Length > 0);
            Console.WriteLine($"double-mapped arena:    {pages,6} pages mapped (seen twice: {lines} maps lines, rw-s and r-xs), " +
                              $"{(arena.BytesInUse + Environment.SystemPageSize - 1) / Environment.SystemPageSize,6} pages with code, " +
                              $"{2 + 2 * growths} mmap calls, 0 mprotect calls, {doubleTime.Elapsed.TotalMilliseconds:F0} ms");
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

    /// <summary>Runs every placement once on a few functions, so the timings below do not include JIT-compiling the library.</summary>
    private static void WarmUp(byte[][] programs)
    {
        using (var arena = new CodeArena()) { foreach (var p in programs) arena.Add(p); arena.AddBatch(programs); }
        using (var arena = new DoubleMappedCodeArena()) foreach (var p in programs) arena.Add(p);
        foreach (var p in programs) ExecutableMemory.Create(p).Dispose();
    }

    private static void Check(long[] results)
    {
        for (int i = 0; i < results.Length; i++)
            if (results[i] != 3L * i + 4) throw new InvalidOperationException($"function {i} returned {results[i]}");
    }
}
