namespace JitNotebooks;

/// <summary>The assembler names of <see cref="JumpCondition"/>s.</summary>
public static class JumpConditionNames
{
    // Indexed by the condition code: the suffix objdump prints after "j" (Intel SDM, Jcc).
    private static readonly string[] Suffixes = ["o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge", "le", "g"];

    /// <summary>The mnemonic objdump prints for a conditional jump: <c>je</c>, <c>jne</c>, <c>jl</c>, ….</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a condition code (0–15).</exception>
    public static string Mnemonic(this JumpCondition condition) => (byte)condition <= 0xF
        ? "j" + Suffixes[(byte)condition]
        : throw new ArgumentOutOfRangeException(nameof(condition), condition,
            $"{(byte)condition} is not a condition code; use one of JumpCondition.Overflow … JumpCondition.Greater (0–15).");
}
