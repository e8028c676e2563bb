using JitNotebooks.Isolation;

namespace JitNotebooks.Emulation;

/// <summary>The bytes at rip are not any x86-64 instruction (the CPU raises #UD).</summary>
public sealed class InvalidInstructionException(byte[] bytes) : EmulationException
{
    /// <summary>Up to 15 bytes from rip (the longest an instruction can be).</summary>
    public byte[] Bytes { get; } = bytes;

    public override string Problem =>
        $"The bytes {string.Join(" ", Bytes.Take(4).Select(b => b.ToString("x2")))}{(Bytes.Length > 4 ? " …" : "")} do not decode to any x86-64 instruction.";

    public override string OnRealHardware => "the CPU raises #UD and Linux kills the process with SIGILL.";

    public override string Fix =>
        "disassemble the bytes (Listing.Disassemble) and look for (bad): a typo in an opcode, a jump that lands " +
        "inside another instruction, or code running on into data.";

    public override LinuxSignal? Signal => LinuxSignal.SIGILL;
}
