using Iced.Intel;

namespace JitNotebooks.Verification;

/// <summary>
/// Iced, the independent referee, in one call per job: encode instructions, assemble, decode.
/// It replaces the little <c>CodeWriter</c> subclasses every notebook used to declare for itself.
/// </summary>
public static class IcedBytes
{
    /// <summary>
    /// Iced's encoding of <paramref name="instructions"/>, one after the other from offset 0, e.g.
    /// <c>IcedBytes.Encode(Instruction.Create(Code.Mov_rm64_imm32, Register.RAX, 1))</c>.
    /// RIP-relative operands and branches are encoded for that position.
    /// </summary>
    public static byte[] Encode(params Instruction[] instructions)
    {
        ArgumentNullException.ThrowIfNull(instructions);
        var writer = new ByteListWriter();
        var encoder = Iced.Intel.Encoder.Create(64, writer);
        ulong ip = 0;
        foreach (var instruction in instructions)
            ip += (ulong)encoder.Encode(instruction, ip);
        return [.. writer.Bytes];
    }

    /// <summary>The bytes Iced's <see cref="Assembler"/> produces at offset 0.</summary>
    public static byte[] Assemble(Assembler assembler)
    {
        ArgumentNullException.ThrowIfNull(assembler);
        var writer = new ByteListWriter();
        assembler.Assemble(writer, 0);
        return [.. writer.Bytes];
    }

    /// <summary>
    /// Iced's decoding of every byte of <paramref name="code"/> as 64-bit instructions, offsets
    /// counted from 0. Undecodable bytes come back as instructions with <c>IsInvalid</c> set.
    /// </summary>
    public static IReadOnlyList<Instruction> Decode(byte[] code)
    {
        ArgumentNullException.ThrowIfNull(code);
        var decoder = Iced.Intel.Decoder.Create(64, new ByteArrayCodeReader(code));
        var all = new List<Instruction>();
        while (decoder.IP < (ulong)code.Length)
            all.Add(decoder.Decode());
        return all;
    }

    /// <summary>The first instruction Iced decodes at <paramref name="offset"/> (its IP is that offset).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The offset is outside the bytes.</exception>
    public static Instruction DecodeAt(byte[] code, int offset)
    {
        ArgumentNullException.ThrowIfNull(code);
        if (offset < 0 || offset >= code.Length)
            throw new ArgumentOutOfRangeException(nameof(offset), offset,
                $"Offset 0x{offset:x} is outside the {code.Length} bytes given (0 to 0x{code.Length - 1:x}).");
        var decoder = Iced.Intel.Decoder.Create(64, new ByteArrayCodeReader(code, offset, code.Length - offset), (ulong)offset);
        return decoder.Decode();
    }

    /// <summary>The Iced register for one of ours: <c>Reg64.R9.ToIced()</c> is <c>Register.R9</c>.</summary>
    public static Register ToIced(this Reg64 reg) => Register.RAX + reg.Number();

    /// <summary>Ours for an Iced 64-bit general register, or null for any other register.</summary>
    public static Reg64? ToReg64(this Register register) =>
        register is >= Register.RAX and <= Register.R15 ? (Reg64)(register - Register.RAX) : null;

    private sealed class ByteListWriter : CodeWriter
    {
        public readonly List<byte> Bytes = [];
        public override void WriteByte(byte value) => Bytes.Add(value);
    }
}
