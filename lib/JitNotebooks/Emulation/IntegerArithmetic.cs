using Iced.Intel;

namespace JitNotebooks.Emulation;

/// <summary>add, sub, cmp, and, or, xor, test (one shape: a op b), neg, imul and idiv.</summary>
internal static class IntegerArithmetic
{
    /// <summary>
    /// The two-operand ALU instructions as one shape: read both operands at the destination's size,
    /// compute, write back unless it only sets flags (cmp, test), then set the flags.
    /// </summary>
    public static Semantics Binary(Func<ulong, ulong, ulong> operation, FlagRule rule, bool writesResult) =>
        (Machine m, in Instruction i) =>
        {
            int size = m.OperandSize(i, 0);
            ulong mask = Bits.Mask(size);
            ulong a = m.Read(i, 0) & mask, b = m.Read(i, 1) & mask;
            ulong r = operation(a, b) & mask;
            if (writesResult) m.Write(i, 0, r);
            m.Cpu.SetStatusFlags(FlagLogic.Compute(rule, a, b, r, size), FlagLogic.Undefined(rule));
        };

    /// <summary><c>neg</c>: 0 - x, with the flags of that subtraction (so CF = x ≠ 0, OF = x is the most negative value).</summary>
    public static void Neg(Machine m, in Instruction i)
    {
        int size = m.OperandSize(i, 0);
        ulong a = m.Read(i, 0) & Bits.Mask(size), r = (0 - a) & Bits.Mask(size);
        m.Write(i, 0, r);
        m.Cpu.SetStatusFlags(FlagLogic.Compute(FlagRule.Subtract, 0, a, r, size), CpuFlags.None);
    }

    private const CpuFlags UndefinedAfterImul = CpuFlags.Sign | CpuFlags.Zero | CpuFlags.Adjust | CpuFlags.Parity;

    /// <summary>
    /// <c>imul</c> in its three shapes: <c>imul %src,%dst</c>, <c>imul $imm,%src,%dst</c> (low half of
    /// the product, CF = OF = "the product did not fit"), and one operand: rdx:rax = rax × src.
    /// </summary>
    public static void Imul(Machine m, in Instruction i)
    {
        int size = m.OperandSize(i, 0);
        if (i.OpCount == 1)
        {
            WideMultiply(m, i, size);
            return;
        }
        long a = Bits.SignExtend(m.Read(i, i.OpCount - 2), size), b = Bits.SignExtend(m.Read(i, i.OpCount - 1), size);
        var (low, _, overflow) = Multiply(a, b, size);
        m.Write(i, 0, low);
        SetMultiplyFlags(m, low, size, overflow);
    }

    private static void WideMultiply(Machine m, in Instruction i, int size)
    {
        var (accumulator, high) = WideRegisters[size];
        long a = Bits.SignExtend(m.ReadRegister(accumulator), size), b = Bits.SignExtend(m.Read(i, 0), size);
        var (low, upper, overflow) = Multiply(a, b, size);
        if (size == 1) m.WriteRegister(Register.AX, ((upper & 0xFF) << 8) | low); // al × r/m8 fills all of ax
        else
        {
            m.WriteRegister(accumulator, low);
            m.WriteRegister(high, upper);
        }
        SetMultiplyFlags(m, low, size, overflow);
    }

    /// <summary>The product's low and high halves, and whether the low half alone misses its value.</summary>
    private static (ulong Low, ulong High, bool Overflow) Multiply(long a, long b, int size)
    {
        if (size == 8)
        {
            long high64 = Math.BigMul(a, b, out long low64);
            return ((ulong)low64, (ulong)high64, high64 != low64 >> 63);
        }
        long product = a * b; // at most 62 bits for 4-byte operands: no overflow in a long
        ulong low = (ulong)product & Bits.Mask(size);
        return (low, ((ulong)product >> (size * 8)) & Bits.Mask(size), product != Bits.SignExtend(low, size));
    }

    private static void SetMultiplyFlags(Machine m, ulong low, int size, bool overflow) =>
        m.Cpu.SetStatusFlags(FlagLogic.OfResult(low, size) | (overflow ? CpuFlags.Carry | CpuFlags.Overflow : 0), UndefinedAfterImul);

    /// <summary>The implicit registers of one-operand imul and idiv, by operand size: (low half / quotient, high half / remainder).</summary>
    private static readonly Dictionary<int, (Register Low, Register High)> WideRegisters = new()
    {
        [1] = (Register.AL, Register.AH),
        [2] = (Register.AX, Register.DX),
        [4] = (Register.EAX, Register.EDX),
        [8] = (Register.RAX, Register.RDX),
    };

    /// <summary>
    /// <c>idiv</c>: divides the double-width dividend (rdx:rax, edx:eax, dx:ax, or ax for bytes)
    /// by the operand, truncating toward zero; quotient to the low register, remainder to the
    /// high one. Faults (#DE) on a zero divisor or a quotient that does not fit. Flags: all undefined.
    /// </summary>
    public static void Idiv(Machine m, in Instruction i)
    {
        int size = m.OperandSize(i, 0);
        var (low, high) = WideRegisters[size];
        long divisor = Bits.SignExtend(m.Read(i, 0), size);
        // high:low as one number of 2 × size bytes, sign-extended to 128 bits.
        UInt128 raw = ((UInt128)m.ReadRegister(high) << (8 * size)) | m.ReadRegister(low);
        int unused = 128 - 16 * size;
        Int128 dividend = size == 1 ? (short)m.ReadRegister(Register.AX) : (Int128)(raw << unused) >> unused;
        string text = size == 1 ? $"ax = {dividend}" : $"{Att(high)}:{Att(low)} = {dividend}";
        if (divisor == 0) throw new DivideErrorException(DivideErrorKind.DivideByZero, text, divisor);
        // Int128 / -1 itself overflows .NET for Int128.MinValue, so the edge is handled before dividing.
        Int128 quotient = divisor == -1 ? (dividend == Int128.MinValue ? Int128.MaxValue : -dividend) : dividend / divisor;
        Int128 remainder = divisor == -1 ? 0 : dividend % divisor;
        Int128 max = (Int128.One << (8 * size - 1)) - 1;
        if (quotient > max || quotient < -max - 1) throw new DivideErrorException(DivideErrorKind.QuotientOverflow, text, divisor);
        m.WriteRegister(low, (ulong)(long)quotient);
        m.WriteRegister(high, (ulong)(long)remainder);
        m.Cpu.SetStatusFlags(m.Cpu.Flags, CpuFlagsFacts.Status); // values kept, all six undefined
    }

    private static string Att(Register r) => "%" + r.ToString().ToLowerInvariant();
}
