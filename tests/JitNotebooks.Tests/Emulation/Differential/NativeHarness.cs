using System.Runtime.InteropServices;
using Iced.Intel;
using JitNotebooks.Emulation;
using static Iced.Intel.AssemblerRegisters;
using Register = Iced.Intel.Register;

namespace JitNotebooks.Tests.Emulation.Differential;

/// <summary>
/// Runs generated programs on the real CPU, many per W^X mapping: each program gets a small
/// harness in front of it that loads all sixteen registers and RFLAGS from a state block, calls
/// the program on a private stack, and stores every register and RFLAGS back.
/// </summary>
/// <remarks>
/// Per program, one 4 KiB slot of read-write memory holds the state block, the scratch buffer the
/// program's memory operands point into, and its private stack:
/// <code>
/// 0x000  registers in (16 × 8), RFLAGS in, stack top      0x100  registers out, RFLAGS out
/// 0x200  scratch (512 bytes)                               0x400  stack … top at 0xff0
/// 0xff0  saved host rsp, state pointer (above the program's stack: it never touches them)
/// </code>
/// </remarks>
internal static unsafe class NativeHarness
{
    public const int SlotSize = 4096;
    private const int In = 0x000, InFlags = 0x080, StackTop = 0x088, Out = 0x100, OutFlags = 0x180;
    public const int ScratchOffset = 0x200, StackLowOffset = 0x400, StackTopOffset = 0xff0;

    /// <summary>The harness bytes (position-independent), the offset of its return address, and where the program starts.</summary>
    public static readonly (byte[] Bytes, int ReturnOffset, int BodyOffset) Harness = BuildHarness();

    private static (byte[], int, int) BuildHarness()
    {
        var a = new Assembler(64);
        var body = a.CreateLabel("body");
        var afterCall = a.CreateLabel("after_call");
        AssemblerRegister64 R(Reg64 r) => new(Register.RAX + (int)r);
        var others = Reg64Facts.All.Where(r => r is not (Reg64.Rsp or Reg64.Rdi)).ToArray();

        foreach (var r in SysVConvention.CalleeSaved) a.push(R(r));  // the host's registers
        a.mov(rax, __qword_ptr[rdi + StackTop]);
        a.mov(__qword_ptr[rax], rsp);                                  // host rsp, above the private stack
        a.mov(__qword_ptr[rax + 8], rdi);                              // the state pointer
        a.mov(rsp, rax);
        a.push(__qword_ptr[rdi + InFlags]);
        a.popfq();                                                     // the program's flags (the call overwrites this slot)
        foreach (var r in others) a.mov(R(r), __qword_ptr[rdi + In + 8 * (int)r]);
        a.mov(rdi, __qword_ptr[rdi + In + 8 * (int)Reg64.Rdi]);
        a.call(body);
        a.Label(ref afterCall);
        a.xchg(__qword_ptr[rsp + 8], rdi);                             // rdi = state pointer; the program's rdi parked (no flags change)
        foreach (var r in others) a.mov(__qword_ptr[rdi + Out + 8 * (int)r], R(r));
        a.mov(__qword_ptr[rdi + Out + 8 * (int)Reg64.Rsp], rsp);
        a.mov(rax, __qword_ptr[rsp + 8]);
        a.mov(__qword_ptr[rdi + Out + 8 * (int)Reg64.Rdi], rax);
        a.pushfq();                                                    // into the return-address slot (not compared)
        a.pop(rax);
        a.mov(__qword_ptr[rdi + OutFlags], rax);
        a.mov(rsp, __qword_ptr[rsp]);
        foreach (var r in Enumerable.Reverse(SysVConvention.CalleeSaved)) a.pop(R(r));
        a.ret();
        a.Label(ref body);
        a.int3(); // a label needs an instruction; the program's first byte takes its place
        var stream = new MemoryStream();
        var result = a.Assemble(new StreamCodeWriter(stream), 0, BlockEncoderOptions.ReturnNewInstructionOffsets);
        int bodyOffset = (int)result.GetLabelRIP(body);
        return (stream.ToArray()[..bodyOffset], (int)result.GetLabelRIP(afterCall), bodyOffset);
    }

    /// <summary>The outcome of one program on both machines.</summary>
    public sealed record Run(GeneratedProgram Program, ulong[] NativeRegisters, ulong NativeFlags, byte[] NativeScratch, byte[] NativeStack,
        byte[] NativeOutput, Emulator? Emulator, EmulationException? EmulatorError, byte[] EmulatedScratch, byte[] EmulatedStack);

    /// <summary>
    /// Lays the programs out in one mapping, runs each in the emulator (at the very addresses the
    /// CPU will use) and then on the CPU, and returns both outcomes. A program the emulator
    /// rejects is never run natively: it is reported as a generator error instead.
    /// </summary>
    /// <param name="programs">The programs.</param>
    /// <param name="captureOutput">Capture what each program writes to fd 1 (for programs that make write system calls).</param>
    public static IReadOnlyList<Run> RunBatch(IReadOnlyList<GeneratedProgram> programs, bool captureOutput = false)
    {
        var (harness, returnOffset, bodyOffset) = Harness;
        var starts = new int[programs.Count];
        var code = new List<byte>();
        for (int i = 0; i < programs.Count; i++)
        {
            starts[i] = code.Count;
            code.AddRange(harness);
            code.AddRange(programs[i].Body);
            while (code.Count % 16 != 0) code.Add(0xCC);
        }
        using var memory = ExecutableMemory.Create(code.ToArray());
        byte* data = (byte*)NativeMemory.AlignedAlloc((nuint)(programs.Count * SlotSize), SlotSize);
        try
        {
            var runs = new Run[programs.Count];
            for (int i = 0; i < programs.Count; i++)
            {
                var p = programs[i];
                byte* slot = data + i * SlotSize;
                ulong scratch = (ulong)(slot + ScratchOffset), stackLow = (ulong)(slot + StackLowOffset), top = (ulong)(slot + StackTopOffset);
                ulong body = (ulong)memory.Address + (ulong)(starts[i] + bodyOffset);
                var registers = (ulong[])p.Registers.Clone();
                registers[(int)p.BaseRegister] = scratch;
                registers[(int)Reg64.Rsp] = top - 8;

                // The emulator first, on copies at the same addresses.
                var emulator = new Emulator(new EmulatorOptions { ReturnAddress = (ulong)memory.Address + (ulong)(starts[i] + returnOffset), UseRegisteredNativeCallbacks = false });
                emulator.Memory.Map(body, p.Body, Protection.Read | Protection.Execute, "the code");
                var scratchRegion = emulator.Memory.Map(scratch, p.Scratch, Protection.Read | Protection.Write, "the scratch buffer");
                var stackRegion = emulator.Memory.Map(stackLow, (int)(top - stackLow), Protection.Read | Protection.Write, "the stack");
                for (int r = 0; r < 16; r++) emulator.Cpu[(Reg64)r] = registers[r];
                emulator.Cpu.Flags = p.Flags;
                emulator.Memory.WriteBytes(top - 8, BitConverter.GetBytes(emulator.Options.ReturnAddress));
                emulator.Start(body);
                EmulationException? error = null;
                try { emulator.Continue(); }
                catch (EmulationException e) { error = e; }

                // Then the CPU, unless the emulator found the program unsafe.
                ulong* state = (ulong*)slot;
                for (int r = 0; r < 16; r++) state[In / 8 + r] = registers[r];
                state[InFlags / 8] = (ulong)p.Flags | CpuFlagsFacts.AlwaysSetInUserMode;
                state[StackTop / 8] = top;
                p.Scratch.CopyTo(new Span<byte>((void*)scratch, p.Scratch.Length));
                new Span<byte>((void*)stackLow, (int)(top - stackLow)).Clear();
                byte[] output = [];
                var entry = (delegate* unmanaged<ulong*, void>)(memory.Address + starts[i]);
                if (error is null && captureOutput) output = StdoutCapture.Run(() => entry(state)).Bytes;
                else if (error is null) entry(state);
                var native = new ulong[16];
                for (int r = 0; r < 16; r++) native[r] = state[Out / 8 + r];
                runs[i] = new Run(p, native, state[OutFlags / 8],
                    new Span<byte>((void*)scratch, ProgramGenerator.ScratchSize).ToArray(),
                    new Span<byte>((void*)stackLow, (int)(top - 8 - stackLow)).ToArray(), output,
                    error is null ? emulator : null, error,
                    emulator.Memory.ReadBytes(scratch, ProgramGenerator.ScratchSize),
                    emulator.Memory.ReadBytes(stackLow, (int)(top - 8 - stackLow)));
            }
            return runs;
        }
        finally
        {
            NativeMemory.AlignedFree(data);
        }
    }

    /// <summary>Every difference between the two machines, as readable lines (empty when they agree).</summary>
    public static List<string> Differences(Run run)
    {
        var lines = new List<string>();
        if (run.EmulatorError is { } error)
        {
            lines.Add($"the emulator stopped the program (so it was not run natively; the generator should not produce it):\n{error.Message}");
            return lines;
        }
        var cpu = run.Emulator!.Cpu;
        foreach (var r in Reg64Facts.All)
            if (cpu[r] != run.NativeRegisters[(int)r])
                lines.Add($"{r.IntelName()}: CPU 0x{run.NativeRegisters[(int)r]:x}, emulator 0x{cpu[r]:x}");
        var compared = CpuFlagsFacts.Status & ~cpu.UndefinedFlags;
        var nativeFlags = (CpuFlags)run.NativeFlags & compared;
        if (nativeFlags != (cpu.Flags & compared))
            lines.Add($"flags ({compared.Describe()} compared): CPU {nativeFlags.Describe()}, emulator {(cpu.Flags & compared).Describe()}");
        AddMemory(lines, "scratch", run.NativeScratch, run.EmulatedScratch);
        var emulatedOutput = run.Emulator.Writes.Where(w => w.Fd == 1).SelectMany(w => w.Bytes).ToArray();
        if (run.Program.Shape == ProgramShape.Syscalls && !emulatedOutput.SequenceEqual(run.NativeOutput))
            lines.Add($"output: CPU wrote {run.NativeOutput.Length} bytes, emulator {emulatedOutput.Length}");
        AddMemory(lines, "stack", run.NativeStack, run.EmulatedStack);
        return lines;
    }

    private static void AddMemory(List<string> lines, string name, byte[] native, byte[] emulated)
    {
        int first = native.AsSpan().CommonPrefixLength(emulated);
        if (first < native.Length)
            lines.Add($"{name} differs from byte 0x{first:x}: CPU {Convert.ToHexString(native, first, Math.Min(8, native.Length - first))}, " +
                      $"emulator {Convert.ToHexString(emulated, first, Math.Min(8, emulated.Length - first))}");
    }
}
