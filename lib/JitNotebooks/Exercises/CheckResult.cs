namespace JitNotebooks.Exercises;

/// <summary>
/// The verdict on a learner's answer to a notebook exercise: "correct", or "not yet" with a hint.
/// Checks never throw, so a notebook whose exercises are still unsolved runs green.
/// </summary>
public sealed record CheckResult(bool IsCorrect, string Message)
{
    public static CheckResult Correct(string message) => new(true, message);

    public static CheckResult NotYet(string hint) => new(false, hint);

    public override string ToString() => IsCorrect ? $"✅ correct: {Message}" : $"❌ not yet: {Message}";
}

/// <summary>Helpers the per-notebook exercise classes share.</summary>
public static class Check
{
    /// <summary>
    /// Runs a check and turns any exception into a "not yet" naming it, so a half-finished
    /// answer (an out-of-range value, an unbound label …) teaches instead of failing the cell.
    /// </summary>
    public static CheckResult Safely(Func<CheckResult> check)
    {
        ArgumentNullException.ThrowIfNull(check);
        try
        {
            return check();
        }
        catch (Exception e)
        {
            return CheckResult.NotYet($"your answer raised {e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>Compares bytes and names the first difference.</summary>
    public static CheckResult Bytes(IReadOnlyList<byte>? actual, IReadOnlyList<byte> expected, string what, string hint)
    {
        if (actual is null) return CheckResult.NotYet($"{what}: no bytes yet. {hint}");
        for (int i = 0; i < Math.Min(actual.Count, expected.Count); i++)
            if (actual[i] != expected[i])
                return CheckResult.NotYet($"{what}: byte {i} is {actual[i]:x2}, which is not right yet. {hint}");
        if (actual.Count != expected.Count)
            return CheckResult.NotYet($"{what}: {actual.Count} bytes, expected {expected.Count}. {hint}");
        return CheckResult.Correct($"{what}: {Hex(expected)}");
    }

    /// <summary>Bytes as lower-case hex pairs separated by spaces, as listings show them.</summary>
    public static string Hex(IEnumerable<byte> bytes) => string.Join(" ", bytes.Select(b => b.ToString("x2")));
}
