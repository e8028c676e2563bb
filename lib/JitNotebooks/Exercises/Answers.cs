using JitNotebooks.Verification;

namespace JitNotebooks.Exercises;

/// <summary>Small facts about answers that several exercises share.</summary>
internal static class Answers
{
    public static bool IsEmpty<T>(T[]? answer) => answer is null || answer.Length == 0;

    /// <summary>How Iced reads the bytes, one instruction after another: <c>mov $0x3c,%rax; ret</c>.</summary>
    public static string IcedReads(byte[] bytes) =>
        string.Join("; ", Listing.Disassemble(bytes).Lines.Select(l => IcedText.Tidy(l.Text)));

    /// <summary>
    /// A REX prefix (0x40–0x4f) typed as a decimal number, 40 to 49 (0x28–0x31): the sign that the bytes
    /// were copied from a listing without their <c>0x</c>. (Digits-only bytes compile either way.)
    /// </summary>
    public static bool StartsWithDecimalRex(byte[]? answer) => answer is { Length: > 0 } && answer[0] is >= 40 and <= 49;

    /// <summary>The mistake "bytes typed in decimal"; <paramref name="example"/> is the answer typed so (48, 0xc7, …).</summary>
    public static Mistake<byte[]?> DecimalBytes(byte[] example) => new(
        "bytes-in-decimal", "hex bytes typed without 0x, so read as decimal (48 instead of 0x48)", example, StartsWithDecimalRex,
        a => $"your first byte is {a![0]} in decimal, which is 0x{a[0]:x2}. The listings show bytes in hexadecimal: write each one as a hex literal, 0x{a[0]} rather than {a[0]}.");

    public static string Plural(int n, string noun) => $"{n} {noun}{(n == 1 ? "" : "s")}";
}
