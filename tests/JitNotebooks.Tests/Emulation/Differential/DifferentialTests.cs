using System.Diagnostics;
using Xunit.Abstractions;

namespace JitNotebooks.Tests.Emulation.Differential;

/// <summary>
/// The emulator against the real CPU: generated programs of every shape run on both, and all
/// sixteen registers, the defined status flags, the scratch memory and the stack must agree.
/// Seeds are fixed (reproducible); set JITNB_DIFF_SEED to explore others. A failure prints the
/// seed, the listing and every difference; <see cref="Replay"/> reruns one seed.
/// </summary>
public abstract class DifferentialSuite(ITestOutputHelper output)
{
    private const int BatchSize = 500;

    /// <summary>The base seed: fixed unless JITNB_DIFF_SEED says otherwise.</summary>
    protected static int BaseSeed =>
        int.TryParse(Environment.GetEnvironmentVariable("JITNB_DIFF_SEED"), out int seed) ? seed : 20_170_101;

    protected void AllAgree(ProgramShape shape, int count)
    {
        // JITNB_DIFF_SCALE=0.01 runs a hundredth of the programs, for quick local iterations.
        if (double.TryParse(Environment.GetEnvironmentVariable("JITNB_DIFF_SCALE"), System.Globalization.CultureInfo.InvariantCulture, out double scale))
            count = Math.Max(1, (int)(count * scale));
        var clock = Stopwatch.StartNew();
        var failures = new List<string>();
        long instructions = 0;
        int first = BaseSeed + (int)shape * 10_000_000;
        for (int start = 0; start < count && failures.Count < 3; start += BatchSize)
        {
            var programs = Enumerable.Range(first + start, Math.Min(BatchSize, count - start))
                .Select(seed => ProgramGenerator.Generate(seed, shape)).ToArray();
            foreach (var run in NativeHarness.RunBatch(programs, captureOutput: shape == ProgramShape.Syscalls))
            {
                instructions += run.Emulator?.Steps ?? 0;
                var differences = NativeHarness.Differences(run);
                if (differences.Count > 0)
                    failures.Add($"MISMATCH for {run.Program.Describe()}\n  " + string.Join("\n  ", differences) +
                                 $"\nReplay: DifferentialSuite.Replay({run.Program.Seed}, ProgramShape.{shape})");
            }
        }
        output.WriteLine($"{shape}: {count} programs, {instructions:N0} instructions emulated, {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(failures.Count == 0, string.Join("\n\n", failures.Take(3)));
    }

    /// <summary>Runs one generated program on both machines and returns the differences (for debugging a failure).</summary>
    public static List<string> Replay(int seed, ProgramShape shape) =>
        NativeHarness.Differences(NativeHarness.RunBatch([ProgramGenerator.Generate(seed, shape)], shape == ProgramShape.Syscalls)[0]);
}

public sealed class StraightLineDifferentialTests(ITestOutputHelper output) : DifferentialSuite(output)
{
    [Fact]
    public void Straight_line_programs_agree_with_the_CPU() => AllAgree(ProgramShape.StraightLine, 35_000);
}

public sealed class LoopDifferentialTests(ITestOutputHelper output) : DifferentialSuite(output)
{
    [Fact]
    public void Programs_with_loops_agree_with_the_CPU() => AllAgree(ProgramShape.Loops, 35_000);
}

public sealed class CallDifferentialTests(ITestOutputHelper output) : DifferentialSuite(output)
{
    [Fact]
    public void Programs_with_calls_agree_with_the_CPU() => AllAgree(ProgramShape.Calls, 30_000);
}

/// <summary>Programs that write to fd 1 (captured per program), write nothing, or pass a NULL buffer (-EFAULT).</summary>
[Collection(Fd1Collection.Name)]
public sealed class SyscallDifferentialTests(ITestOutputHelper output) : DifferentialSuite(output)
{
    [Fact]
    public void Programs_with_write_system_calls_agree_with_the_CPU_and_Linux() => AllAgree(ProgramShape.Syscalls, 2_000);
}
