using System.Runtime.CompilerServices;

namespace JitNotebooks.Compiler;

/// <summary>
/// The compiler's fast path: instruction bytes written straight to memory (the writable view of
/// a <see cref="DoubleMappedCodeArena"/>), and nothing else: no byte roles, no owner strings, no
/// list of bytes to copy later. Each instruction is a few stores. The listing is still available
/// afterwards, by decoding the bytes (<c>CompiledFunction.Disassemble()</c>).
/// </summary>
/// <remarks>
/// The encodings are written again here, independently of <see cref="CodeBuilderInstructions"/>,
/// in the compact form compilers use (REX = 0100WRXB, ModRM = mod·reg·rm). A property test checks
/// that both produce the same bytes for every expression, so a mistake in either shows.
/// </remarks>
internal unsafe struct LeanEmitter : IX64Emitter
{
    private const byte RexW = 0x48;

    private readonly byte* _start;
    private readonly int _capacity;
    private int _position;
    private int[] _labels = new int[8];   // offset of each label, -1 until bound
    private int _labelCount;
    private int[] _fixups = new int[16];  // pairs: where a rel32 field is, which label it points to
    private int _fixupCount;

    /// <param name="start">Where to write.</param>
    /// <param name="capacity">How many bytes may be written there (the compiler reserves an upper bound).</param>
    public LeanEmitter(byte* start, int capacity)
    {
        _start = start;
        _capacity = capacity;
    }

    public readonly int Position => _position;

    // ---- labels and jumps --------------------------------------------------------------------

    public int CreateLabel(LabelKind kind, int number = 0)
    {
        if (_labelCount == _labels.Length) Array.Resize(ref _labels, _labels.Length * 2);
        _labels[_labelCount] = -1;
        return _labelCount++;
    }

    public readonly void Bind(int label) => _labels[label] = _position;

    public void Jcc(JumpCondition condition, int label)
    {
        Room(6);
        Byte(0x0F);
        Byte((byte)(0x80 | (byte)condition));
        Rel32(label);
    }

    public void Jmp(int label)
    {
        Room(5);
        Byte(0xE9);
        Rel32(label);
    }

    private void Rel32(int label)
    {
        if (_fixupCount + 2 > _fixups.Length) Array.Resize(ref _fixups, _fixups.Length * 2);
        _fixups[_fixupCount++] = _position;
        _fixups[_fixupCount++] = label;
        Int32(0); // filled by Patch
    }

    public readonly void Patch()
    {
        for (int i = 0; i < _fixupCount; i += 2)
        {
            int field = _fixups[i], target = _labels[_fixups[i + 1]];
            if (target < 0) throw new InvalidOperationException("The compiler jumped to a label it never bound.");
            Unsafe.WriteUnaligned(_start + field, target - (field + 4)); // relative to the next instruction
        }
    }

    // ---- instructions --------------------------------------------------------------------------

    public void MovRegReg(Reg64 dst, Reg64 src) => RegReg(0x89, dst, src);
    public void AddRegReg(Reg64 dst, Reg64 src) => RegReg(0x01, dst, src);
    public void SubRegReg(Reg64 dst, Reg64 src) => RegReg(0x29, dst, src);
    public void XorRegReg(Reg64 dst, Reg64 src) => RegReg(0x31, dst, src);
    public void TestRegReg(Reg64 dst, Reg64 src) => RegReg(0x85, dst, src);

    public void ImulRegReg(Reg64 dst, Reg64 src)
    {
        Room(4);
        Byte(Rex(reg: (int)dst, rm: (int)src));
        Byte(0x0F);
        Byte(0xAF);
        Byte(ModRM((int)dst, (int)src));
    }

    public void AddImm(Reg64 reg, int imm) => AluImm(0, reg, imm);
    public void SubImm(Reg64 reg, int imm) => AluImm(5, reg, imm);
    public void CmpImm(Reg64 reg, int imm) => AluImm(7, reg, imm);
    public void AndImm(Reg64 reg, int imm) => AluImm(4, reg, imm);

    public void ImulImm(Reg64 dst, Reg64 src, int imm)
    {
        Room(7);
        bool small = imm == (sbyte)imm;
        Byte(Rex(reg: (int)dst, rm: (int)src));
        Byte(small ? (byte)0x6B : (byte)0x69);
        Byte(ModRM((int)dst, (int)src));
        Immediate(imm, small);
    }

    public void Neg(Reg64 reg) => Group(0xF7, 3, reg);
    public void Idiv(Reg64 reg) => Group(0xF7, 7, reg);
    public void ImulWide(Reg64 reg) => Group(0xF7, 5, reg);

    public void Cqo()
    {
        Room(2);
        Byte(RexW);
        Byte(0x99);
    }

    public void ShlImm(Reg64 reg, int count) => Shift(4, reg, count);
    public void ShrImm(Reg64 reg, int count) => Shift(5, reg, count);
    public void SarImm(Reg64 reg, int count) => Shift(7, reg, count);

    public void Push(Reg64 reg) => OpcodePlusRegister(0x50, reg);
    public void Pop(Reg64 reg) => OpcodePlusRegister(0x58, reg);

    public void LoadConstant(Reg64 reg, long value)
    {
        if (value == (int)value)
        {
            MovImm32(reg, (int)value);
            return;
        }
        Room(10);
        Byte((byte)(RexW | B((int)reg)));
        Byte((byte)(0xB8 | ((int)reg & 7)));
        Unsafe.WriteUnaligned(_start + _position, value);
        _position += 8;
    }

    public void MovImm32(Reg64 reg, int value)
    {
        Room(7);
        Byte((byte)(RexW | B((int)reg)));
        Byte(0xC7);
        Byte(ModRM(0, (int)reg));
        Int32(value);
    }

    public void Load(Reg64 dst, Reg64 baseReg, int disp) => Memory(0x8B, dst, baseReg, disp);
    public void Store(Reg64 baseReg, int disp, Reg64 src) => Memory(0x89, src, baseReg, disp);
    public void AddFromMemory(Reg64 dst, Reg64 baseReg, int disp) => Memory(0x03, dst, baseReg, disp);
    public void SubFromMemory(Reg64 dst, Reg64 baseReg, int disp) => Memory(0x2B, dst, baseReg, disp);
    public void ImulFromMemory(Reg64 dst, Reg64 baseReg, int disp) => Memory(0xAF, dst, baseReg, disp, escape: true);

    public void Ret()
    {
        Room(1);
        Byte(0xC3);
    }

    public void Raw(byte[] bytes)
    {
        Room(bytes.Length);
        foreach (byte b in bytes) Byte(b);
    }

    // ---- shapes ------------------------------------------------------------------------------

    /// <summary>op r/m64, r64 with both in registers: REX.W op 11·reg·rm.</summary>
    private void RegReg(byte opcode, Reg64 rm, Reg64 reg)
    {
        Room(3);
        Byte(Rex(reg: (int)reg, rm: (int)rm));
        Byte(opcode);
        Byte(ModRM((int)reg, (int)rm));
    }

    /// <summary>op /digit r/m64: the ModRM reg field holds an opcode extension.</summary>
    private void Group(byte opcode, int digit, Reg64 rm)
    {
        Room(3);
        Byte((byte)(RexW | B((int)rm)));
        Byte(opcode);
        Byte(ModRM(digit, (int)rm));
    }

    private void AluImm(int digit, Reg64 reg, int imm)
    {
        bool small = imm == (sbyte)imm;
        Group(small ? (byte)0x83 : (byte)0x81, digit, reg);
        Room(4);
        Immediate(imm, small);
    }

    private void Shift(int digit, Reg64 reg, int count)
    {
        if ((uint)count > 63) throw new ArgumentOutOfRangeException(nameof(count), count, "A 64-bit shift takes 0 to 63.");
        Group(0xC1, digit, reg);
        Room(1);
        Byte((byte)count);
    }

    private void OpcodePlusRegister(byte opcode, Reg64 reg)
    {
        Room(2);
        if ((int)reg >= 8) Byte(0x41); // REX.B
        Byte((byte)(opcode | ((int)reg & 7)));
    }

    /// <summary>
    /// [base + disp]: mod 00 without displacement, 01 with disp8, 10 with disp32; rsp/r12 need a
    /// SIB byte, rbp/r13 a displacement. <paramref name="escape"/> puts 0F before the opcode (imul).
    /// </summary>
    private void Memory(byte opcode, Reg64 reg, Reg64 baseReg, int disp, bool escape = false)
    {
        Room(9);
        int b = (int)baseReg & 7;
        int mod = disp == 0 && b != 0b101 ? 0b00 : disp == (sbyte)disp ? 0b01 : 0b10;
        Byte(Rex(reg: (int)reg, rm: (int)baseReg));
        if (escape) Byte(0x0F);
        Byte(opcode);
        Byte((byte)((mod << 6) | (((int)reg & 7) << 3) | b));
        if (b == 0b100) Byte(0x24);
        if (mod != 0b00) Immediate(disp, mod == 0b01);
    }

    private static byte Rex(int reg, int rm) => (byte)(RexW | ((reg & 8) >> 1) | B(rm));
    private static int B(int rm) => (rm & 8) >> 3;
    private static byte ModRM(int reg, int rm) => (byte)(0b11_000_000 | ((reg & 7) << 3) | (rm & 7));

    private void Immediate(int value, bool asByte)
    {
        if (asByte) Byte((byte)value);
        else Int32(value);
    }

    private void Byte(byte value) => _start[_position++] = value;

    private void Int32(int value)
    {
        Unsafe.WriteUnaligned(_start + _position, value);
        _position += 4;
    }

    /// <summary>Refuses to write past the reservation: the compiler's size bound would be wrong, a bug to report, never memory to overwrite.</summary>
    private readonly void Room(int bytes)
    {
        if (_position + bytes > _capacity)
            throw new InvalidOperationException(
                $"The code outgrew the {_capacity} bytes reserved for it (X64Compiler.MaxCodeBytes is too small): a compiler bug.");
    }
}
