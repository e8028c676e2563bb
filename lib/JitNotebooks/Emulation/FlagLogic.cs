using System.Numerics;
using Iced.Intel;

namespace JitNotebooks.Emulation;

/// <summary>Which flag rule an instruction follows (Intel SDM, "Flags Affected").</summary>
internal enum FlagRule
{
    /// <summary>add: all six status flags from the sum.</summary>
    Add,
    /// <summary>sub, cmp, neg: all six from the difference (CF is the borrow).</summary>
    Subtract,
    /// <summary>and, or, xor, test: CF = OF = 0; SF, ZF, PF from the result; AF undefined.</summary>
    Logic,
}

/// <summary>
/// The status flags, computed exactly as the CPU does for results of 1, 2, 4 or 8 bytes, and
/// the sixteen jcc conditions over them.
/// </summary>
internal static class FlagLogic
{
    /// <summary>The flags one rule leaves undefined.</summary>
    public static CpuFlags Undefined(FlagRule rule) => rule == FlagRule.Logic ? CpuFlags.Adjust : CpuFlags.None;

    /// <summary>The flags of <c>r = a op b</c> (all three already cut to <paramref name="size"/> bytes).</summary>
    public static CpuFlags Compute(FlagRule rule, ulong a, ulong b, ulong r, int size)
    {
        ulong sign = Bits.SignBit(size);
        var flags = OfResult(r, size);
        switch (rule)
        {
            case FlagRule.Add:
                if (r < a) flags |= CpuFlags.Carry;                             // the sum wrapped: a carry out of the top bit
                if (((a ^ r) & (b ^ r) & sign) != 0) flags |= CpuFlags.Overflow; // both operands' sign differs from the result's
                if (((a ^ b ^ r) & 0x10) != 0) flags |= CpuFlags.Adjust;         // carry out of bit 3
                break;
            case FlagRule.Subtract:
                if (a < b) flags |= CpuFlags.Carry;                             // a borrow
                if (((a ^ b) & (a ^ r) & sign) != 0) flags |= CpuFlags.Overflow; // signs differ and the result took b's sign
                if (((a ^ b ^ r) & 0x10) != 0) flags |= CpuFlags.Adjust;
                break;
        }
        return flags;
    }

    /// <summary>ZF, SF and PF, which every rule takes from the result.</summary>
    public static CpuFlags OfResult(ulong r, int size)
    {
        var flags = CpuFlags.None;
        if (r == 0) flags |= CpuFlags.Zero;
        if ((r & Bits.SignBit(size)) != 0) flags |= CpuFlags.Sign;
        if ((BitOperations.PopCount(r & 0xFF) & 1) == 0) flags |= CpuFlags.Parity; // PF looks at the low byte only
        return flags;
    }

    private static bool Has(CpuFlags flags, CpuFlags f) => (flags & f) != 0;

    /// <summary>The jcc conditions, indexed by Iced's <see cref="ConditionCode"/>.</summary>
    private static readonly Func<CpuFlags, bool>[] Conditions = BuildConditions();

    private static Func<CpuFlags, bool>[] BuildConditions()
    {
        var c = new Func<CpuFlags, bool>[(int)ConditionCode.g + 1];
        c[(int)ConditionCode.None] = _ => true;
        c[(int)ConditionCode.o] = f => Has(f, CpuFlags.Overflow);
        c[(int)ConditionCode.no] = f => !Has(f, CpuFlags.Overflow);
        c[(int)ConditionCode.b] = f => Has(f, CpuFlags.Carry);                                   // unsigned <
        c[(int)ConditionCode.ae] = f => !Has(f, CpuFlags.Carry);
        c[(int)ConditionCode.e] = f => Has(f, CpuFlags.Zero);
        c[(int)ConditionCode.ne] = f => !Has(f, CpuFlags.Zero);
        c[(int)ConditionCode.be] = f => Has(f, CpuFlags.Carry) || Has(f, CpuFlags.Zero);         // unsigned <=
        c[(int)ConditionCode.a] = f => !Has(f, CpuFlags.Carry) && !Has(f, CpuFlags.Zero);
        c[(int)ConditionCode.s] = f => Has(f, CpuFlags.Sign);
        c[(int)ConditionCode.ns] = f => !Has(f, CpuFlags.Sign);
        c[(int)ConditionCode.p] = f => Has(f, CpuFlags.Parity);
        c[(int)ConditionCode.np] = f => !Has(f, CpuFlags.Parity);
        c[(int)ConditionCode.l] = f => Has(f, CpuFlags.Sign) != Has(f, CpuFlags.Overflow);        // signed <
        c[(int)ConditionCode.ge] = f => Has(f, CpuFlags.Sign) == Has(f, CpuFlags.Overflow);
        c[(int)ConditionCode.le] = f => Has(f, CpuFlags.Zero) || Has(f, CpuFlags.Sign) != Has(f, CpuFlags.Overflow);
        c[(int)ConditionCode.g] = f => !Has(f, CpuFlags.Zero) && Has(f, CpuFlags.Sign) == Has(f, CpuFlags.Overflow);
        return c;
    }

    /// <summary>True when the condition holds for <paramref name="flags"/>.</summary>
    public static bool Holds(ConditionCode condition, CpuFlags flags) => Conditions[(int)condition](flags);
}
