using JitNotebooks.Compiler;
using JitNotebooks.Emulation;

namespace JitNotebooks.Tests.Emulation.Differential;

/// <summary>
/// The course's own programs on the CPU and in the emulator, register by register: hello world
/// (output included), add, sum_to for many n, and the compiler's output for many expressions
/// with every error path, spilling or not. (The callback program is compared by value in
/// <see cref="FallbackTests"/>: natively the C# callee leaves other values in the caller-saved registers.)
/// </summary>
[Collection(Fd1Collection.Name)]
public class CourseProgramDifferentialTests
{
    private static GeneratedProgram Course(byte[] code, long[] arguments, ProgramShape shape = ProgramShape.StraightLine)
    {
        var registers = new ulong[16];
        for (int i = 0; i < arguments.Length; i++) registers[(int)SysVConvention.ArgumentRegisters[i]] = (ulong)arguments[i];
        return new GeneratedProgram
        {
            Seed = 0, Shape = shape, Body = code, CodeLength = code.Length, Registers = registers, BaseRegister = Reg64.R15,
            Flags = CpuFlags.None, Scratch = new byte[ProgramGenerator.ScratchSize],
        };
    }

    private static void AllAgree(IReadOnlyList<GeneratedProgram> programs, bool output = false)
    {
        var failures = NativeHarness.RunBatch(programs, output)
            .Select(run => (run, differences: NativeHarness.Differences(run)))
            .Where(r => r.differences.Count > 0)
            .Select(r => r.run.Program.Listing() + "\n  " + string.Join("\n  ", r.differences)).ToList();
        Assert.True(failures.Count == 0, string.Join("\n\n", failures.Take(3)));
    }

    [Fact]
    public void Hello_world_add_and_sum_to_agree_with_the_CPU()
    {
        AllAgree([Course(HelloWorldProgram.Packed().ToArray(), [], ProgramShape.Syscalls), Course(HelloWorldProgram.Unpacked().ToArray(), [], ProgramShape.Syscalls)], output: true);
        var add = SampleFunctions.Add().ToArray();
        var sum = SampleFunctions.SumTo().ToArray();
        long[] values = [0, 1, -1, 2, 10, 1000, long.MaxValue, long.MinValue, int.MaxValue, int.MinValue];
        AllAgree([.. values.SelectMany(a => values.Select(b => Course(add, [a, b]))), .. new long[] { -5, 0, 1, 2, 10, 100, 5000 }.Select(n => Course(sum, [n]))]);
    }

    [Fact]
    public void The_compilers_output_agrees_with_the_CPU_on_every_path()
    {
        string[] sources =
        [
            "a * b + c", "(a + 3) * (b - 7) - c % 5 - a", "a / b", "a % b", "-a * -b", "(a * a + b * b) % 1000 + a / c - b % (c + 7)",
            "a / -1", "a % -1", "((a - b) * (c + 2) - (a + 1) * (b - 3)) / (c - a + 5)", "a - b - c - 9223372036854775807",
            "(a + b) * (a - b) * (a + c) * (b - c) * (a * b - c)", "a / (b / (c / (a + 1)))",
        ];
        long[][] inputs = [[10, 20, 30], [1, 0, 5], [long.MinValue, -1, 2], [-7, 2, -3], [long.MaxValue, long.MaxValue, 1], [0, 0, 0], [-1, 1, -1]];
        var programs = new List<GeneratedProgram>();
        foreach (int pool in new[] { 2, 3, 6 })
            foreach (var source in sources)
            {
                var code = new X64Compiler(pool).Generate(Parser.Parse(source, "a", "b", "c")).Bytes;
                programs.AddRange(inputs.Select(args => Course(code, args)));
            }
        AllAgree(programs);
    }
}
