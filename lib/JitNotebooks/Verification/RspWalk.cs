using Iced.Intel;

namespace JitNotebooks.Verification;

/// <summary>
/// One instruction of a function and what it does to <c>rsp</c>, counted in bytes from the value
/// rsp had on entry (0 on entry; a <c>push</c> makes it 8 lower).
/// </summary>
/// <param name="Offset">Where the instruction starts.</param>
/// <param name="Instruction">The instruction in AT&amp;T syntax, as the listings print it (spaces collapsed).</param>
/// <param name="Before">rsp before it runs, relative to entry.</param>
/// <param name="After">rsp once it has finished, relative to entry. A <c>call</c> counts as finished when
/// the callee has returned, so its return address is already popped again.</param>
/// <param name="Kind">Whether it is a call, a return or anything else.</param>
public sealed record RspStep(int Offset, string Instruction, int Before, int After, RspStepKind Kind)
{
    /// <summary>
    /// rsp modulo 16 before the instruction, given the System V entry state: the caller's
    /// <c>call</c> left rsp 8 bytes below a multiple of 16.
    /// </summary>
    public int AlignmentBefore => Mod16(RspWalk.EntryAlignment + Before);

    internal static int Mod16(int value) => ((value % 16) + 16) % 16;
}

/// <summary>What kind of step an <see cref="RspStep"/> is.</summary>
public enum RspStepKind
{
    /// <summary>Anything but a call or a return.</summary>
    Other,
    /// <summary>A <c>call</c>: rsp must be a multiple of 16 right before it.</summary>
    Call,
    /// <summary>A <c>ret</c>: rsp must be back where it was on entry.</summary>
    Return,
}

/// <summary>
/// Follows rsp through straight-line code, using Iced's knowledge of each instruction's stack effect
/// (<see cref="Instruction.StackPointerIncrement"/>): what notebook 07 checks for its callback, and
/// what its stack diagram draws. Instructions are taken in byte order, so for code with branches the
/// walk describes the fall-through path only.
/// </summary>
public static class RspWalk
{
    /// <summary>rsp modulo 16 on entry to any System V function: the call pushed an 8-byte return address.</summary>
    public const int EntryAlignment = 8;

    /// <summary>The steps of <paramref name="code"/>, one per instruction.</summary>
    /// <exception cref="ArgumentException">Iced cannot decode some of the bytes.</exception>
    public static IReadOnlyList<RspStep> Of(byte[] code)
    {
        ArgumentNullException.ThrowIfNull(code);
        var texts = IcedText.ByOffset(code);
        var steps = new List<RspStep>();
        int rsp = 0;
        foreach (var instruction in IcedBytes.Decode(code))
        {
            if (instruction.IsInvalid)
                throw new ArgumentException(
                    $"Iced cannot decode the byte at 0x{instruction.IP:x}, so its effect on rsp is unknown. " +
                    "Pass the bytes of whole, valid instructions.", nameof(code));
            var kind = instruction.Mnemonic switch
            {
                Mnemonic.Call => RspStepKind.Call,
                Mnemonic.Ret => RspStepKind.Return,
                _ => RspStepKind.Other,
            };
            // A call pushes its return address and the callee's ret pops it again: no net change here.
            int after = kind == RspStepKind.Call ? rsp : rsp + instruction.StackPointerIncrement;
            steps.Add(new RspStep((int)instruction.IP, texts[(int)instruction.IP], rsp, after, kind));
            rsp = after;
        }
        return steps;
    }
}
