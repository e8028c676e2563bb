using Iced.Intel;
using JitNotebooks.Emulation;

namespace JitNotebooks.Tests.Emulation.Differential;

/// <summary>
/// Guards against a differential suite that passes because its programs are too tame: the
/// generated programs must execute every mnemonic of the subset at every size, take and skip every
/// jcc condition, run idiv (not only skip it), loop more than once, and call directly and indirectly.
/// </summary>
public class CoverageTests
{
    [Fact]
    public void Generated_programs_exercise_the_whole_subset()
    {
        var executed = new HashSet<string>();
        var conditions = new HashSet<(ConditionCode, bool)>();
        int backwardJumps = 0, indirectCalls = 0;
        foreach (var shape in Enum.GetValues<ProgramShape>())
            for (int seed = 0; seed < 600; seed++)
            {
                var p = ProgramGenerator.Generate(seed, shape);
                var emulator = new Emulator();
                emulator.Memory.Map(0x10000, p.Body, Protection.Read | Protection.Execute, "the code");
                emulator.Memory.Map(0x20000, p.Scratch, Protection.Read | Protection.Write, "scratch");
                for (int r = 0; r < 16; r++) emulator.Cpu[(Reg64)r] = p.Registers[r];
                emulator.Cpu[p.BaseRegister] = 0x20000;
                emulator.Memory.Map(0x30000, 0x1000, Protection.Read | Protection.Write, "stack");
                emulator.Cpu[Reg64.Rsp] = 0x30ff8;
                emulator.Memory.WriteBytes(0x30ff8, BitConverter.GetBytes(emulator.Options.ReturnAddress));
                emulator.Start(0x10000);
                while (!emulator.IsFinished)
                {
                    ulong rip = emulator.Cpu.Rip;
                    var decoder = Iced.Intel.Decoder.Create(64, emulator.Memory.ReadBytes(rip, (int)Math.Min(15, 0x10000 + (ulong)p.Body.Length - rip)), rip);
                    var i = decoder.Decode();
                    emulator.Step();
                    int size = i.OpCount > 0 && i.Op0Kind == OpKind.Register ? i.Op0Register.GetSize() : i.OpCount > 0 && i.Op0Kind == OpKind.Memory ? i.MemorySize.GetSize() : 0;
                    executed.Add($"{i.Mnemonic}/{size}");
                    executed.Add(i.Mnemonic.ToString());
                    if (i.ConditionCode != ConditionCode.None) conditions.Add((i.ConditionCode, emulator.Cpu.Rip != i.NextIP));
                    if (i.Mnemonic is Mnemonic.Jne or Mnemonic.Jl && emulator.Cpu.Rip < rip) backwardJumps++;
                    if (i.Mnemonic == Mnemonic.Call && i.Op0Kind == OpKind.Register) indirectCalls++;
                }
            }
        var missing = InstructionTable.Mnemonics.Select(m => m.ToString()).Where(m => !executed.Contains(m)).ToList();
        // int3 only ever appears as unreachable filler; syscall is covered by the Syscalls shape.
        missing.Remove("Int3");
        Assert.True(missing.Count == 0, "never executed: " + string.Join(", ", missing));
        foreach (var m in new[] { "Add", "Sub", "And", "Or", "Xor", "Cmp", "Test", "Neg", "Imul", "Idiv", "Mov" })
            foreach (var size in new[] { 1, 2, 4, 8 })
                Assert.Contains($"{m}/{size}", executed);
        foreach (var cc in Enum.GetValues<ConditionCode>().Where(c => c != ConditionCode.None))
        {
            Assert.Contains((cc, true), conditions);
            Assert.Contains((cc, false), conditions);
        }
        Assert.True(backwardJumps > 1000, $"backward jumps taken: {backwardJumps}");
        Assert.True(indirectCalls > 50, $"indirect calls: {indirectCalls}");
    }
}

/// <summary>The comparison itself must be able to fail: a difference in any register, flag or byte is reported.</summary>
public class ComparisonTests
{
    [Fact]
    public void Every_kind_of_difference_is_reported()
    {
        var runs = NativeHarness.RunBatch(Enumerable.Range(0, 8).Select(s => ProgramGenerator.Generate(s, ProgramShape.Calls)).ToArray());
        Assert.All(runs, run => Assert.Empty(NativeHarness.Differences(run)));

        var r = runs[0];
        r.Emulator!.Cpu[Reg64.R9] ^= 1;
        Assert.Contains(NativeHarness.Differences(r), d => d.StartsWith("r9:"));
        r.Emulator.Cpu[Reg64.R9] ^= 1;

        var defined = CpuFlagsFacts.Status & ~r.Emulator.Cpu.UndefinedFlags & (CpuFlags.Carry | CpuFlags.Zero | CpuFlags.Overflow | CpuFlags.Sign | CpuFlags.Parity);
        var oneFlag = (CpuFlags)((ulong)defined & (ulong)-(long)defined); // lowest defined flag
        Assert.NotEqual(CpuFlags.None, oneFlag);
        Assert.Contains(NativeHarness.Differences(r with { NativeFlags = r.NativeFlags ^ (ulong)oneFlag }), d => d.StartsWith("flags"));

        var scratch = (byte[])r.EmulatedScratch.Clone();
        scratch[100] ^= 0x40;
        Assert.Contains(NativeHarness.Differences(r with { EmulatedScratch = scratch }), d => d.StartsWith("scratch differs from byte 0x64"));
        var stack = (byte[])r.NativeStack.Clone();
        stack[^1] ^= 1;
        Assert.Contains(NativeHarness.Differences(r with { NativeStack = stack }), d => d.StartsWith("stack differs"));
    }

    [Fact]
    public void The_CPU_really_ran_the_programs()
    {
        // Registers change, so the harness did run them (a harness that never called the code would leave its inputs).
        var runs = NativeHarness.RunBatch(Enumerable.Range(0, 50).Select(s => ProgramGenerator.Generate(s, ProgramShape.Loops)).ToArray());
        int changed = runs.Count(run => Reg64Facts.All.Any(reg => reg != Reg64.Rsp && run.NativeRegisters[(int)reg] != run.Program.Registers[(int)reg]
                                                                   && reg != run.Program.BaseRegister));
        Assert.True(changed >= 45, $"only {changed} of 50 programs changed a register natively");
    }
}
