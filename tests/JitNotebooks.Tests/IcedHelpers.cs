using Iced.Intel;

namespace JitNotebooks.Tests;

/// <summary>Iced as the independent referee: encode and decode without trusting the library.</summary>
internal static class IcedHelpers
{
    public static byte[] Encode(Instruction instruction, ulong ip = 0)
    {
        var writer = new ListWriter();
        Iced.Intel.Encoder.Create(64, writer).Encode(instruction, ip);
        return [.. writer.Bytes];
    }

    public static List<Instruction> DecodeAll(byte[] bytes, int? length = null)
    {
        var reader = new ByteArrayCodeReader(bytes, 0, length ?? bytes.Length);
        var decoder = Iced.Intel.Decoder.Create(64, reader, 0);
        var list = new List<Instruction>();
        while (reader.CanReadByte)
        {
            decoder.Decode(out var instr);
            list.Add(instr);
        }
        return list;
    }

    public static Instruction DecodeOne(byte[] bytes, int offset = 0)
    {
        var decoder = Iced.Intel.Decoder.Create(64, new ByteArrayCodeReader(bytes, offset, bytes.Length - offset), (ulong)offset);
        decoder.Decode(out var instr);
        return instr;
    }

    private sealed class ListWriter : CodeWriter
    {
        public readonly List<byte> Bytes = [];
        public override void WriteByte(byte value) => Bytes.Add(value);
    }
}
