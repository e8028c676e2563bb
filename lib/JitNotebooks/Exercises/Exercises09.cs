using JitNotebooks.Compiler;

namespace JitNotebooks.Exercises;

/// <summary>Notebook 09's exercises: the magic-number division's sign correction, and what the double mapping saves.</summary>
public static class Exercises09
{
    private static readonly MagicDivisor BySeven = MagicDivisor.For(7);

    /// <summary>The multiply-high and shift of <c>/ 7</c> without the final correction: ⌊x / 7⌋, rounded toward −∞.</summary>
    internal static long WithoutCorrection(long x)
    {
        long high = Math.BigMul(x, BySeven.Multiplier, out _);
        if (BySeven.DividendCorrection > 0) high = unchecked(high + x);
        else if (BySeven.DividendCorrection < 0) high = unchecked(high - x);
        return high >> BySeven.Shift;
    }

    /// <summary>09.1's dividend.</summary>
    public const long Dividend = -7;

    private static readonly long Floor = WithoutCorrection(Dividend);

    /// <summary>09.1: what does the /7 sequence give for −7 before its last step adds 1 to negative results?</summary>
    public static Exercise<long?> QuotientBeforeCorrection { get; } = new(new ExerciseSpec<long?>
    {
        Id = "09.1",
        Name = "Exercises09.QuotientBeforeCorrection",
        Title = "The quotient before the sign correction",
        Prompt = "The `/ 7` sequence ends by adding 1 when the result is negative. What does it hold for x = −7 just *before* that " +
                 "step (after the multiply-high and the shift)?",
        Starter = "long? beforeCorrection = null; // your answer",
        Arguments = "beforeCorrection",
        UntouchedValue = null,
        IsUntouched = a => a is null,
        WhatToDo = "replace null with a whole number, then run the cell again.",
        Mistakes =
        [
            new("after-correction", "gave C#'s answer, after the correction", Dividend / 7, a => a == Dividend / 7,
                "that is the final quotient, after the +1. What was there one step earlier?"),
            new("positive", "dropped the sign", -Floor, a => a == -Floor,
                "the multiply-high of a negative number is negative: the shift keeps the sign (sar, not shr)."),
            new("the-dividend", "gave the dividend", Dividend, a => a == Dividend,
                "that is x itself; the sequence has divided it by 7 already at this point."),
        ],
        Judge = a => a == Floor
            ? Judgement.Right($"{Floor}: the multiplier is a little more than the exact fraction, and the arithmetic shift rounds toward minus infinity, so a negative x lands one below; the last step adds 1 to get C#'s truncated {Dividend / 7}.")
            : Judgement.Wrong($"{a} is not it. Which way does an arithmetic right shift round a negative number?"),
        Hints =
        [
            "The multiplier is a fixed-point fraction a little larger than one seventh, so x times it is a little beyond x / 7.",
            "An arithmetic right shift (sar) rounds a negative number toward minus infinity, never toward zero.",
        ],
        Explanation = $"The multiplier is slightly larger than 2^(64+s)/7, so for −7 the product is slightly *more negative* than −1 · 2^(64+s), " +
                      $"and the arithmetic shift rounds it down to **{Floor}**. Adding 1 for a negative result gives C#'s {Dividend / 7}. " +
                      "Check it with `Exercises09.QuotientBeforeCorrection` or by stepping through the trace above.",
        Solution = Floor,
        Declare = a => $"long? beforeCorrection = {Literal.Number(a)};",
        WrongExample = 3,
    });
}
