using CsCheck;
using Iced.Intel;

namespace JitNotebooks.Tests.MovEncoding;

/// <summary><c>mov $imm32,%r64</c>: our bytes against Iced's encoder and decoder.</summary>
public class MovImm32Tests
{
    private static readonly int[] EdgeValues = [0, 1, -1, int.MinValue, int.MaxValue, 12, 0x7F, 0x80, -0x80, 0xFFFF];

    private static byte[] IcedBytes(Reg64 reg, int value) =>
        IcedHelpers.Encode(Instruction.Create(Code.Mov_rm64_imm32, Register.RAX + (int)reg, value));

    public static TheoryData<int> Registers() => new(Enumerable.Range(0, 16));

    [Theory]
    [MemberData(nameof(Registers))]
    public void Matches_Iced_for_edge_values(int n)
    {
        foreach (int value in EdgeValues)
            Assert.Equal(IcedBytes((Reg64)n, value), MovImm32.Encode((Reg64)n, value).Bytes);
    }

    [Fact]
    public void Matches_Iced_for_any_register_and_any_int32()
    {
        Gen.Select(Gen.Int[0, 15], Gen.Int).Sample((n, value) =>
            Assert.Equal(IcedBytes((Reg64)n, value), MovImm32.Encode((Reg64)n, value).Bytes));
    }

    [Fact]
    public void Iced_decodes_our_bytes_back_to_the_same_register_and_immediate()
    {
        Gen.Select(Gen.Int[0, 15], Gen.Int).Sample((n, value) =>
        {
            var bytes = MovImm32.Encode((Reg64)n, value).Bytes;
            var instr = IcedHelpers.DecodeOne(bytes);
            Assert.Equal(Code.Mov_rm64_imm32, instr.Code);
            Assert.Equal(7, instr.Length);
            Assert.Equal(7, bytes.Length);
            Assert.Equal(Register.RAX + n, instr.Op0Register);
            Assert.Equal(OpKind.Immediate32to64, instr.Op1Kind);
            Assert.Equal((long)value, instr.Immediate32to64);
        });
    }

    [Theory]
    [MemberData(nameof(Registers))]
    public void Field_breakdown_agrees_with_the_SDM_and_Iced(int n)
    {
        var reg = (Reg64)n;
        var enc = MovImm32.Encode(reg, -2);
        var decoder = Iced.Intel.Decoder.Create(64, new ByteArrayCodeReader(enc.Bytes));
        decoder.Decode(out var instr);
        var offsets = decoder.GetConstantOffsets(instr);

        // Intel SDM: REX = 0100WRXB; MOV r/m64, imm32 = REX.W + C7 /0 id; ModRM = mod(2) reg(3) rm(3).
        Assert.Equal(0x4, enc.Rex >> 4);
        Assert.True(enc.RexW);
        Assert.False(enc.RexR);
        Assert.False(enc.RexX);
        Assert.Equal(n >= 8, enc.RexB);
        Assert.Equal(0xC7, enc.Opcode);
        Assert.Equal(0b11, enc.Mod);          // register operand
        Assert.Equal(0, enc.RegField);        // the /0 opcode extension
        Assert.Equal(n & 7, enc.Rm);
        Assert.Equal(enc.ModRM, enc.Bytes[2]);

        // Iced's view: the immediate is the four bytes at offset 3, and they are the ones we list.
        Assert.True(offsets.HasImmediate);
        Assert.Equal(3, offsets.ImmediateOffset);
        Assert.Equal(4, offsets.ImmediateSize);
        Assert.Equal(enc.Bytes[3..7], enc.ImmediateBytes);
        Assert.Equal(new byte[] { 0xfe, 0xff, 0xff, 0xff }, enc.ImmediateBytes); // -2, little-endian
        Assert.Equal(Register.RAX + n, instr.Op0Register);
    }

    [Theory]
    [InlineData(0, 1, "mov    $0x1,%rax")]
    [InlineData(7, 1, "mov    $0x1,%rdi")]
    [InlineData(2, 12, "mov    $0xc,%rdx")]
    [InlineData(15, -1, "mov    $0xffffffffffffffff,%r15")] // objdump shows the sign-extended 64-bit value
    [InlineData(8, int.MinValue, "mov    $0xffffffff80000000,%r8")]
    [InlineData(3, int.MaxValue, "mov    $0x7fffffff,%rbx")]
    public void Att_text_matches_what_Iced_formats_like_objdump(int n, int value, string expected)
    {
        var formatter = new GasFormatter();
        formatter.Options.HexPrefix = "0x";
        formatter.Options.HexSuffix = null;
        formatter.Options.UppercaseHex = false;
        formatter.Options.FirstOperandCharIndex = 7;
        formatter.Options.SmallHexNumbersInDecimal = false;
        var output = new StringOutput();
        formatter.Format(IcedHelpers.DecodeOne(MovImm32.Encode((Reg64)n, value).Bytes), output);
        Assert.Equal(expected, output.ToString());
        Assert.Equal(expected, MovImm32.Encode((Reg64)n, value).Att);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    [InlineData((long)int.MaxValue)]
    [InlineData((long)int.MinValue)]
    public void Long_values_in_range_are_accepted(long value)
    {
        Assert.Equal(IcedBytes(Reg64.Rcx, (int)value), MovImm32.Encode(Reg64.Rcx, value).Bytes);
    }

    [Fact]
    public void Ulong_values_up_to_int_max_are_accepted()
    {
        Assert.Equal(IcedBytes(Reg64.R9, int.MaxValue), MovImm32.Encode(Reg64.R9, (ulong)int.MaxValue).Bytes);
        Assert.Equal(IcedBytes(Reg64.R9, 0), MovImm32.Encode(Reg64.R9, 0UL).Bytes);
    }

    [Theory]
    [InlineData(int.MaxValue + 1L, "2147483648")]
    [InlineData(int.MinValue - 1L, "-2147483649")]
    [InlineData(long.MaxValue, "9223372036854775807")]
    [InlineData(long.MinValue, "-9223372036854775808")]
    public void Long_values_out_of_range_are_refused_with_the_value_and_the_fix(long value, string shown)
    {
        var ex = Assert.Throws<ImmediateOutOfRangeException>(() => MovImm32.Encode(Reg64.Rax, value));
        Assert.Contains(shown, ex.Message);
        Assert.Contains("movabs", ex.Message);
        Assert.Contains("%rax", ex.Message);
        Assert.Equal(value, ex.ActualValue);
        Assert.Equal("value", ex.ParamName);
    }

    [Theory]
    [InlineData(0x80000000UL, "0x80000000", "0xFFFFFFFF80000000")]
    [InlineData(ulong.MaxValue, "0xFFFFFFFFFFFFFFFF", null)]
    [InlineData(0x1_0000_0000UL, "0x100000000", null)]
    public void Ulong_values_above_int_max_are_refused_with_the_value_and_the_fix(ulong value, string shown, string? signExtended)
    {
        var ex = Assert.Throws<ImmediateOutOfRangeException>(() => MovImm32.Encode(Reg64.R12, value));
        Assert.Contains(shown, ex.Message);
        Assert.Contains("movabs", ex.Message);
        Assert.Contains("0x7FFFFFFF", ex.Message);
        if (signExtended is not null) Assert.Contains(signExtended, ex.Message); // what the CPU would load instead
        Assert.Equal(value, ex.ActualValue);
    }

    [Fact]
    public void Out_of_range_is_an_ArgumentOutOfRangeException_so_generic_handlers_catch_it()
    {
        Assert.ThrowsAny<ArgumentOutOfRangeException>(() => MovImm32.Encode(Reg64.Rax, 1L << 40));
    }

    [Fact]
    public void Register_numbers_outside_0_to_15_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => MovImm32.Encode((Reg64)16, 1));
    }

    [Fact]
    public void The_field_table_has_one_row_per_field_with_its_bytes()
    {
        string text = MovImm32.Encode(Reg64.R9, -1).FieldTable().ToText();
        Assert.Contains("REX", text);
        Assert.Contains("49", text);
        Assert.Contains("B=1", text);
        Assert.Contains("c1", text);
        Assert.Contains("ff ff ff ff", text);
        Assert.Equal(4 + 2, text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length); // header, rule, four fields
    }
}
