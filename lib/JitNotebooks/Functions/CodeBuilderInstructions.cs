using System.Buffers.Binary;

namespace JitNotebooks;

/// <summary>
/// Part 2 of the course: the instructions a function body needs beyond the article's
/// <c>mov $imm32</c>, <c>lea</c> and <c>syscall</c>. Each one is encoded by hand, field by field,
/// and tagged with a <see cref="ByteRole"/> and its AT&amp;T text so a listing can explain it.
/// All operate on 64-bit registers (REX.W = 1) unless the name says otherwise.
/// </summary>
/// <remarks>
/// Two ModRM shapes cover almost everything here:
/// <list type="bullet">
/// <item><c>op r/m64, r64</c> (opcode 01, 29, 31, 39, 85, 89): ModRM.reg = source, ModRM.rm = destination.</item>
/// <item><c>op /digit r/m64</c> (F7 /3 neg, F7 /7 idiv, 83 /0 add imm8, FF /2 call): ModRM.reg holds
/// an opcode extension, not a register.</item>
/// </list>
/// The fourth bit of a register number travels in REX: REX.R extends ModRM.reg, REX.B extends
/// ModRM.rm (or the register in the low bits of the opcode, as in <c>push</c>).
/// </remarks>
public static class CodeBuilderInstructions
{
    private const byte RexW = 0x48;

    // Register names cached once: owner strings are built for every instruction a compiler emits.
    private static readonly string[] AttNames = Reg64Facts.All.Select(r => r.AttName()).ToArray();

    private static string Att(Reg64 reg) => AttNames[reg.Number()];

    // ---- register to register --------------------------------------------------------------

    /// <summary><c>mov %src,%dst</c>: REX.W 89 /r.</summary>
    public static CodeBuilder MovRegReg(this CodeBuilder b, Reg64 dst, Reg64 src) =>
        RegReg(b, 0x89, dst, src, $"mov    {Att(src)},{Att(dst)}");

    /// <summary><c>add %src,%dst</c> (dst += src): REX.W 01 /r.</summary>
    public static CodeBuilder AddRegReg(this CodeBuilder b, Reg64 dst, Reg64 src) =>
        RegReg(b, 0x01, dst, src, $"add    {Att(src)},{Att(dst)}");

    /// <summary><c>sub %src,%dst</c> (dst -= src): REX.W 29 /r.</summary>
    public static CodeBuilder SubRegReg(this CodeBuilder b, Reg64 dst, Reg64 src) =>
        RegReg(b, 0x29, dst, src, $"sub    {Att(src)},{Att(dst)}");

    /// <summary><c>xor %src,%dst</c>: REX.W 31 /r. <c>xor %r,%r</c> is the usual way to zero a register.</summary>
    public static CodeBuilder XorRegReg(this CodeBuilder b, Reg64 dst, Reg64 src) =>
        RegReg(b, 0x31, dst, src, $"xor    {Att(src)},{Att(dst)}");

    /// <summary><c>cmp %src,%dst</c>: sets flags from dst - src: REX.W 39 /r.</summary>
    public static CodeBuilder CmpRegReg(this CodeBuilder b, Reg64 dst, Reg64 src) =>
        RegReg(b, 0x39, dst, src, $"cmp    {Att(src)},{Att(dst)}");

    /// <summary><c>test %src,%dst</c>: sets flags from dst AND src: REX.W 85 /r.</summary>
    public static CodeBuilder TestRegReg(this CodeBuilder b, Reg64 dst, Reg64 src) =>
        RegReg(b, 0x85, dst, src, $"test   {Att(src)},{Att(dst)}");

    /// <summary>
    /// <c>imul %src,%dst</c> (dst *= src, low 64 bits kept: wrapping): REX.W 0F AF /r.
    /// Note the reversed roles: here ModRM.reg is the destination and ModRM.rm the source.
    /// </summary>
    public static CodeBuilder ImulRegReg(this CodeBuilder b, Reg64 dst, Reg64 src)
    {
        string owner = $"imul   {Att(src)},{Att(dst)}";
        return b.Emit(ByteRole.Rex, owner, Rex(reg: dst, rm: src))
                .Emit(ByteRole.Opcode, owner, 0x0F, 0xAF)
                .Emit(ByteRole.ModRM, owner, ModRM(0b11, dst.Low3(), src.Low3()));
    }

    // ---- one register ----------------------------------------------------------------------

    /// <summary><c>neg %reg</c> (two's complement; sets OF only when reg was long.MinValue): REX.W F7 /3.</summary>
    public static CodeBuilder Neg(this CodeBuilder b, Reg64 reg) => Digit(b, 0xF7, 3, reg, $"neg    {Att(reg)}");

    /// <summary>
    /// <c>idiv %reg</c>: divides rdx:rax by reg; quotient to rax, remainder to rdx, both truncated
    /// toward zero. Faults (#DE, SIGFPE) when reg is 0 or the quotient does not fit: REX.W F7 /7.
    /// </summary>
    public static CodeBuilder Idiv(this CodeBuilder b, Reg64 reg) => Digit(b, 0xF7, 7, reg, $"idiv   {Att(reg)}");

    /// <summary>
    /// <c>imul %reg</c>, the one-operand form: rdx:rax = rax * reg, the full 128-bit signed
    /// product. rdx then holds the high half, which division by a constant needs: REX.W F7 /5.
    /// </summary>
    public static CodeBuilder ImulWide(this CodeBuilder b, Reg64 reg) => Digit(b, 0xF7, 5, reg, $"imul   {Att(reg)}");

    /// <summary><c>cqto</c> (Intel: cqo): sign-extends rax into rdx:rax before <c>idiv</c>: REX.W 99.</summary>
    public static CodeBuilder Cqo(this CodeBuilder b) =>
        b.Emit(ByteRole.Rex, "cqto", RexW).Emit(ByteRole.Opcode, "cqto", 0x99);

    /// <summary><c>push %reg</c>: rsp -= 8, then store: 50+r (REX.B 41 for r8–r15; 64-bit by default).</summary>
    public static CodeBuilder Push(this CodeBuilder b, Reg64 reg) => ShortForm(b, 0x50, reg, $"push   {Att(reg)}");

    /// <summary><c>pop %reg</c>: load, then rsp += 8: 58+r (REX.B 41 for r8–r15).</summary>
    public static CodeBuilder Pop(this CodeBuilder b, Reg64 reg) => ShortForm(b, 0x58, reg, $"pop    {Att(reg)}");

    /// <summary><c>call *%reg</c>: push the return address, jump to the address in reg: FF /2 (no REX.W needed).</summary>
    public static CodeBuilder CallReg(this CodeBuilder b, Reg64 reg)
    {
        string owner = $"call   *{Att(reg)}";
        if (reg.NeedsRexBit()) b.Emit(ByteRole.Rex, owner, 0x41);
        return b.Emit(ByteRole.Opcode, owner, 0xFF).Emit(ByteRole.ModRM, owner, ModRM(0b11, 2, reg.Low3()));
    }

    // ---- immediates ------------------------------------------------------------------------

    /// <summary>
    /// <c>movabs $imm64,%reg</c>: the only x86-64 instruction with a full 64-bit immediate:
    /// REX.W B8+r imm64 (10 bytes). Used for constants beyond imm32 and for function addresses.
    /// </summary>
    public static CodeBuilder MovImm64(this CodeBuilder b, Reg64 reg, long value)
    {
        string owner = $"movabs ${Hex(value)},{Att(reg)}";
        var imm = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(imm, value);
        return b.Emit(ByteRole.Rex, owner, (byte)(RexW | (reg.NeedsRexBit() ? 1 : 0)))
                .Emit(ByteRole.Opcode, owner, (byte)(0xB8 | reg.Low3()))
                .Emit(ByteRole.Immediate, owner, imm);
    }

    /// <summary>
    /// Loads any 64-bit constant the short way that fits: the article's 7-byte <c>mov $imm32</c>
    /// when the value survives sign extension, otherwise the 10-byte <c>movabs</c>.
    /// </summary>
    public static CodeBuilder LoadConstant(this CodeBuilder b, Reg64 reg, long value) =>
        value is >= int.MinValue and <= int.MaxValue ? b.MovImm32(reg, (int)value) : b.MovImm64(reg, value);

    /// <summary><c>add $imm,%reg</c>: REX.W 83 /0 ib when imm fits a signed byte, else REX.W 81 /0 id.</summary>
    public static CodeBuilder AddImm(this CodeBuilder b, Reg64 reg, int imm) => AluImm(b, 0, "add", reg, imm);

    /// <summary><c>sub $imm,%reg</c>: REX.W 83 /5 ib or REX.W 81 /5 id.</summary>
    public static CodeBuilder SubImm(this CodeBuilder b, Reg64 reg, int imm) => AluImm(b, 5, "sub", reg, imm);

    /// <summary><c>cmp $imm,%reg</c>: flags from reg - imm: REX.W 83 /7 ib or REX.W 81 /7 id.</summary>
    public static CodeBuilder CmpImm(this CodeBuilder b, Reg64 reg, int imm) => AluImm(b, 7, "cmp", reg, imm);

    /// <summary><c>and $imm,%reg</c>: REX.W 83 /4 ib or REX.W 81 /4 id (the immediate is sign-extended to 64 bits).</summary>
    public static CodeBuilder AndImm(this CodeBuilder b, Reg64 reg, int imm) => AluImm(b, 4, "and", reg, imm);

    /// <summary><c>shl $count,%reg</c> (shift left, zeros in): REX.W C1 /4 ib.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is not 0–63.</exception>
    public static CodeBuilder ShlImm(this CodeBuilder b, Reg64 reg, int count) => Shift(b, 4, "shl", reg, count);

    /// <summary><c>shr $count,%reg</c> (logical shift right, zeros in: unsigned halving): REX.W C1 /5 ib.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is not 0–63.</exception>
    public static CodeBuilder ShrImm(this CodeBuilder b, Reg64 reg, int count) => Shift(b, 5, "shr", reg, count);

    /// <summary>
    /// <c>sar $count,%reg</c> (arithmetic shift right, copies of the sign bit in: signed halving
    /// that rounds toward minus infinity): REX.W C1 /7 ib.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is not 0–63.</exception>
    public static CodeBuilder SarImm(this CodeBuilder b, Reg64 reg, int count) => Shift(b, 7, "sar", reg, count);

    /// <summary><c>imul $imm,%src,%dst</c> (dst = src * imm, wrapping): REX.W 6B /r ib or REX.W 69 /r id.</summary>
    public static CodeBuilder ImulImm(this CodeBuilder b, Reg64 dst, Reg64 src, int imm)
    {
        bool small = imm is >= sbyte.MinValue and <= sbyte.MaxValue;
        string owner = $"imul   ${Hex(imm)},{Att(src)},{Att(dst)}";
        b.Emit(ByteRole.Rex, owner, Rex(reg: dst, rm: src))
         .Emit(ByteRole.Opcode, owner, small ? (byte)0x6B : (byte)0x69)
         .Emit(ByteRole.ModRM, owner, ModRM(0b11, dst.Low3(), src.Low3()));
        return b.Emit(ByteRole.Immediate, owner, ImmBytes(imm, small));
    }

    // ---- memory: [base + disp] ---------------------------------------------------------------

    /// <summary><c>mov disp(%base),%dst</c>: load 8 bytes from memory: REX.W 8B /r.</summary>
    public static CodeBuilder Load(this CodeBuilder b, Reg64 dst, Reg64 baseReg, int disp) =>
        Memory(b, [0x8B], dst, baseReg, disp, $"mov    {MemAtt(baseReg, disp)},{Att(dst)}");

    /// <summary><c>mov %src,disp(%base)</c>: store 8 bytes to memory: REX.W 89 /r.</summary>
    public static CodeBuilder Store(this CodeBuilder b, Reg64 baseReg, int disp, Reg64 src) =>
        Memory(b, [0x89], src, baseReg, disp, $"mov    {Att(src)},{MemAtt(baseReg, disp)}");

    /// <summary><c>add disp(%base),%dst</c> (dst += 8 bytes from memory): REX.W 03 /r, the load and the add in one instruction.</summary>
    public static CodeBuilder AddFromMemory(this CodeBuilder b, Reg64 dst, Reg64 baseReg, int disp) =>
        Memory(b, [0x03], dst, baseReg, disp, $"add    {MemAtt(baseReg, disp)},{Att(dst)}");

    /// <summary><c>sub disp(%base),%dst</c> (dst -= 8 bytes from memory): REX.W 2B /r.</summary>
    public static CodeBuilder SubFromMemory(this CodeBuilder b, Reg64 dst, Reg64 baseReg, int disp) =>
        Memory(b, [0x2B], dst, baseReg, disp, $"sub    {MemAtt(baseReg, disp)},{Att(dst)}");

    /// <summary><c>imul disp(%base),%dst</c> (dst *= 8 bytes from memory, wrapping): REX.W 0F AF /r.</summary>
    public static CodeBuilder ImulFromMemory(this CodeBuilder b, Reg64 dst, Reg64 baseReg, int disp) =>
        Memory(b, [0x0F, 0xAF], dst, baseReg, disp, $"imul   {MemAtt(baseReg, disp)},{Att(dst)}");

    // ---- the shapes --------------------------------------------------------------------------

    private static CodeBuilder RegReg(CodeBuilder b, byte opcode, Reg64 rm, Reg64 reg, string owner) =>
        b.Emit(ByteRole.Rex, owner, Rex(reg: reg, rm: rm))
         .Emit(ByteRole.Opcode, owner, opcode)
         .Emit(ByteRole.ModRM, owner, ModRM(0b11, reg.Low3(), rm.Low3()));

    private static CodeBuilder Digit(CodeBuilder b, byte opcode, int digit, Reg64 rm, string owner) =>
        b.Emit(ByteRole.Rex, owner, Rex(reg: null, rm: rm))
         .Emit(ByteRole.Opcode, owner, opcode)
         .Emit(ByteRole.ModRM, owner, ModRM(0b11, digit, rm.Low3()));

    private static CodeBuilder ShortForm(CodeBuilder b, byte opcode, Reg64 reg, string owner)
    {
        if (reg.NeedsRexBit()) b.Emit(ByteRole.Rex, owner, 0x41); // REX.B: the register is in the opcode's low bits
        return b.Emit(ByteRole.Opcode, owner, (byte)(opcode | reg.Low3()));
    }

    private static CodeBuilder AluImm(CodeBuilder b, int digit, string mnemonic, Reg64 reg, int imm)
    {
        // 83 takes a sign-extended byte, 81 a sign-extended dword: same operation, shorter encoding.
        bool small = imm is >= sbyte.MinValue and <= sbyte.MaxValue;
        string owner = $"{mnemonic,-6} ${Hex(imm)},{Att(reg)}";
        Digit(b, small ? (byte)0x83 : (byte)0x81, digit, reg, owner);
        return b.Emit(ByteRole.Immediate, owner, ImmBytes(imm, small));
    }

    private static CodeBuilder Shift(CodeBuilder b, int digit, string mnemonic, Reg64 reg, int count)
    {
        // The CPU masks a 64-bit shift count to 6 bits; refuse what it would silently change.
        if (count is < 0 or > 63)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"A 64-bit {mnemonic} shifts by 0 to 63 bits.");
        string owner = $"{mnemonic,-6} ${Hex(count)},{Att(reg)}";
        Digit(b, 0xC1, digit, reg, owner);
        return b.Emit(ByteRole.Immediate, owner, (byte)count);
    }

    private static CodeBuilder Memory(CodeBuilder b, byte[] opcode, Reg64 reg, Reg64 baseReg, int disp, string owner)
    {
        // mod=00: no displacement, mod=01: disp8 follows, mod=10: disp32. With rm=101 (rbp, r13),
        // mod=00 means [rip+disp32] instead, so those bases always carry a displacement (disp8 0).
        // rm=100 (rsp, r12) means "a SIB byte follows"; SIB 0x24 = [base] with no index.
        bool none = disp == 0 && baseReg.Low3() != 0b101;
        bool small = disp is >= sbyte.MinValue and <= sbyte.MaxValue;
        int mod = none ? 0b00 : small ? 0b01 : 0b10;
        b.Emit(ByteRole.Rex, owner, Rex(reg: reg, rm: baseReg))
         .Emit(ByteRole.Opcode, owner, opcode)
         .Emit(ByteRole.ModRM, owner, ModRM(mod, reg.Low3(), baseReg.Low3()));
        if (baseReg.Low3() == 0b100) b.Emit(ByteRole.ModRM, owner, 0x24);
        return none ? b : b.Emit(ByteRole.Displacement, owner, ImmBytes(disp, small));
    }

    private static byte Rex(Reg64? reg, Reg64 rm) =>
        (byte)(RexW | (reg is { } r && r.NeedsRexBit() ? 0b0100 : 0) | (rm.NeedsRexBit() ? 0b0001 : 0));

    private static byte ModRM(int mod, int reg, int rm) => (byte)((mod << 6) | (reg << 3) | rm);

    private static byte[] ImmBytes(int value, bool asByte)
    {
        if (asByte) return [(byte)(sbyte)value];
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
        return bytes;
    }

    private static string MemAtt(Reg64 baseReg, int disp) => $"{(disp == 0 ? "" : Hex(disp))}({Att(baseReg)})";

    private static string Hex(long v) => v < 0 ? $"-0x{unchecked((ulong)-v):x}" : $"0x{v:x}";
}
