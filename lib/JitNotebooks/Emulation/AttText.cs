using Iced.Intel;

namespace JitNotebooks.Emulation;

/// <summary>
/// An instruction as the course's listings print it (AT&amp;T, objdump's spacing, the target of a
/// RIP-relative operand in a <c># 0x…</c> comment), decoded at a chosen address so that branch
/// targets read as offsets into the program.
/// </summary>
internal static class AttText
{
    [ThreadStatic] private static Formatter? t_formatter;

    /// <summary>Decodes the instruction at the start of <paramref name="bytes"/> as if it sat at <paramref name="ip"/>.</summary>
    public static string Format(byte[] bytes, ulong ip)
    {
        var decoder = Iced.Intel.Decoder.Create(64, new ByteArrayCodeReader(bytes), ip);
        decoder.Decode(out var instruction);
        if (instruction.IsInvalid) return "(bad)";
        return Format(instruction);
    }

    /// <summary>Formats an instruction decoded elsewhere (its IP decides how branch targets read).</summary>
    public static string Format(in Instruction instruction)
    {
        var formatter = t_formatter ??= Listing.CreateFormatter(ListingSyntax.Att);
        var output = new StringOutput();
        formatter.Format(instruction, output);
        string text = output.ToStringAndReset();
        return instruction.IsIPRelativeMemoryOperand ? $"{text}        # 0x{instruction.IPRelativeMemoryAddress:x}" : text;
    }
}
