using Iced.Intel;
using JitNotebooks.Emulation;
using static Iced.Intel.AssemblerRegisters;
using Register = Iced.Intel.Register;

namespace JitNotebooks.Tests.Emulation.Differential;

/// <summary>What shape of program to generate.</summary>
public enum ProgramShape
{
    /// <summary>No backward jumps, no calls (forward jumps allowed).</summary>
    StraightLine,
    /// <summary>Bounded loops (nested up to two deep) too.</summary>
    Loops,
    /// <summary>Calls of subroutines (direct and through a register) and loops.</summary>
    Calls,
    /// <summary>write system calls to fd 1 (good, empty and faulting buffers) among everything else.</summary>
    Syscalls,
}

/// <summary>One generated program and the state it starts in.</summary>
public sealed class GeneratedProgram
{
    public required int Seed { get; init; }
    public required ProgramShape Shape { get; init; }
    /// <summary>The code (position-independent), then its read-only data.</summary>
    public required byte[] Body { get; init; }
    public required int CodeLength { get; init; }
    /// <summary>Initial values of the 16 registers (rsp and the base register are set by the runner).</summary>
    public required ulong[] Registers { get; init; }
    /// <summary>The register that holds the scratch buffer's address and is never written.</summary>
    public required Reg64 BaseRegister { get; init; }
    public required CpuFlags Flags { get; init; }
    public required byte[] Scratch { get; init; }

    public string Listing() => JitNotebooks.Listing.Disassemble(Body, CodeLength).ToText();

    public string Describe() =>
        $"seed {Seed} ({Shape}); base register {BaseRegister.AttName()} = scratch; initial flags {Flags.Describe()}\n" +
        string.Join("  ", Reg64Facts.All.Select(r => $"{r.IntelName()}=0x{Registers[(int)r]:x}")) + "\n" + Listing();
}

/// <summary>
/// Seeded generator of programs of the emulator's subset that are crash-safe by construction:
/// memory operands only inside the scratch buffer (a base register that is never written, and
/// displacements inside it) or the pushed part of the stack; <c>lea</c> with any registers (it never
/// touches memory); loops with a counter their body cannot write; division guarded against 0
/// and -1; every jcc right after an instruction that defines the flags it reads; calls with an
/// aligned, balanced stack. The same seed always gives the same program.
/// </summary>
public sealed class ProgramGenerator
{
    public const int ScratchSize = 512;
    private const int MaxDepth = 24; // pushes outstanding in one function

    private static readonly long[] EdgeValues =
    [
        0, 1, -1, 2, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, int.MaxValue, int.MinValue, uint.MaxValue,
        long.MaxValue, long.MinValue, long.MinValue + 1, 0x1_0000_0000, -0x8000_0000L,
    ];

    private readonly Random _rng;
    private readonly ProgramShape _shape;
    private readonly Assembler _a = new(64);
    private readonly Reg64 _base;
    private readonly HashSet<Reg64> _reserved = [Reg64.Rsp];
    private readonly List<Label> _data = [];
    private readonly List<(Label Label, HashSet<Reg64> Reserved)> _subroutines = [];
    private int _depth;
    private int _floor; // pops may not go below this: a loop body or a skipped block must leave the stack as it found it
    private bool _inSubroutine;

    private ProgramGenerator(int seed, ProgramShape shape)
    {
        _rng = new Random(seed);
        _shape = shape;
        // rax and rdx stay free (idiv, one-operand imul); for syscalls also rcx, rsi, rdi, r11.
        Reg64[] baseChoices = shape == ProgramShape.Syscalls
            ? [Reg64.Rbx, Reg64.Rbp, Reg64.R12, Reg64.R13, Reg64.R14, Reg64.R15]
            : [Reg64.Rbx, Reg64.Rbp, Reg64.Rsi, Reg64.Rdi, Reg64.R8, Reg64.R9, Reg64.R10, Reg64.R12, Reg64.R13, Reg64.R14, Reg64.R15];
        _base = Pick(baseChoices);
        _reserved.Add(_base);
    }

    public static GeneratedProgram Generate(int seed, ProgramShape shape) => new ProgramGenerator(seed, shape).Build(seed);

    private GeneratedProgram Build(int seed)
    {
        for (int i = 0; i < 4; i++) _data.Add(_a.CreateLabel($"data{i}"));
        Block(_rng.Next(12, 36), nesting: 0);
        PopAll();
        _a.ret();
        // Subroutines are generated after main; each may add more (a leaf called from a non-leaf).
        for (int i = 0; i < _subroutines.Count; i++) EmitSubroutine(_subroutines[i]);
        var codeEnd = _a.CreateLabel("end");
        Bind(ref codeEnd);
        _a.int3(); // never reached: every function ends in ret
        for (int i = 0; i < _data.Count; i++)
        {
            var label = _data[i];
            Bind(ref label);
            var bytes = new byte[8];
            BitConverter.TryWriteBytes(bytes, Value());
            _a.db(bytes);
        }
        var stream = new MemoryStream();
        var result = _a.Assemble(new StreamCodeWriter(stream), 0, BlockEncoderOptions.ReturnNewInstructionOffsets);
        var registers = Reg64Facts.All.Select(_ => (ulong)Value()).ToArray();
        var scratch = new byte[ScratchSize];
        _rng.NextBytes(scratch);
        return new GeneratedProgram
        {
            Seed = seed, Shape = _shape, Body = stream.ToArray(), CodeLength = (int)result.GetLabelRIP(codeEnd),
            Registers = registers, BaseRegister = _base, Scratch = scratch,
            Flags = (CpuFlags)((ulong)_rng.Next(0, 1 << 12) & (ulong)CpuFlagsFacts.Status),
        };
    }

    // ---- structure -----------------------------------------------------------------------------

    private void Block(int items, int nesting)
    {
        for (int i = 0; i < items; i++) Item(nesting);
    }

    private void Item(int nesting)
    {
        int roll = _rng.Next(100);
        bool loops = _shape != ProgramShape.StraightLine && nesting < 2;
        bool calls = _shape is ProgramShape.Calls or ProgramShape.Syscalls && !_inSubroutine && nesting < 2;
        if (loops && roll < 6) { Loop(nesting); return; }
        if (calls && roll is >= 6 and < 12) { Call(); return; }
        if (_shape == ProgramShape.Syscalls && roll is >= 12 and < 18) { WriteSyscall(); return; }
        if (roll is >= 18 and < 24 && nesting < 3) { ForwardJump(nesting); return; }
        Simple();
    }

    /// <summary>A loop that runs 1–5 times: its counter is reserved, so nothing inside can change it.</summary>
    private void Loop(int nesting)
    {
        var counter = Pick(Writable().Where(r => r is not (Reg64.Rax or Reg64.Rdx) && !(_shape == ProgramShape.Syscalls && SyscallClobbers(r))).ToArray());
        int n = _rng.Next(1, 6);
        var top = _a.CreateLabel();
        int depth = _depth;
        bool countUp = _rng.Next(2) == 0;
        Emit(Instruction.Create(Code.Mov_r32_imm32, Sized(counter, 4), countUp ? 0 : n));
        _reserved.Add(counter);
        Bind(ref top);
        int floor = _floor;
        _floor = depth;
        Block(_rng.Next(1, 6), nesting + 1);
        while (_depth > depth) Pop(); // the body leaves the stack as it found it
        _floor = floor;
        if (countUp)
        {
            Emit(Instruction.Create(Code.Add_rm64_imm8, Sized(counter, 8), 1));
            Emit(Instruction.Create(Code.Cmp_rm64_imm8, Sized(counter, 8), n));
            _a.jl(top);
        }
        else
        {
            Emit(Instruction.Create(Code.Sub_rm64_imm8, Sized(counter, 8), 1));
            _a.jne(top);
        }
        _reserved.Remove(counter);
    }

    /// <summary>A call, with rsp a multiple of 16 at the call (an odd number of 8-byte slots below the entry's).</summary>
    private void Call()
    {
        bool pad = _depth % 2 == 0;
        if (pad) Push(forAlignment: true);
        var sub = _a.CreateLabel();
        // The subroutine may not write what is reserved here (a loop counter around the call, say).
        _subroutines.Add((sub, [.. _reserved]));
        if (_rng.Next(3) == 0)
        {
            var via = Pick(Writable().ToArray());
            _a.lea(new AssemblerRegister64(Full(via)), __[sub]);
            _a.call(new AssemblerRegister64(Full(via)));
        }
        else _a.call(sub);
        if (pad) Pop();
    }

    private void EmitSubroutine((Label Label, HashSet<Reg64> Reserved) sub)
    {
        var label = sub.Label;
        Bind(ref label);
        (_depth, _floor, _inSubroutine) = (0, 0, true);
        _reserved.Clear();
        _reserved.UnionWith(sub.Reserved);
        Block(_rng.Next(2, 10), nesting: 1);
        PopAll();
        _a.ret();
    }

    /// <summary>A flag-setting instruction, then a jcc (or a jmp) over a few items.</summary>
    private void ForwardJump(int nesting)
    {
        var skip = _a.CreateLabel();
        int depth = _depth;
        int kind = _rng.Next(10);
        if (kind == 0) _a.jmp(skip);
        else if (kind == 1)
        {
            var via = Pick(Writable().ToArray());
            _a.lea(new AssemblerRegister64(Full(via)), __[skip]);
            _a.jmp(new AssemblerRegister64(Full(via)));
        }
        else
        {
            FlagSetter();
            Jcc(_rng.Next(16), skip);
        }
        int floor = _floor;
        _floor = depth;
        Block(_rng.Next(1, 5), nesting + 1);
        while (_depth > depth) Pop(); // both paths reach the label with the same stack
        _floor = floor;
        Bind(ref skip);
    }

    private void Jcc(int condition, Label target)
    {
        switch (condition)
        {
            case 0: _a.jo(target); break;
            case 1: _a.jno(target); break;
            case 2: _a.jb(target); break;
            case 3: _a.jae(target); break;
            case 4: _a.je(target); break;
            case 5: _a.jne(target); break;
            case 6: _a.jbe(target); break;
            case 7: _a.ja(target); break;
            case 8: _a.js(target); break;
            case 9: _a.jns(target); break;
            case 10: _a.jp(target); break;
            case 11: _a.jnp(target); break;
            case 12: _a.jl(target); break;
            case 13: _a.jge(target); break;
            case 14: _a.jle(target); break;
            default: _a.jg(target); break;
        }
    }

    /// <summary>write(1, buffer, count): a buffer in the scratch area, an empty one, or address 0 (EFAULT, no crash).</summary>
    private void WriteSyscall()
    {
        int kind = _rng.Next(6);
        int offset = _rng.Next(0, ScratchSize), count = kind == 0 ? 0 : _rng.Next(0, ScratchSize - offset + 1);
        // r11 receives RFLAGS, so every flag must be defined first (and mov/lea below leave them alone).
        Alu(Pick(new[] { "Add", "Sub", "Cmp" }));
        Emit(Instruction.Create(Code.Mov_r32_imm32, Register.EAX, 1));
        Emit(Instruction.Create(Code.Mov_r32_imm32, Register.EDI, 1));
        if (kind == 1) Emit(Instruction.Create(Code.Mov_r32_imm32, Register.ESI, 0)); // NULL: -EFAULT, no crash
        else Emit(Instruction.Create(Code.Lea_r64_m, Register.RSI, Mem(Full(_base), offset)));
        Emit(Instruction.Create(Code.Mov_r32_imm32, Register.EDX, count));
        _a.syscall();
    }

    // ---- single instructions -------------------------------------------------------------------

    private void Simple()
    {
        switch (_rng.Next(22))
        {
            case 0: MovRegReg(); break;
            case 1: MovRegImm(); break;
            case 2: Load(); break;
            case 3: Store(); break;
            case 4: Lea(); break;
            case 5: RipRelative(); break;
            case 6 or 7 or 8: Alu(); break;
            case 9: Neg(); break;
            case 10 or 11: Imul(); break;
            case 12: Divide(); break;
            case 13: SignExtension(); break;
            case 14: if (_depth < MaxDepth) Push(); else Pop(); break;
            case 15: if (_depth > _floor) Pop(); else Push(); break;
            case 16: StackRead(); break;
            case 17: Nop(); break;
            case 18: Alu(); break;
            case 19: Shift(); break;
            default: FlagSetter(); break;
        }
    }

    private void MovRegReg()
    {
        int size = Size();
        var (dst, src) = RegisterPair(size);
        Emit(Instruction.Create(Op("Mov", $"rm{Bits(size)}_r{Bits(size)}"), dst, src));
    }

    private void MovRegImm()
    {
        var dst = Pick(Writable().ToArray());
        switch (_rng.Next(5))
        {
            case 0: Emit(Instruction.Create(Code.Mov_rm64_imm32, Sized(dst, 8), (int)Value())); break; // the article's 7-byte form
            case 1: Emit(Instruction.Create(Code.Mov_r64_imm64, Sized(dst, 8), (ulong)Value())); break; // movabs
            case 2: Emit(Instruction.Create(Code.Mov_r32_imm32, Sized(dst, 4), (uint)Value())); break;   // zeroes the upper half
            case 3: Emit(Instruction.Create(Code.Mov_r16_imm16, Sized(dst, 2), (ushort)Value())); break;
            default: Emit(Instruction.Create(Code.Mov_r8_imm8, Sized(dst, 1), (byte)Value())); break;
        }
    }

    private void Load()
    {
        int size = Size();
        Emit(Instruction.Create(Op("Mov", $"r{Bits(size)}_rm{Bits(size)}"), Sized(Pick(Writable().ToArray()), size), Scratch(size)));
    }

    private void Store()
    {
        int size = Size();
        if (_rng.Next(3) == 0)
            Emit(Instruction.Create(Op("Mov", $"rm{Bits(size)}_imm{Math.Min(32, Bits(size))}"), Scratch(size), Imm(size)));
        else
            Emit(Instruction.Create(Op("Mov", $"rm{Bits(size)}_r{Bits(size)}"), Scratch(size), Sized(Pick(Readable()), size)));
    }

    /// <summary>lea with any base, index and scale: an address computation only, so any values are safe.</summary>
    private void Lea()
    {
        var dst = Pick(Writable().ToArray());
        var baseReg = _rng.Next(4) == 0 ? Register.None : Full(Pick(Reg64Facts.All.ToArray()));
        var index = _rng.Next(3) == 0 ? Register.None : Full(Pick(Reg64Facts.All.Where(r => r != Reg64.Rsp).ToArray()));
        int scale = 1 << _rng.Next(4);
        long disp = _rng.Next(3) == 0 ? 0 : (int)Value();
        if (baseReg == Register.None && index == Register.None) baseReg = Full(_base);
        var memory = new MemoryOperand(baseReg, index, index == Register.None ? 1 : scale, disp, DisplacementSize(disp));
        Emit(_rng.Next(3) == 0
            ? Instruction.Create(Code.Lea_r32_m, Sized(dst, 4), memory)
            : Instruction.Create(Code.Lea_r64_m, Sized(dst, 8), memory));
    }

    /// <summary>RIP-relative: lea of the data, or a load / add / cmp from it.</summary>
    private void RipRelative()
    {
        var dst = new AssemblerRegister64(Full(Pick(Writable().ToArray())));
        var data = _data[_rng.Next(_data.Count)];
        switch (_rng.Next(4))
        {
            case 0: _a.lea(dst, __[data]); break;
            case 1: _a.mov(dst, __qword_ptr[data]); break;
            case 2: _a.add(dst, __qword_ptr[data]); break;
            default: _a.cmp(dst, __qword_ptr[data]); break;
        }
    }

    private static readonly string[] AluOps = ["Add", "Sub", "And", "Or", "Xor", "Cmp", "Test"];

    private void Alu() => Alu(Pick(AluOps));

    private void Alu(string op)
    {
        int size = Size();
        int b = Bits(size);
        bool test = op == "Test";
        bool readOnly = op is "Cmp" or "Test";
        switch (_rng.Next(6))
        {
            case 0 or 1:
                var (dst, src) = RegisterPair(size, writableDestination: !readOnly);
                Emit(Instruction.Create(Op(op, $"rm{b}_r{b}"), dst, src));
                break;
            case 2 when !test:
                Emit(Instruction.Create(Op(op, $"r{b}_rm{b}"), Sized(readOnly ? Pick(Readable()) : Pick(Writable().ToArray()), size), Scratch(size)));
                break;
            case 3:
                Emit(Instruction.Create(Op(op, $"rm{b}_r{b}"), Scratch(size), Sized(Pick(Readable()), size)));
                break;
            case 4:
                var target = Sized(readOnly ? Pick(Readable()) : Pick(Writable().ToArray()), size);
                if (!test && size > 1 && _rng.Next(2) == 0) Emit(Instruction.Create(Op(op, $"rm{b}_imm8"), target, (sbyte)Value()));
                else Emit(Instruction.Create(Op(op, $"rm{b}_imm{Math.Min(32, b)}"), target, Imm(size)));
                break;
            default:
                Emit(Instruction.Create(Op(op, $"rm{b}_imm{Math.Min(32, b)}"), Scratch(size), Imm(size)));
                break;
        }
    }

    /// <summary>An instruction that defines every status flag a jcc may read (add, sub, cmp, neg, or a logic op).</summary>
    private void FlagSetter()
    {
        if (_rng.Next(6) == 0) Neg();
        else Alu(Pick(AluOps));
    }

    /// <summary>shl, shr or sar by an immediate (the compiler's division by constants uses them) or by 1.</summary>
    private void Shift()
    {
        int size = Size();
        var op = Pick(new[] { "Shl", "Shr", "Sar" });
        int count = _rng.Next(4) == 0 ? 1 : _rng.Next(0, size * 8 + 2);
        var code = Op(op, count == 1 && _rng.Next(2) == 0 ? $"rm{Bits(size)}_1" : $"rm{Bits(size)}_imm8");
        Emit(_rng.Next(3) == 0
            ? Instruction.Create(code, Scratch(size), count)
            : Instruction.Create(code, Sized(Pick(Writable().ToArray()), size), count));
    }

    private void Neg()
    {
        int size = Size();
        Emit(_rng.Next(3) == 0
            ? Instruction.Create(Op("Neg", $"rm{Bits(size)}"), Scratch(size))
            : Instruction.Create(Op("Neg", $"rm{Bits(size)}"), Sized(Pick(Writable().ToArray()), size)));
    }

    private void Imul()
    {
        int kind = _rng.Next(4);
        if (kind == 0)
        {
            // One operand: rdx:rax (or dx:ax, edx:eax, ax) = accumulator × source.
            int size = Size();
            Emit(_rng.Next(3) == 0
                ? Instruction.Create(Op("Imul", $"rm{Bits(size)}"), Scratch(size))
                : Instruction.Create(Op("Imul", $"rm{Bits(size)}"), Sized(Pick(Readable()), size)));
            return;
        }
        int s = Pick(new[] { 2, 4, 8 });
        int bits = Bits(s);
        var dst = Sized(Pick(Writable().ToArray()), s);
        Register source = Sized(Pick(Readable()), s);
        if (kind == 1) Emit(Instruction.Create(Op("Imul", $"r{bits}_rm{bits}"), dst, source));
        else if (kind == 2) Emit(Instruction.Create(Op("Imul", $"r{bits}_rm{bits}"), dst, Scratch(s)));
        else if (_rng.Next(2) == 0) Emit(Instruction.Create(Op("Imul", $"r{bits}_rm{bits}_imm8"), dst, source, (sbyte)Value()));
        else Emit(Instruction.Create(Op("Imul", $"r{bits}_rm{bits}_imm{Math.Min(32, bits)}"), dst, source, Imm(s)));
    }

    /// <summary>
    /// test d,d; je skip; cmp $-1,d; je skip; (sign-extend the accumulator); idiv d; skip: — with the
    /// dividend sign-extended, only MinValue / -1 could overflow, and -1 is skipped.
    /// </summary>
    private void Divide()
    {
        int size = Size();
        int b = Bits(size);
        var skip = _a.CreateLabel();
        bool inMemory = _rng.Next(4) == 0;
        var divisorRegister = Pick(Readable().Where(r => r is not (Reg64.Rax or Reg64.Rdx)).ToArray());
        MemoryOperand memory = Scratch(size);
        if (inMemory)
        {
            Emit(Instruction.Create(Op("Cmp", $"rm{b}_imm8"), memory, 0));
            _a.je(skip);
            Emit(Instruction.Create(Op("Cmp", $"rm{b}_imm8"), memory, -1));
        }
        else
        {
            var d = Sized(divisorRegister, size);
            Emit(Instruction.Create(Op("Test", $"rm{b}_r{b}"), d, d));
            _a.je(skip);
            Emit(Instruction.Create(Op("Cmp", size == 1 ? "rm8_imm8" : $"rm{b}_imm8"), d, -1));
        }
        _a.je(skip);
        Emit(Instruction.Create(size switch { 1 => Code.Cbw, 2 => Code.Cwd, 4 => Code.Cdq, _ => Code.Cqo }));
        Emit(inMemory
            ? Instruction.Create(Op("Idiv", $"rm{b}"), memory)
            : Instruction.Create(Op("Idiv", $"rm{b}"), Sized(divisorRegister, size)));
        Bind(ref skip);
    }

    private void SignExtension() =>
        Emit(Instruction.Create(Pick(new[] { Code.Cbw, Code.Cwde, Code.Cdqe, Code.Cwd, Code.Cdq, Code.Cqo })));

    private void Push(bool forAlignment = false)
    {
        int kind = forAlignment ? 0 : _rng.Next(5);
        if (kind == 0 || kind == 1) Emit(Instruction.Create(Code.Push_r64, Full(Pick(Reg64Facts.All.ToArray()))));
        else if (kind == 2) Emit(Instruction.Create(Code.Pushq_imm8, (sbyte)Value()));
        else if (kind == 3) Emit(Instruction.Create(Code.Pushq_imm32, (int)Value()));
        else Emit(Instruction.Create(Code.Push_rm64, Scratch(8)));
        _depth++;
    }

    private void Pop()
    {
        if (_rng.Next(4) == 0) Emit(Instruction.Create(Code.Pop_rm64, Scratch(8)));
        else Emit(Instruction.Create(Code.Pop_r64, Full(Pick(Writable().ToArray()))));
        _depth--;
    }

    private void PopAll()
    {
        while (_depth > 0) Pop();
    }

    /// <summary>A load from a slot this function pushed: [rsp + 8·k].</summary>
    private void StackRead()
    {
        if (_depth == 0) { Push(); return; }
        int slot = _rng.Next(_depth);
        Emit(Instruction.Create(Code.Mov_r64_rm64, Full(Pick(Writable().ToArray())), Mem(Register.RSP, slot * 8)));
    }

    private void Nop()
    {
        switch (_rng.Next(4))
        {
            case 0: Emit(Instruction.Create(Code.Nopd)); break;
            case 1: Emit(Instruction.Create(Code.Nop_rm32, Mem(Full(Pick(Reg64Facts.All.ToArray())), (int)Value()))); break;
            case 2: Emit(Instruction.Create(Code.Pause)); break;
            default: Emit(Instruction.Create(Code.Endbr64)); break;
        }
    }

    // ---- operands ------------------------------------------------------------------------------

    private void Emit(Instruction instruction) => _a.AddInstruction(instruction);

    private int _lastBound = -1;

    /// <summary>Binds a label; Iced allows one label per instruction, so two in a row get a nop between them.</summary>
    private void Bind(ref Label label)
    {
        if (_a.Instructions.Count == _lastBound) _a.nop();
        _a.Label(ref label);
        _lastBound = _a.Instructions.Count;
    }

    private IEnumerable<Reg64> Writable() => Reg64Facts.All.Where(r => !_reserved.Contains(r));

    private Reg64[] Readable() => Reg64Facts.All.Where(r => r != Reg64.Rsp).ToArray();

    private static bool SyscallClobbers(Reg64 r) => r is Reg64.Rax or Reg64.Rcx or Reg64.Rdx or Reg64.Rsi or Reg64.Rdi or Reg64.R11;

    /// <summary>[base + disp] inside the scratch buffer.</summary>
    private MemoryOperand Scratch(int size) => Mem(Full(_base), _rng.Next(0, ScratchSize - size + 1));

    /// <summary>Two registers of one size. For bytes, either both from al…bh (ah…bh need no REX) or both without ah…bh.</summary>
    private (Register Destination, Register Source) RegisterPair(int size, bool writableDestination = true)
    {
        var dst = writableDestination ? Pick(Writable().ToArray()) : Pick(Readable());
        var src = Pick(Readable());
        if (size != 1) return (Sized(dst, size), Sized(src, size));
        bool legacy = (int)dst < 4 && (int)src < 4 && _rng.Next(2) == 0;
        return legacy && _rng.Next(2) == 0
            ? (Register.AH + (int)dst, Sized(src, 1))
            : legacy ? (Sized(dst, 1), Register.AH + (int)src) : (Sized(dst, 1), Sized(src, 1));
    }

    private static Register Full(Reg64 r) => Register.RAX + (int)r;

    /// <summary>[base + disp], with the displacement size Iced's encoder wants spelled out.</summary>
    private static MemoryOperand Mem(Register baseRegister, long disp) => new(baseRegister, Register.None, 1, disp, DisplacementSize(disp));

    private static int DisplacementSize(long disp) => disp == 0 ? 0 : disp is >= sbyte.MinValue and <= sbyte.MaxValue ? 1 : 8; // 8: a sign-extended disp32 in 64-bit code

    private static Register Sized(Reg64 r, int size) => size switch
    {
        8 => Register.RAX + (int)r,
        4 => Register.EAX + (int)r,
        2 => Register.AX + (int)r,
        _ => (int)r < 4 ? Register.AL + (int)r : (int)r < 8 ? Register.SPL + ((int)r - 4) : Register.R8L + ((int)r - 8),
    };

    private static int Bits(int size) => size * 8;

    private static readonly Dictionary<string, Code> Codes =
        Enum.GetValues<Code>().GroupBy(c => c.ToString()).ToDictionary(g => g.Key, g => g.First());

    private static Code Op(string mnemonic, string form) =>
        Codes.TryGetValue($"{mnemonic}_{form}", out var code) ? code : throw new InvalidOperationException($"no Iced code {mnemonic}_{form}");

    private int Size() => Pick(new[] { 1, 2, 4, 8, 8, 8, 4 });

    private int Imm(int size) => size switch
    {
        1 => (sbyte)Value(),
        2 => (short)Value(),
        _ => (int)Value(),
    };

    private long Value() => _rng.Next(3) switch
    {
        0 => EdgeValues[_rng.Next(EdgeValues.Length)],
        1 => _rng.Next(-300, 300),
        _ => _rng.NextInt64(long.MinValue, long.MaxValue),
    };

    private T Pick<T>(IReadOnlyList<T> items) => items[_rng.Next(items.Count)];
}
