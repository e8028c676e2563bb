namespace JitNotebooks;

/// <summary>The sixteen x86 condition codes; the value is the low nibble of <c>0F 8x</c> (jcc rel32).</summary>
public enum JumpCondition : byte
{
    Overflow = 0x0, NoOverflow = 0x1, Below = 0x2, AboveOrEqual = 0x3,
    Equal = 0x4, NotEqual = 0x5, BelowOrEqual = 0x6, Above = 0x7,
    Sign = 0x8, NotSign = 0x9, Parity = 0xA, NotParity = 0xB,
    Less = 0xC, GreaterOrEqual = 0xD, LessOrEqual = 0xE, Greater = 0xF,
}
