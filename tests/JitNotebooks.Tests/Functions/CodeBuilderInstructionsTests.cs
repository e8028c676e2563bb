using Iced.Intel;
using IcedEncoder = Iced.Intel.Encoder;
using IcedDecoder = Iced.Intel.Decoder;

namespace JitNotebooks.Tests.Functions;

/// <summary>
/// Every hand-encoded instruction against Iced: the bytes must equal what Iced's encoder produces
/// for the same instruction form, and Iced must decode them back to that instruction. Exhaustive
/// over the sixteen registers (and pairs) where that is cheap.
/// </summary>
public class CodeBuilderInstructionsTests
{
    private static readonly Reg64[] All = Enum.GetValues<Reg64>();

    private static readonly int[] Immediates = [0, 1, -1, 127, -128, 128, -129, 0x1234, int.MaxValue, int.MinValue];

    private static Register Iced(Reg64 r) => Register.RAX + (int)r;

    private static byte[] IcedBytes(Instruction instruction)
    {
        var writer = new BytesWriter();
        IcedEncoder.Create(64, writer).Encode(instruction, 0);
        return writer.Bytes.ToArray();
    }

    private static byte[] Ours(Action<CodeBuilder> emit)
    {
        var b = new CodeBuilder();
        emit(b);
        return b.ToArray();
    }

    private static Instruction DecodeSingle(byte[] bytes)
    {
        var decoder = IcedDecoder.Create(64, new ByteArrayCodeReader(bytes));
        var instruction = decoder.Decode();
        Assert.False(instruction.IsInvalid, "Iced cannot decode " + Convert.ToHexString(bytes));
        Assert.Equal(bytes.Length, instruction.Length); // exactly one instruction, nothing left over
        return instruction;
    }

    private static void Same(Instruction expected, Action<CodeBuilder> emit)
    {
        var ours = Ours(emit);
        Assert.Equal(IcedBytes(expected), ours);
        Assert.Equal(expected.Code, DecodeSingle(ours).Code);
    }

    public static IEnumerable<object[]> RegRegForms() =>
    [
        [Code.Mov_rm64_r64, (Action<CodeBuilder, Reg64, Reg64>)((b, d, s) => b.MovRegReg(d, s))],
        [Code.Add_rm64_r64, (Action<CodeBuilder, Reg64, Reg64>)((b, d, s) => b.AddRegReg(d, s))],
        [Code.Sub_rm64_r64, (Action<CodeBuilder, Reg64, Reg64>)((b, d, s) => b.SubRegReg(d, s))],
        [Code.Xor_rm64_r64, (Action<CodeBuilder, Reg64, Reg64>)((b, d, s) => b.XorRegReg(d, s))],
        [Code.Cmp_rm64_r64, (Action<CodeBuilder, Reg64, Reg64>)((b, d, s) => b.CmpRegReg(d, s))],
        [Code.Test_rm64_r64, (Action<CodeBuilder, Reg64, Reg64>)((b, d, s) => b.TestRegReg(d, s))],
        [Code.Imul_r64_rm64, (Action<CodeBuilder, Reg64, Reg64>)((b, d, s) => b.ImulRegReg(d, s))],
    ];

    [Theory]
    [MemberData(nameof(RegRegForms))]
    public void Register_register_forms_match_Iced_for_all_256_pairs(Code code, Action<CodeBuilder, Reg64, Reg64> emit)
    {
        foreach (var dst in All)
            foreach (var src in All)
                Same(Instruction.Create(code, Iced(dst), Iced(src)), b => emit(b, dst, src));
    }

    public static IEnumerable<object[]> OneRegisterForms() =>
    [
        [Code.Neg_rm64, (Action<CodeBuilder, Reg64>)((b, r) => b.Neg(r))],
        [Code.Idiv_rm64, (Action<CodeBuilder, Reg64>)((b, r) => b.Idiv(r))],
        [Code.Push_r64, (Action<CodeBuilder, Reg64>)((b, r) => b.Push(r))],
        [Code.Pop_r64, (Action<CodeBuilder, Reg64>)((b, r) => b.Pop(r))],
        [Code.Call_rm64, (Action<CodeBuilder, Reg64>)((b, r) => b.CallReg(r))],
        [Code.Imul_rm64, (Action<CodeBuilder, Reg64>)((b, r) => b.ImulWide(r))],
    ];

    [Theory]
    [MemberData(nameof(OneRegisterForms))]
    public void One_register_forms_match_Iced_for_all_16_registers(Code code, Action<CodeBuilder, Reg64> emit)
    {
        foreach (var reg in All)
            Same(Instruction.Create(code, Iced(reg)), b => emit(b, reg));
    }

    [Fact]
    public void Cqo_matches_Iced() => Same(Instruction.Create(Code.Cqo), b => b.Cqo());

    [Theory]
    [InlineData(0L)]
    [InlineData(1L)]
    [InlineData(-1L)]
    [InlineData(long.MinValue)]
    [InlineData(long.MaxValue)]
    [InlineData(0x1122334455667788L)]
    public void Movabs_matches_Iced_for_all_registers(long value)
    {
        foreach (var reg in All)
            Same(Instruction.Create(Code.Mov_r64_imm64, Iced(reg), value), b => b.MovImm64(reg, value));
    }

    [Theory]
    [InlineData(0L, 7)]
    [InlineData(-1L, 7)]
    [InlineData(int.MaxValue, 7)]
    [InlineData(int.MinValue, 7)]
    [InlineData((long)int.MaxValue + 1, 10)]
    [InlineData((long)int.MinValue - 1, 10)]
    [InlineData(long.MinValue, 10)]
    public void LoadConstant_picks_mov_imm32_when_sign_extension_keeps_the_value_else_movabs(long value, int length)
    {
        var bytes = Ours(b => b.LoadConstant(Reg64.R9, value));
        Assert.Equal(length, bytes.Length);
        var decoded = DecodeSingle(bytes);
        Assert.Equal(length == 7 ? Code.Mov_rm64_imm32 : Code.Mov_r64_imm64, decoded.Code);
        Assert.Equal(value, (long)decoded.GetImmediate(1));
    }

    public static IEnumerable<object[]> AluImmediateForms() =>
    [
        [Code.Add_rm64_imm8, Code.Add_rm64_imm32, (Action<CodeBuilder, Reg64, int>)((b, r, i) => b.AddImm(r, i))],
        [Code.Sub_rm64_imm8, Code.Sub_rm64_imm32, (Action<CodeBuilder, Reg64, int>)((b, r, i) => b.SubImm(r, i))],
        [Code.Cmp_rm64_imm8, Code.Cmp_rm64_imm32, (Action<CodeBuilder, Reg64, int>)((b, r, i) => b.CmpImm(r, i))],
        [Code.And_rm64_imm8, Code.And_rm64_imm32, (Action<CodeBuilder, Reg64, int>)((b, r, i) => b.AndImm(r, i))],
    ];

    [Theory]
    [MemberData(nameof(AluImmediateForms))]
    public void Immediate_forms_use_imm8_when_it_fits_and_match_Iced(Code imm8, Code imm32, Action<CodeBuilder, Reg64, int> emit)
    {
        foreach (int imm in Immediates)
            foreach (var reg in All)
                Same(Instruction.Create(imm is >= -128 and <= 127 ? imm8 : imm32, Iced(reg), imm), b => emit(b, reg, imm));
    }

    [Fact]
    public void Imul_with_immediate_matches_Iced_for_all_pairs()
    {
        foreach (int imm in new[] { 3, -1, 1000, int.MinValue })
            foreach (var dst in All)
                foreach (var src in All)
                    Same(Instruction.Create(imm is >= -128 and <= 127 ? Code.Imul_r64_rm64_imm8 : Code.Imul_r64_rm64_imm32, Iced(dst), Iced(src), imm),
                        b => b.ImulImm(dst, src, imm));
    }

    public static IEnumerable<object[]> ShiftForms() =>
    [
        [Code.Shl_rm64_imm8, (Action<CodeBuilder, Reg64, int>)((b, r, n) => b.ShlImm(r, n))],
        [Code.Shr_rm64_imm8, (Action<CodeBuilder, Reg64, int>)((b, r, n) => b.ShrImm(r, n))],
        [Code.Sar_rm64_imm8, (Action<CodeBuilder, Reg64, int>)((b, r, n) => b.SarImm(r, n))],
    ];

    [Theory]
    [MemberData(nameof(ShiftForms))]
    public void Shifts_by_an_immediate_match_Iced_for_every_register_and_count(Code code, Action<CodeBuilder, Reg64, int> emit)
    {
        foreach (var reg in All)
            for (int count = 0; count < 64; count++)
                Same(Instruction.Create(code, Iced(reg), count), b => emit(b, reg, count));
        // The CPU would use only the low 6 bits of a larger count: refused, nothing written.
        var builder = new CodeBuilder();
        Assert.Throws<ArgumentOutOfRangeException>(() => emit(builder, Reg64.Rax, 64));
        Assert.Throws<ArgumentOutOfRangeException>(() => emit(builder, Reg64.Rax, -1));
        Assert.Equal(0, builder.Position);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(8)]
    [InlineData(-8)]
    [InlineData(127)]
    [InlineData(128)]
    [InlineData(-4096)]
    public void Memory_operands_match_Iced_for_every_base_including_rsp_rbp_r12_r13(int disp)
    {
        foreach (var reg in All)
            foreach (var baseReg in All)
            {
                var memory = new MemoryOperand(Iced(baseReg), disp, disp == 0 ? 0 : 1); // displSize 0: no displacement unless the base needs one
                Same(Instruction.Create(Code.Mov_r64_rm64, Iced(reg), memory), b => b.Load(reg, baseReg, disp));
                Same(Instruction.Create(Code.Mov_rm64_r64, memory, Iced(reg)), b => b.Store(baseReg, disp, reg));
                Same(Instruction.Create(Code.Add_r64_rm64, Iced(reg), memory), b => b.AddFromMemory(reg, baseReg, disp));
                Same(Instruction.Create(Code.Sub_r64_rm64, Iced(reg), memory), b => b.SubFromMemory(reg, baseReg, disp));
                Same(Instruction.Create(Code.Imul_r64_rm64, Iced(reg), memory), b => b.ImulFromMemory(reg, baseReg, disp));
            }
    }

    [Fact]
    public void Every_byte_has_a_role_and_each_owner_names_Iceds_mnemonic()
    {
        var b = new CodeBuilder();
        b.MovRegReg(Reg64.Rax, Reg64.R12).AddRegReg(Reg64.R15, Reg64.Rdx).SubImm(Reg64.Rsp, 8).ImulImm(Reg64.Rbx, Reg64.Rcx, 300)
         .Neg(Reg64.R8).Cqo().Idiv(Reg64.R10).Push(Reg64.R13).Pop(Reg64.Rbp).CallReg(Reg64.R11).MovImm64(Reg64.Rax, -2)
         .Load(Reg64.Rdi, Reg64.Rsp, 16).Store(Reg64.R13, 0, Reg64.R9).TestRegReg(Reg64.Rax, Reg64.Rax)
         .AddFromMemory(Reg64.R10, Reg64.R13, 8).SubFromMemory(Reg64.Rbx, Reg64.R12, 0).ImulFromMemory(Reg64.R15, Reg64.R13, 0)
         .ImulWide(Reg64.R10).AndImm(Reg64.Rax, -16).ShlImm(Reg64.Rdx, 3).ShrImm(Reg64.Rax, 63).SarImm(Reg64.R15, 1);
        var bytes = b.ToArray();
        Assert.Equal(bytes.Length, b.Roles.Sum(r => r.Length));
        var decoder = IcedDecoder.Create(64, new ByteArrayCodeReader(bytes));
        var formatter = new GasFormatter();
        // Walk instruction by instruction: the role spans of one instruction share one owner string.
        int offset = 0;
        while (offset < bytes.Length)
        {
            var instruction = decoder.Decode();
            var spans = b.Roles.Where(r => r.Start >= offset && r.Start < offset + instruction.Length).ToList();
            Assert.Single(spans.Select(s => s.Owner).Distinct());
            var text = new StringOutput();
            formatter.Format(instruction, text);
            string icedMnemonic = text.ToString().Split(' ')[0];
            string ourMnemonic = spans[0].Owner.Split(' ')[0];
            Assert.Equal(icedMnemonic, ourMnemonic);
            offset += instruction.Length;
        }
    }

    [Fact]
    public void A_register_number_outside_0_to_15_is_refused_before_any_byte_is_written()
    {
        var b = new CodeBuilder();
        Assert.Throws<ArgumentOutOfRangeException>(() => b.MovRegReg(Reg64.Rax, (Reg64)16));
        Assert.Throws<ArgumentOutOfRangeException>(() => b.Push((Reg64)200));
        Assert.Throws<ArgumentOutOfRangeException>(() => b.Load((Reg64)16, Reg64.Rsp, 8));
        Assert.Equal(0, b.Position);
    }

    private sealed class BytesWriter : CodeWriter
    {
        public List<byte> Bytes { get; } = [];
        public override void WriteByte(byte value) => Bytes.Add(value);
    }
}
