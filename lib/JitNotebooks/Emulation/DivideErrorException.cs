using JitNotebooks.Isolation;

namespace JitNotebooks.Emulation;

/// <summary>Why <c>idiv</c> faulted.</summary>
public enum DivideErrorKind
{
    /// <summary>The divisor was zero.</summary>
    DivideByZero,
    /// <summary>The quotient does not fit in the destination (e.g. long.MinValue / -1).</summary>
    QuotientOverflow,
}

/// <summary><c>idiv</c> raised #DE: division by zero, or a quotient too large for the destination.</summary>
public sealed class DivideErrorException(DivideErrorKind kind, string dividend, long divisor) : EmulationException
{
    public DivideErrorKind Kind { get; } = kind;

    /// <summary>The dividend as text (it can be 128 bits wide: rdx:rax).</summary>
    public string Dividend { get; } = dividend;

    public long Divisor { get; } = divisor;

    public override string Problem => Kind == DivideErrorKind.DivideByZero
        ? $"idiv divided {Dividend} by zero."
        : $"idiv divided {Dividend} by {Divisor}: the quotient does not fit in the destination register.";

    public override string OnRealHardware => "the CPU raises #DE and Linux kills the process with SIGFPE.";

    public override string Fix => Kind == DivideErrorKind.DivideByZero
        ? "test the divisor first (test %r,%r; je error), as the course's compiler does."
        : "sign-extend the dividend with cqto (cltd for 32 bits) so rdx holds only sign bits, and handle " +
          "MinValue / -1 separately, as the course's compiler does.";

    public override LinuxSignal? Signal => LinuxSignal.SIGFPE;
}
