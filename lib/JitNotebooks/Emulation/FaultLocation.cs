namespace JitNotebooks.Emulation;

/// <summary>Where the emulated CPU was when a run stopped with an error.</summary>
/// <param name="Address">The instruction's address (rip).</param>
/// <param name="Offset">The address minus the start of the program that was run.</param>
/// <param name="InstructionBytes">The instruction's bytes (empty when none could be read).</param>
/// <param name="InstructionText">The instruction in AT&amp;T syntax, as the course's listings print it, or a note when there is none.</param>
/// <param name="Registers">The registers before the instruction ran (nothing of a faulting instruction is committed).</param>
public sealed record FaultLocation(ulong Address, long Offset, byte[] InstructionBytes, string InstructionText, RegisterSnapshot Registers)
{
    /// <summary>"offset 0x15: lea 0x4(%rip),%rsi (48 8d 35 04 00 00 00)".</summary>
    public string Describe() => InstructionBytes.Length == 0
        ? $"offset {Hex.Signed(Offset)} (address 0x{Address:x}): {InstructionText}"
        : $"offset {Hex.Signed(Offset)}: {InstructionText} ({string.Join(" ", InstructionBytes.Select(b => b.ToString("x2")))})";
}

/// <summary>Hex formatting shared by messages and traces.</summary>
internal static class Hex
{
    /// <summary>0x1f, or -0x8 for negative values.</summary>
    public static string Signed(long value) => value < 0 ? $"-0x{unchecked((ulong)-value):x}" : $"0x{value:x}";
}
