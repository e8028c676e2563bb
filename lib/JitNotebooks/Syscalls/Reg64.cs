namespace JitNotebooks;

/// <summary>
/// The sixteen 64-bit general-purpose registers of x86-64. Each value is the register's 4-bit
/// encoding number: the low three bits go into a ModRM (or opcode) field, the fourth bit into a
/// REX prefix bit (REX.B for the ModRM.rm field, REX.R for ModRM.reg).
/// </summary>
/// <remarks>Named <c>Reg64</c>, not <c>Register</c>, so a notebook can import Iced.Intel beside it.</remarks>
public enum Reg64 : byte
{
    Rax = 0, Rcx = 1, Rdx = 2, Rbx = 3, Rsp = 4, Rbp = 5, Rsi = 6, Rdi = 7,
    R8 = 8, R9 = 9, R10 = 10, R11 = 11, R12 = 12, R13 = 13, R14 = 14, R15 = 15,
}

/// <summary>Small facts about <see cref="Reg64"/> that the encoders need.</summary>
public static class Reg64Facts
{
    /// <summary>All sixteen registers in encoding order.</summary>
    public static IReadOnlyList<Reg64> All { get; } = Enum.GetValues<Reg64>();

    /// <summary>The 4-bit encoding number (0–15).</summary>
    public static int Number(this Reg64 reg) => Check(reg);

    /// <summary>The low three bits, the part that fits in a ModRM field.</summary>
    public static int Low3(this Reg64 reg) => Check(reg) & 7;

    /// <summary>The fourth bit, which must travel in a REX prefix (R8–R15 have it set).</summary>
    public static bool NeedsRexBit(this Reg64 reg) => (Check(reg) & 8) != 0;

    /// <summary>The AT&amp;T name, as objdump prints it: <c>%rax</c>.</summary>
    public static string AttName(this Reg64 reg) => "%" + IntelName(reg);

    /// <summary>The Intel name: <c>rax</c>.</summary>
    public static string IntelName(this Reg64 reg) => Check(reg) switch
    {
        < 8 => reg.ToString().ToLowerInvariant(),
        _ => "r" + (int)reg,
    };

    private static int Check(Reg64 reg) => (int)reg is >= 0 and <= 15
        ? (int)reg
        : throw new ArgumentOutOfRangeException(nameof(reg), (int)reg,
            $"{(int)reg} is not a 64-bit general register number; use one of Reg64.Rax … Reg64.R15 (0–15).");
}
