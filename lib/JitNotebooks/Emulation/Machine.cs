using Iced.Intel;

namespace JitNotebooks.Emulation;

/// <summary>How a run ended without an error.</summary>
public enum RunEnding
{
    /// <summary>The program's final <c>ret</c> returned to the caller.</summary>
    Returned,
    /// <summary>The program called the <c>exit</c> (or <c>exit_group</c>) system call.</summary>
    Exited,
}

/// <summary>
/// The emulated CPU core: registers, memory, the fetch–decode–execute step, and the operand
/// access every instruction's semantics use. <see cref="Emulator"/> is its public face.
/// </summary>
internal sealed class Machine
{
    public readonly CpuState Cpu = new();
    public readonly EmulatedMemory Memory;
    public readonly CallbackRegistry Callbacks;

    /// <summary>Where the program starts; offsets in messages and traces count from here.</summary>
    public ulong ProgramStart;

    /// <summary>The return address the caller pushed: reaching it ends the run.</summary>
    public ulong ReturnAddress;

    public bool CheckStackAlignment = true;
    public long Steps;

    /// <summary>Where the current instruction continues (its end, unless it jumps).</summary>
    public ulong NextRip;

    public RunEnding? Ending;
    public int ExitStatus;
    public readonly List<OutputWrite> Writes = [];

    /// <summary>Called for every write, as it happens (the fallback prints or captures the output).</summary>
    public Action<OutputWrite>? WriteListener;

    /// <summary>Called for every memory store (traces show them): address, size, old value, new value.</summary>
    public Action<ulong, int, ulong, ulong>? StoreListener;

    /// <summary>The callback the last step ran, if it was one (for traces).</summary>
    public (EmulatedCallback Callback, long[] Arguments, long Result)? LastCallback;

    /// <summary>Whether the process-wide <see cref="NativeCallbacks"/> count as callable (see <see cref="EmulatorOptions.UseRegisteredNativeCallbacks"/>).</summary>
    public bool UseNativeCallbacks = true;

    private readonly Dictionary<ulong, Instruction> _decoded = [];
    private ulong? _previousRip;

    public Machine(EmulatedMemory memory, CallbackRegistry callbacks)
    {
        Memory = memory;
        Callbacks = callbacks;
        Memory.ExecutableWritten = _decoded.Clear; // self-modifying code (the article's rwx page) is re-decoded
    }

    // ---- one step ----------------------------------------------------------------------------

    /// <summary>Runs one instruction (or one callback). Nothing of a faulting instruction is committed.</summary>
    public void Step()
    {
        ulong rip = Cpu.Rip;
        LastCallback = null;
        try
        {
            if (TryFindCallback(rip, out var callback)) RunCallback(callback);
            else
            {
                var instruction = Fetch(rip);
                NextRip = instruction.NextIP;
                InstructionTable.Semantics(instruction.Mnemonic)(this, in instruction);
                Cpu.Rip = NextRip;
            }
            Steps++;
            _previousRip = rip;
        }
        catch (EmulationException e) when (e.Location is null)
        {
            e.Locate(Locate(rip));
            throw;
        }
    }

    /// <summary>Fetches and decodes the instruction at <paramref name="rip"/> (cached), or faults.</summary>
    private Instruction Fetch(ulong rip)
    {
        if (_decoded.TryGetValue(rip, out var cached)) return cached;
        var region = Memory.Find(rip)
            ?? throw new UnmappedMemoryException(rip, 1, MemoryAccess.Execute, Memory.Describe(), CameFrom());
        if (!region.Allows(rip, 1, Protection.Execute))
            throw new ExecutingDataException(rip, $"in {region.Name}, on a page that is {Mman.Describe(region.ProtectionAt(rip))} (not executable)");
        if (region.DataSpanAt(rip) is { } data)
            throw new ExecutingDataException(rip, $"the data {data} in {region.Name}");

        byte[] window = region.Bytes(rip, (int)Math.Min(15, region.End - rip)).ToArray();
        var decoder = Iced.Intel.Decoder.Create(64, new ByteArrayCodeReader(window), rip);
        decoder.Decode(out var instruction);
        if (decoder.LastError == DecoderError.NoMoreBytes)
            throw new UnmappedMemoryException(region.End, 1, MemoryAccess.Execute, Memory.Describe(), CameFrom());
        if (instruction.IsInvalid) throw new InvalidInstructionException(window);
        if (!region.Allows(rip, instruction.Length, Protection.Execute))
            throw new ExecutingDataException(region.End, $"the rest of an instruction that crosses into a non-executable page of {region.Name}");
        InstructionTable.Validate(instruction);
        _decoded[rip] = instruction;
        return instruction;
    }

    /// <summary>The location for an error at <paramref name="rip"/>: the instruction there as text, and the registers.</summary>
    public FaultLocation Locate(ulong rip)
    {
        var (bytes, text) = Disassemble(rip);
        return new FaultLocation(rip, unchecked((long)(rip - ProgramStart)), bytes, text, Cpu.Snapshot());
    }

    /// <summary>The bytes and AT&amp;T text of the instruction at <paramref name="rip"/>, for messages and traces.</summary>
    public (byte[] Bytes, string Text) Disassemble(ulong rip)
    {
        if (TryFindCallback(rip, out var callback)) return ([], $"(in the C# callback {callback.Name})");
        var region = Memory.Find(rip);
        if (region is null) return ([], "(no instruction: nothing is mapped there)");
        byte[] window = region.Bytes(rip, (int)Math.Min(15, region.End - rip)).ToArray();
        var decoder = Iced.Intel.Decoder.Create(64, new ByteArrayCodeReader(window), DisplayIp(rip));
        decoder.Decode(out var instruction);
        return instruction.IsInvalid
            ? (window.Take(1).ToArray(), "(bad)")
            : (window[..instruction.Length], AttText.Format(instruction));
    }

    /// <summary>
    /// The IP to decode at for display: the offset inside the program (so jump targets read like
    /// the course's listings), or the real address for code elsewhere.
    /// </summary>
    public ulong DisplayIp(ulong rip)
    {
        var program = Memory.Find(ProgramStart);
        return program is not null && program.Contains(rip) && rip >= ProgramStart ? rip - ProgramStart : rip;
    }

    private string? CameFrom()
    {
        if (_previousRip is not { } previous) return null;
        var location = Locate(previous);
        return $"{location.InstructionText} at offset {Hex.Signed(location.Offset)}";
    }

    // ---- callbacks ---------------------------------------------------------------------------

    private bool TryFindCallback(ulong rip, out EmulatedCallback callback) =>
        Callbacks.TryFind(rip, out callback) || (UseNativeCallbacks && NativeCallbacks.TryFind(rip, out callback));

    /// <summary>Runs a C# callback and returns to the caller, as the callee's own ret would.</summary>
    private void RunCallback(EmulatedCallback callback)
    {
        ulong rsp = Cpu.Gpr[(int)Reg64.Rsp];
        ulong returnAddress = Memory.Load(rsp, 8);
        var arguments = SysVConvention.ArgumentRegisters.Take(callback.Arity).Select(r => (long)Cpu.Gpr[(int)r]).ToArray();
        long result;
        try { result = callback.Invoke(arguments); }
        catch (Exception e) { throw new CallbackFailedException(callback.Name, e); }
        Cpu.Gpr[(int)Reg64.Rax] = (ulong)result;
        Cpu.Gpr[(int)Reg64.Rsp] = rsp + 8;
        Cpu.Rip = returnAddress;
        LastCallback = (callback, arguments, result);
    }

    // ---- operands ----------------------------------------------------------------------------

    /// <summary>The operand's size in bytes: the register's, or the memory operand's.</summary>
    public int OperandSize(in Instruction i, int operand) => i.GetOpKind(operand) switch
    {
        OpKind.Register => GeneralRegisters.Size(i.GetOpRegister(operand)),
        OpKind.Memory => i.MemorySize.GetSize(),
        _ => 8,
    };

    /// <summary>The operand's value: a register, memory, an immediate (already sign-extended by Iced) or a branch target.</summary>
    public ulong Read(in Instruction i, int operand) => i.GetOpKind(operand) switch
    {
        OpKind.Register => ReadRegister(i.GetOpRegister(operand)),
        OpKind.Memory => Load(EffectiveAddress(i), i.MemorySize.GetSize()),
        OpKind.NearBranch64 => i.NearBranch64,
        _ => i.GetImmediate(operand),
    };

    /// <summary>Writes a register (with x86-64's size rules) or memory.</summary>
    public void Write(in Instruction i, int operand, ulong value)
    {
        if (i.GetOpKind(operand) == OpKind.Register) WriteRegister(i.GetOpRegister(operand), value);
        else Store(EffectiveAddress(i), i.MemorySize.GetSize(), value);
    }

    public ulong ReadRegister(Register register)
    {
        var (index, size, shift) = GeneralRegisters.Of(register);
        return (Cpu.Gpr[index] >> shift) & Bits.Mask(size);
    }

    /// <summary>
    /// 64-bit writes replace the register; 32-bit writes zero the upper half (so <c>mov $1,%eax</c>
    /// clears all of rax); 16- and 8-bit writes leave the other bits alone.
    /// </summary>
    public void WriteRegister(Register register, ulong value)
    {
        var (index, size, shift) = GeneralRegisters.Of(register);
        ref ulong r = ref Cpu.Gpr[index];
        r = size switch
        {
            8 => value,
            4 => (uint)value,
            _ => (r & ~(Bits.Mask(size) << shift)) | ((value & Bits.Mask(size)) << shift),
        };
    }

    /// <summary>base + index × scale + displacement (Iced already resolved RIP-relative ones to the target).</summary>
    public ulong EffectiveAddress(in Instruction i)
    {
        ulong address = i.MemoryDisplacement64;
        var baseRegister = i.MemoryBase;
        if (baseRegister != Register.None && baseRegister != Register.RIP && baseRegister != Register.EIP)
            address += ReadRegister(baseRegister);
        if (i.MemoryIndex != Register.None)
            address += ReadRegister(i.MemoryIndex) * (ulong)i.MemoryIndexScale;
        // A 0x67 prefix selects 32-bit addressing: the sum wraps at 4 GiB.
        bool addressSize32 = baseRegister == Register.EIP || GeneralRegisters.Size(baseRegister) == 4 || GeneralRegisters.Size(i.MemoryIndex) == 4;
        return addressSize32 ? (uint)address : address;
    }

    public ulong Load(ulong address, int size) => Memory.Load(address, size);

    public void Store(ulong address, int size, ulong value)
    {
        ulong old = Memory.Store(address, size, value);
        StoreListener?.Invoke(address, size, old, value & Bits.Mask(size));
    }

    /// <summary>Pushes 8 bytes: store first, then move rsp, so a faulting push changes nothing.</summary>
    public void Push(ulong value)
    {
        ulong rsp = Cpu.Gpr[(int)Reg64.Rsp] - 8;
        Store(rsp, 8, value);
        Cpu.Gpr[(int)Reg64.Rsp] = rsp;
    }

    // ---- ending ------------------------------------------------------------------------------

    public void Exit(int status)
    {
        Ending = RunEnding.Exited;
        ExitStatus = status;
    }

    public void RecordWrite(int fd, byte[] bytes)
    {
        var write = new OutputWrite(fd, bytes);
        Writes.Add(write);
        WriteListener?.Invoke(write);
    }
}

/// <summary>Masks and sign extension by operand size (in bytes).</summary>
internal static class Bits
{
    public static ulong Mask(int size) => size >= 8 ? ulong.MaxValue : (1UL << (size * 8)) - 1;

    public static ulong SignBit(int size) => 1UL << (size * 8 - 1);

    public static long SignExtend(ulong value, int size) => size switch
    {
        1 => (sbyte)value,
        2 => (short)value,
        4 => (int)value,
        _ => (long)value,
    };
}

/// <summary>
/// Which 64-bit register, how many bytes, and which byte an Iced general register names
/// (al is byte 0 of rax, ah byte 1; eax the low 4 bytes; r8w the low 2 of r8), as a table.
/// </summary>
internal static class GeneralRegisters
{
    private static readonly (int Index, int Size, int Shift)[] Table = Build();

    private static (int, int, int)[] Build()
    {
        var table = new (int, int, int)[(int)Register.R15 + 1];
        for (var r = Register.AL; r <= Register.R15; r++)
        {
            int shift = r is Register.AH or Register.CH or Register.DH or Register.BH ? 8 : 0;
            table[(int)r] = (r.GetFullRegister() - Register.RAX, r.GetSize(), shift);
        }
        return table;
    }

    /// <summary>True for al…r15: the registers the emulator models.</summary>
    public static bool IsGeneral(Register r) => r is >= Register.AL and <= Register.R15;

    public static (int Index, int Size, int Shift) Of(Register r) => Table[(int)r];

    /// <summary>The register's size in bytes; 0 for none or a register that is not general.</summary>
    public static int Size(Register r) => IsGeneral(r) ? Table[(int)r].Size : 0;
}
