using System.Diagnostics;
using JitNotebooks.Emulation;
using JitNotebooks.Isolation;
using JitNotebooks.Tests.Emulation.Differential;
using Xunit.Abstractions;

namespace JitNotebooks.Tests.Isolation;

/// <summary>Random and mutated machine code, run isolated on the CPU and in the emulator: every run ends classified, the host lives on.</summary>
// One collection with IsolatedRunnerTests, which kills the fork server on purpose.
[Collection("fork server")]
public class FuzzTests(ITestOutputHelper output)
{
    private const int Seed = 9_000_000;

    /// <summary>
    /// Seeded blobs of three kinds: random bytes; generated programs of the subset with a few bytes
    /// mutated (they run deep before going wrong); and strings of common one- and two-byte opcodes.
    /// </summary>
    public static (byte[] Code, long[] Arguments) Blob(int seed)
    {
        var rng = new Random(seed);
        byte[] code;
        switch (rng.Next(3))
        {
            case 0:
                code = new byte[rng.Next(1, 48)];
                rng.NextBytes(code);
                break;
            case 1:
                code = ProgramGenerator.Generate(seed, (ProgramShape)rng.Next(4)).Body;
                for (int i = rng.Next(1, 5); i > 0; i--) code[rng.Next(code.Length)] = (byte)rng.Next(256);
                break;
            default:
                byte[][] pieces =
                [
                    [0x90], [0xc3], [0xcc], [0x50], [0x58], [0x0f, 0x05], [0x48, 0x99], [0x48, 0xf7, 0xf9], [0x48, 0x01, 0xf8],
                    [0x48, 0x8b, 0x07], [0x48, 0x89, 0x07], [0xb8, (byte)rng.Next(0, 64), 0, 0, 0], [0x75, (byte)rng.Next(256)],
                    [0xeb, (byte)rng.Next(256)], [0x48, 0xff, 0xc9], [0xff, 0xe0], [0xff, 0xd0], [0x31, 0xc0], [0x48, 0x8d, 0x35, 0, 0, 0, 0],
                ];
                code = Enumerable.Range(0, rng.Next(1, 24)).SelectMany(_ => pieces[rng.Next(pieces.Length)]).ToArray();
                break;
        }
        long[] args = Enumerable.Range(0, 6).Select(_ => rng.Next(3) switch { 0 => 0L, 1 => rng.Next(-5, 100), _ => rng.NextInt64() }).ToArray();
        return (code, args);
    }

    [Fact]
    public void Ten_thousand_random_blobs_run_isolated_and_each_ends_classified()
    {
        var clock = Stopwatch.StartNew();
        var kinds = new Dictionary<string, int>();
        IsolatedRunner.RunIsolated([0xc3]);
        int server = ForkServer.ServerProcessId;
        for (int i = 0; i < 10_000; i++)
        {
            var (code, args) = Blob(Seed + i);
            var run = IsolatedRunner.RunIsolated(code, TimeSpan.FromMilliseconds(10), args);
            string kind = run switch
            {
                IsolatedRun.Returned => "returned",
                IsolatedRun.Exited => "exited",
                IsolatedRun.TimedOut => "timed out",
                IsolatedRun.Crashed c when Enum.IsDefined(c.Signal) => c.Signal.ToString(),
                _ => throw new Xunit.Sdk.XunitException($"seed {Seed + i}: unclassified {run} for {Convert.ToHexString(code)}"),
            };
            kinds[kind] = kinds.GetValueOrDefault(kind) + 1;
        }
        output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: " + string.Join(", ", kinds.OrderByDescending(k => k.Value).Select(k => $"{k.Key} {k.Value}")));
        Assert.Equal(server, ForkServer.ServerProcessId); // no worker could take the server down
        foreach (var expected in new[] { "returned", "SIGSEGV", "SIGILL", "SIGTRAP", "SIGFPE", "SIGSYS", "timed out" })
            Assert.True(kinds.ContainsKey(expected), $"no run ended {expected}: {string.Join(", ", kinds.Keys)}");
    }

    [Fact]
    public void Ten_thousand_random_blobs_run_in_the_emulator_and_each_ends_classified()
    {
        var clock = Stopwatch.StartNew();
        var kinds = new Dictionary<string, int>();
        var options = new EmulatorOptions { MaxSteps = 20_000, UseRegisteredNativeCallbacks = false };
        for (int i = 0; i < 10_000; i++)
        {
            var (code, args) = Blob(Seed + i);
            string kind;
            try
            {
                kind = Emulator.Run(code, options, args).Ending.ToString();
            }
            catch (EmulationException e)
            {
                Assert.NotNull(e.Location);
                Assert.False(string.IsNullOrWhiteSpace(e.Message));
                kind = e.GetType().Name;
            }
            catch (Exception e)
            {
                throw new Xunit.Sdk.XunitException($"seed {Seed + i}: the emulator threw {e.GetType().Name} (not a typed EmulationException) for {Convert.ToHexString(code)}: {e}");
            }
            kinds[kind] = kinds.GetValueOrDefault(kind) + 1;
        }
        output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: " + string.Join(", ", kinds.OrderByDescending(k => k.Value).Select(k => $"{k.Key} {k.Value}")));
        Assert.True(kinds.Count >= 8, string.Join(", ", kinds.Keys));
    }
}
