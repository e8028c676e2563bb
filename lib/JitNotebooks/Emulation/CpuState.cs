namespace JitNotebooks.Emulation;

/// <summary>
/// The emulated CPU's registers: sixteen 64-bit general registers, rip and the status flags.
/// Readable and writable between steps, like a debugger's register window.
/// </summary>
public sealed class CpuState
{
    /// <summary>Indexed by <see cref="Reg64"/>'s encoding number; the instruction semantics use it directly.</summary>
    internal readonly ulong[] Gpr = new ulong[16];

    /// <summary>A register's full 64-bit value.</summary>
    public ulong this[Reg64 register]
    {
        get => Gpr[register.Number()];
        set => Gpr[register.Number()] = value;
    }

    /// <summary>The address of the next instruction.</summary>
    public ulong Rip { get; set; }

    /// <summary>The status flags (and DF). Bits outside <see cref="CpuFlagsFacts.Status"/> | DF are refused.</summary>
    /// <exception cref="ArgumentException">A bit the emulator does not model.</exception>
    public CpuFlags Flags
    {
        get => _flags;
        set
        {
            const CpuFlags modelled = CpuFlagsFacts.Status | CpuFlags.Direction;
            if ((value & ~modelled) != 0)
                throw new ArgumentException(
                    $"0x{(ulong)value:x} has bits outside the flags the emulator models (CF PF AF ZF SF DF OF); " +
                    "combine CpuFlags values only.", nameof(value));
            _flags = value;
        }
    }

    private CpuFlags _flags;

    /// <summary>
    /// Flags whose value is architecturally undefined right now: the last instruction that wrote
    /// them (e.g. <c>imul</c>, <c>idiv</c>, the logical ones for AF) lets each CPU model choose.
    /// The emulator keeps some value there; comparisons with real hardware ignore these.
    /// </summary>
    public CpuFlags UndefinedFlags { get; internal set; }

    /// <summary>RFLAGS as the hardware would show it: the modelled flags plus the bits always set in user mode.</summary>
    public ulong RFlags => (ulong)_flags | CpuFlagsFacts.AlwaysSetInUserMode;

    /// <summary>Sets the status flags an instruction computed, and which of them are undefined.</summary>
    internal void SetStatusFlags(CpuFlags value, CpuFlags undefined)
    {
        _flags = (_flags & ~CpuFlagsFacts.Status) | (value & CpuFlagsFacts.Status);
        UndefinedFlags = undefined;
    }

    /// <summary>An immutable copy of everything above.</summary>
    public RegisterSnapshot Snapshot() => new(Gpr, Rip, _flags, UndefinedFlags);
}
