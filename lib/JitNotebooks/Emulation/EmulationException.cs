using JitNotebooks.Isolation;

namespace JitNotebooks.Emulation;

/// <summary>
/// The emulated program stopped on something the emulator will not or cannot continue past.
/// Every subclass names one problem, what a real CPU and Linux would do instead, and a fix;
/// once the run has located it, <see cref="Location"/> says where (offset, AT&amp;T text, registers).
/// </summary>
public abstract class EmulationException : Exception
{
    private protected EmulationException(Exception? inner = null) : base(null, inner) { }

    /// <summary>Where it happened; set by the emulator before the exception leaves it.</summary>
    public FaultLocation? Location { get; private set; }

    /// <summary>The faulting instruction's offset from the start of the program, once located.</summary>
    public long? Offset => Location?.Offset;

    /// <summary>The faulting instruction in AT&amp;T syntax, once located.</summary>
    public string? InstructionText => Location?.InstructionText;

    /// <summary>The registers when it happened, once located.</summary>
    public RegisterSnapshot? Registers => Location?.Registers;

    /// <summary>What went wrong, in one sentence.</summary>
    public abstract string Problem { get; }

    /// <summary>What the same bytes would do on a real CPU under Linux.</summary>
    public abstract string OnRealHardware { get; }

    /// <summary>How to fix the code (or the call).</summary>
    public abstract string Fix { get; }

    /// <summary>The signal Linux would send for this, if any (a natively run program would die of it).</summary>
    public virtual LinuxSignal? Signal => null;

    public override string Message
    {
        get
        {
            string where = Location is null ? "" : $" At {Location.Describe()}.";
            string registers = Location is null ? "" : "\nRegisters:\n" + Location.Registers.ToText();
            return $"{Problem}{where}\nOn a real CPU: {OnRealHardware}\nFix: {Fix}{registers}";
        }
    }

    internal void Locate(FaultLocation location) => Location ??= location;
}
