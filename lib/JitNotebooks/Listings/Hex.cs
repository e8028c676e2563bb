namespace JitNotebooks;

/// <summary>Bytes written the way listings show them.</summary>
public static class Hex
{
    /// <summary>Lower-case hex pairs separated by spaces: <c>48 c7 c0 01 00 00 00</c>.</summary>
    public static string Of(IEnumerable<byte> bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        return string.Join(" ", bytes.Select(b => b.ToString("x2")));
    }
}
