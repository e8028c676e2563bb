using System.Globalization;

namespace JitNotebooks.Exercises;

/// <summary>
/// Answers written as C# source, for the code in the worked solutions: the solution's code is made
/// from the very value the tests check, so the text cannot drift from the answer.
/// </summary>
internal static class Literal
{
    /// <summary><c>{ 0x48, 0xc7, 0xc0 }</c></summary>
    public static string Bytes(IEnumerable<byte>? bytes) =>
        bytes is null ? "null" : "{ " + string.Join(", ", bytes.Select(b => $"0x{b:x2}")) + " }";

    /// <summary><c>{ 0x48c7, 0xc001 }</c></summary>
    public static string Words(IEnumerable<ushort>? words) =>
        words is null ? "null" : "{ " + string.Join(", ", words.Select(w => $"0x{w:x4}")) + " }";

    /// <summary><c>60</c>, <c>-7</c>, or <c>null</c>.</summary>
    public static string Number(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "null";

    /// <summary><c>Reg64.Rdx</c> or <c>null</c>.</summary>
    public static string Register(Reg64? reg) => reg is { } r ? $"Reg64.{r}" : "null";

    /// <summary>A regular C# string literal with the usual escapes: <c>"JIT says hi!\n"</c>.</summary>
    public static string String(string? text) => text is null
        ? "null"
        : "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n").Replace("\r", "\\r").Replace("\t", "\\t") + "\"";
}
