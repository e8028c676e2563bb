using System.Buffers.Binary;

namespace JitNotebooks;

/// <summary>
/// Step 2 of the course: encoding <c>mov $imm32,%r64</c> by hand.
/// The form is REX.W + <c>C7 /0</c> + imm32: seven bytes. The CPU sign-extends the 32-bit
/// immediate to 64 bits, so it can load any value from -2^31 to 2^31-1 (and no other).
/// </summary>
public static class MovImm32
{
    /// <summary>The opcode byte of <c>MOV r/m64, imm32</c>.</summary>
    public const byte Opcode = 0xC7;

    /// <summary>Encodes <c>mov $value,%reg</c>.</summary>
    public static MovImm32Encoding Encode(Reg64 reg, int value)
    {
        // REX = 0100WRXB. W=1 selects 64-bit operands; B extends ModRM.rm to reach r8–r15.
        byte rex = (byte)(0x48 | (reg.NeedsRexBit() ? 0b0001 : 0));
        // ModRM = mod(2) reg(3) rm(3). mod=11: the operand is a register. reg=000: the "/0" of C7 /0.
        byte modrm = (byte)(0b11_000_000 | reg.Low3());
        var imm = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(imm, value);
        return new MovImm32Encoding(reg, value, rex, Opcode, modrm, imm);
    }

    /// <summary>
    /// Encodes <c>mov $value,%reg</c> for a 64-bit value, refusing any value the sign-extended
    /// imm32 cannot represent.
    /// </summary>
    /// <exception cref="ImmediateOutOfRangeException">The value is outside [-2^31, 2^31-1].</exception>
    public static MovImm32Encoding Encode(Reg64 reg, long value) =>
        value is >= int.MinValue and <= int.MaxValue
            ? Encode(reg, (int)value)
            : throw new ImmediateOutOfRangeException(nameof(value), value,
                $"mov $imm32,{reg.AttName()} cannot load {value} (0x{value:X}): its 32-bit immediate is " +
                $"sign-extended, so only -2147483648 to 2147483647 fit. Use a value in that range, or the " +
                $"10-byte movabs (REX.W B8+r imm64) for wider values.");

    /// <summary>
    /// Encodes an unsigned 64-bit value. 0x80000000 is refused: sign extension would load
    /// 0xFFFFFFFF80000000, not the value asked for.
    /// </summary>
    /// <exception cref="ImmediateOutOfRangeException">The value is above 2^31-1.</exception>
    public static MovImm32Encoding Encode(Reg64 reg, ulong value) =>
        value <= int.MaxValue
            ? Encode(reg, (int)value)
            : throw new ImmediateOutOfRangeException(nameof(value), value,
                $"mov $imm32,{reg.AttName()} cannot load 0x{value:X} ({value}): the CPU sign-extends the " +
                $"32-bit immediate, so 0x{value:X} would arrive as 0x{unchecked((ulong)(long)(int)value):X}. " +
                $"Unsigned values up to 0x7FFFFFFF fit; use the 10-byte movabs (REX.W B8+r imm64) for larger ones.");
}

/// <summary>One encoded <c>mov $imm32,%r64</c>, with every field kept apart so it can be explained.</summary>
public sealed record MovImm32Encoding(Reg64 Register, int Immediate, byte Rex, byte Opcode, byte ModRM, byte[] ImmediateBytes)
{
    /// <summary>The seven bytes in memory order.</summary>
    public byte[] Bytes => [Rex, Opcode, ModRM, .. ImmediateBytes];

    public bool RexW => (Rex & 0b1000) != 0;
    public bool RexR => (Rex & 0b0100) != 0;
    public bool RexX => (Rex & 0b0010) != 0;
    public bool RexB => (Rex & 0b0001) != 0;

    /// <summary>ModRM.mod: 3 means "the operand is a register, not memory".</summary>
    public int Mod => ModRM >> 6;
    /// <summary>ModRM.reg: here the opcode extension /0, not a register.</summary>
    public int RegField => (ModRM >> 3) & 7;
    /// <summary>ModRM.rm: the low three bits of the destination register.</summary>
    public int Rm => ModRM & 7;

    /// <summary>The instruction as objdump prints it in AT&amp;T syntax.</summary>
    public string Att => $"mov    ${FormatImm(Immediate)},{Register.AttName()}";

    /// <summary>The fields one per line, for a notebook cell.</summary>
    public IReadOnlyList<(string Field, string Bytes, string Meaning)> Fields =>
    [
        ("REX", $"{Rex:x2}", $"0100 W={(RexW ? 1 : 0)} R={(RexR ? 1 : 0)} X={(RexX ? 1 : 0)} B={(RexB ? 1 : 0)}: 64-bit operand{(RexB ? ", rm extended to r8–r15" : "")}"),
        ("opcode", $"{Opcode:x2}", "MOV r/m64, imm32"),
        ("ModRM", $"{ModRM:x2}", $"mod={Convert.ToString(Mod, 2).PadLeft(2, '0')} (register) reg={Convert.ToString(RegField, 2).PadLeft(3, '0')} (/0) rm={Convert.ToString(Rm, 2).PadLeft(3, '0')} ({Register.IntelName()})"),
        ("imm32", string.Join(" ", ImmediateBytes.Select(b => b.ToString("x2"))), $"{Immediate} in little-endian order, sign-extended to 64 bits"),
    ];

    /// <summary>The fields as a table (HTML in a notebook, text in a terminal): field, bytes, meaning.</summary>
    public TextTable FieldTable()
    {
        var table = new TextTable("Field", "Bytes", "Meaning");
        foreach (var (field, bytes, meaning) in Fields) table.AddRow(field, bytes, meaning);
        return table;
    }

    public override string ToString() =>
        $"{string.Join(" ", Bytes.Select(b => b.ToString("x2")))}    {Att}";

    // objdump shows the immediate after sign extension, as the 64-bit value the register receives:
    // -1 prints as $0xffffffffffffffff, not $-0x1.
    private static string FormatImm(int v) => $"0x{unchecked((ulong)(long)v):x}";
}
