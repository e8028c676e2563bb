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
    /// A REX.W prefix typed as the decimal number 48 (which is 0x30) instead of 0x48: the sign that
    /// every byte was written in decimal.
    /// </summary>
    public static bool StartsWithDecimal48(byte[]? answer) => answer is { Length: > 0 } && answer[0] == 48;

    public const string DecimalBytesNudge =
        "Your first byte is 48 in decimal, which is 0x30. The listings show bytes in hexadecimal: write each one as a hex literal (0x.. in C#).";

    /// <summary>The mistake "bytes typed in decimal"; <paramref name="example"/> is the right answer typed so (48, 199, 192, …).</summary>
    public static Mistake<byte[]?> DecimalBytes(byte[] example) => new(
        "bytes-in-decimal", "hex bytes typed as decimal numbers (48 instead of 0x48)", example, StartsWithDecimal48, DecimalBytesNudge);

    public static string Plural(int n, string noun) => $"{n} {noun}{(n == 1 ? "" : "s")}";
}
