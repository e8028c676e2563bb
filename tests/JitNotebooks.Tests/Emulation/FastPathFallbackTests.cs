using JitNotebooks.Compiler;

namespace JitNotebooks.Tests.Emulation;

/// <summary>
/// The fast paths of notebook 09 (the double-mapped arena, the lean emitter's functions, batch
/// evaluation) give the same answers when the bytes run in the emulator, as off Linux x86-64.
/// </summary>
public class FastPathFallbackTests
{
    private static readonly ParsedFunction Division = Parser.Parse("(a * 7 + b) / 3 - b % 5", "a", "b");

    [Fact]
    public void A_function_in_the_double_mapped_arena_gives_the_same_values_emulated()
    {
        using var arena = new DoubleMappedCodeArena();
        var native = new X64Compiler().Compile(Division, arena);
        long[] expected = [native.Invoke(10, 20), native.Invoke(-7, 3), native.Invoke(long.MaxValue, 1)];
        using (NativePlatform.UseEmulator())
        {
            var emulated = new X64Compiler().Compile(Division, arena);
            Assert.Equal(expected, new[] { emulated.Invoke(10, 20), emulated.Invoke(-7, 3), emulated.Invoke(long.MaxValue, 1) });
            var byZero = new X64Compiler().Compile(Parser.Parse("a / b", "a", "b"), arena);
            Assert.Throws<DivideByZeroException>(() => byZero.Invoke(1, 0));
            Assert.Throws<OverflowException>(() => byZero.Invoke(long.MinValue, -1));
        }
    }

    [Fact]
    public void A_batch_gives_the_same_results_emulated_and_stops_at_the_same_row()
    {
        var f = Parser.Parse("a / b + 1", "a", "b");
        long[] rows = [10, 2, 9, 3, 5, 0, 7, 7];
        using var arena = new DoubleMappedCodeArena();
        var native = new X64Compiler().CompileBatch(f, arena);
        var nativeResults = new long[4];
        var nativeRun = native.InvokeRaw(rows, nativeResults);
        using (NativePlatform.UseEmulator())
        {
            var emulatedResults = new long[4];
            var emulatedRun = new X64Compiler().CompileBatch(f, arena).InvokeRaw(rows, emulatedResults);
            Assert.Equal(nativeRun, emulatedRun);
            Assert.Equal(nativeResults, emulatedResults);
        }
        Assert.Equal(new BatchResult(2, JitStatus.DivideByZero), nativeRun); // rows 0 and 1 done, row 2 divides by zero
    }

    [Fact]
    public void A_double_mapped_function_called_directly_runs_emulated()
    {
        using var arena = new DoubleMappedCodeArena();
        var add = arena.Add(SampleFunctions.Add().ToArray());
        using (NativePlatform.UseEmulator())
            Assert.Equal(42, add.Call(40, 2));
        Assert.Equal(42, add.Call(40, 2));
    }
}
