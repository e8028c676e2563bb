using Iced.Intel;

namespace JitNotebooks.Exercises;

/// <summary>Notebook 02's exercises: encoding <c>mov $imm32,%r64</c> by hand.</summary>
public static class Exercises02
{
    /// <summary>The seven bytes of <c>mov $60,%rax</c> (the exit syscall's number).</summary>
    public static CheckResult MovRax60(byte[]? answer) => Check.Safely(() =>
        Check.Bytes(answer, IcedMovImm32(Iced.Intel.Register.RAX, 60), "mov $60,%rax",
            "start from mov $0x1,%rax (48 c7 c0 01 00 00 00): only the immediate changes; write 60 in hex, low byte first."));

    /// <summary>The seven bytes of <c>mov $-1,%r9</c>: an extended register and a negative immediate.</summary>
    public static CheckResult MovR9MinusOne(byte[]? answer) => Check.Safely(() =>
        Check.Bytes(answer, IcedMovImm32(Iced.Intel.Register.R9, -1), "mov $-1,%r9",
            "r9 is register 9 = 1001: the low three bits (001) go into ModRM.rm and the top bit sets REX.B; " +
            "-1 as a 32-bit two's-complement value is ff ff ff ff."));

    /// <summary>How many bytes the 5-byte form saves on one <c>mov $1,%eax</c> compared with the 7-byte form.</summary>
    public static CheckResult BytesSavedPerMov(int answer) => Check.Safely(() =>
    {
        int seven = IcedMovImm32(Iced.Intel.Register.RAX, 1).Length;
        int five = Encode(Instruction.Create(Code.Mov_r32_imm32, Iced.Intel.Register.EAX, 1)).Length;
        int expected = seven - five;
        return answer == expected
            ? CheckResult.Correct($"{seven} - {five} = {expected} bytes per mov: no REX prefix and no ModRM byte.")
            : CheckResult.NotYet("count the bytes of each form: REX.W C7 ModRM imm32 against B8+r imm32.");
    });

    // The article's form, built with Iced (not with MovImm32) so the check does not trust the library.
    private static byte[] IcedMovImm32(Iced.Intel.Register reg, int value) =>
        Encode(Instruction.Create(Code.Mov_rm64_imm32, reg, value));

    private static byte[] Encode(Instruction instruction)
    {
        var writer = new BytesWriter();
        Iced.Intel.Encoder.Create(64, writer).Encode(instruction, 0);
        return [.. writer.Bytes];
    }

    private sealed class BytesWriter : CodeWriter
    {
        public readonly List<byte> Bytes = [];
        public override void WriteByte(byte value) => Bytes.Add(value);
    }
}
