using Iced.Intel;

namespace JitNotebooks.Emulation;

/// <summary>
/// <c>shl</c>, <c>shr</c> and <c>sar</c> (by an immediate, by 1, or by <c>%cl</c>): the shifts the
/// compiler uses for division by constants. The count is masked to 6 bits (5 below 64-bit
/// operands); a count of 0 changes nothing, flags included.
/// </summary>
internal static class Shifts
{
    public static void Shl(Machine m, in Instruction i) => Shift(m, i, ShiftKind.Left);

    public static void Shr(Machine m, in Instruction i) => Shift(m, i, ShiftKind.LogicalRight);

    public static void Sar(Machine m, in Instruction i) => Shift(m, i, ShiftKind.ArithmeticRight);

    private enum ShiftKind { Left, LogicalRight, ArithmeticRight }

    private static void Shift(Machine m, in Instruction i, ShiftKind kind)
    {
        int size = m.OperandSize(i, 0);
        int bits = size * 8;
        // shl %rax (the by-1 form) has one operand; the others name the count as the second.
        int count = (int)((i.OpCount == 1 ? 1UL : m.Read(i, 1)) & (size == 8 ? 0x3FUL : 0x1FUL));
        ulong mask = Bits.Mask(size);
        ulong a = m.Read(i, 0) & mask;
        if (count == 0)
        {
            m.Write(i, 0, a); // flags untouched, but a 32-bit destination still clears its upper half
            return;
        }
        ulong r;
        bool carry;
        switch (kind)
        {
            case ShiftKind.Left:
                r = count >= 64 ? 0 : (a << count) & mask;
                carry = count <= bits && ((a >> (bits - count)) & 1) != 0;
                break;
            case ShiftKind.LogicalRight:
                r = count >= 64 ? 0 : a >> count;
                carry = count <= bits && ((a >> (count - 1)) & 1) != 0;
                break;
            default:
                long signed = Bits.SignExtend(a, size);
                r = (ulong)(signed >> Math.Min(count, 63)) & mask;
                carry = ((ulong)(signed >> Math.Min(count - 1, 63)) & 1) != 0;
                break;
        }
        m.Write(i, 0, r);
        var flags = FlagLogic.OfResult(r, size) | (carry ? CpuFlags.Carry : CpuFlags.None);
        // OF is defined only for a shift by 1: shl sets it when the sign changed, shr to the old sign, sar clears it.
        bool overflow = kind switch
        {
            ShiftKind.Left => ((r & Bits.SignBit(size)) != 0) != carry,
            ShiftKind.LogicalRight => (a & Bits.SignBit(size)) != 0,
            _ => false,
        };
        if (count == 1 && overflow) flags |= CpuFlags.Overflow;
        m.Cpu.SetStatusFlags(flags, CpuFlags.Adjust | (count == 1 ? CpuFlags.None : CpuFlags.Overflow));
    }
}
