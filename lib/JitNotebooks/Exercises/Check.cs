namespace JitNotebooks.Exercises;

/// <summary>
/// Kept so that the first-edition notebook cells which print bytes with <c>Check.Hex</c> still run;
/// new cells use <see cref="JitNotebooks.Hex.Of"/>. (The exercise checks themselves are now
/// <c>ExercisesNN.Name.Check(answer)</c>.)
/// </summary>
public static class Check
{
    /// <summary>Same as <see cref="JitNotebooks.Hex.Of"/>.</summary>
    public static string Hex(IEnumerable<byte> bytes) => JitNotebooks.Hex.Of(bytes);
}
