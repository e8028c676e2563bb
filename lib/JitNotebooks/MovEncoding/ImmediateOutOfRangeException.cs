namespace JitNotebooks;

/// <summary>
/// Thrown when a value does not fit the signed 32-bit immediate of <c>mov $imm32,%r64</c>.
/// The value is refused instead of being truncated, because a truncated immediate is a silent bug.
/// </summary>
public sealed class ImmediateOutOfRangeException : ArgumentOutOfRangeException
{
    public ImmediateOutOfRangeException(string paramName, object actualValue, string message)
        : base(paramName, actualValue, message) { }
}
