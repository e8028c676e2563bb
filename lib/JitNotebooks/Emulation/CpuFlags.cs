namespace JitNotebooks.Emulation;

/// <summary>
/// The RFLAGS bits the course's instructions read or write. The values are the bits' positions
/// in RFLAGS, so a value read from the real register (<c>pushfq</c>) can be masked with them.
/// </summary>
[Flags]
public enum CpuFlags : ulong
{
    None = 0,
    /// <summary>CF: an unsigned result did not fit (carry out of, or borrow into, the top bit).</summary>
    Carry = 1 << 0,
    /// <summary>PF: the low byte of the result has an even number of 1 bits.</summary>
    Parity = 1 << 2,
    /// <summary>AF: carry out of bit 3 (for decimal arithmetic; no jcc reads it).</summary>
    Adjust = 1 << 4,
    /// <summary>ZF: the result is zero.</summary>
    Zero = 1 << 6,
    /// <summary>SF: the result's top bit (its sign) is 1.</summary>
    Sign = 1 << 7,
    /// <summary>DF: string instructions count down. The System V ABI requires it clear at every call.</summary>
    Direction = 1 << 10,
    /// <summary>OF: a signed result did not fit.</summary>
    Overflow = 1 << 11,
}

/// <summary>Names and groups of <see cref="CpuFlags"/>.</summary>
public static class CpuFlagsFacts
{
    /// <summary>The six status flags arithmetic instructions set: CF, PF, AF, ZF, SF, OF.</summary>
    public const CpuFlags Status = CpuFlags.Carry | CpuFlags.Parity | CpuFlags.Adjust | CpuFlags.Zero | CpuFlags.Sign | CpuFlags.Overflow;

    /// <summary>
    /// RFLAGS bits that are always set in user mode: bit 1 (reserved, reads as 1) and IF (0x200,
    /// interrupts enabled). What <c>syscall</c> copies into r11 includes them.
    /// </summary>
    public const ulong AlwaysSetInUserMode = 0x202;

    // In the order objdump-style tools and debuggers print them.
    private static readonly (CpuFlags Flag, string Name)[] Names =
    [
        (CpuFlags.Carry, "CF"), (CpuFlags.Parity, "PF"), (CpuFlags.Adjust, "AF"), (CpuFlags.Zero, "ZF"),
        (CpuFlags.Sign, "SF"), (CpuFlags.Direction, "DF"), (CpuFlags.Overflow, "OF"),
    ];

    /// <summary>The two-letter name of one flag, e.g. "ZF".</summary>
    /// <exception cref="ArgumentException">Not exactly one flag.</exception>
    public static string ShortName(this CpuFlags flag) =>
        Names.FirstOrDefault(n => n.Flag == flag).Name
        ?? throw new ArgumentException($"{flag} is not a single flag; pass one of CpuFlags.Carry, .Parity, .Adjust, .Zero, .Sign, .Direction, .Overflow.", nameof(flag));

    /// <summary>The set flags as names, e.g. "ZF PF"; "-" when none is set.</summary>
    public static string Describe(this CpuFlags flags)
    {
        var set = Names.Where(n => (flags & n.Flag) != 0).Select(n => n.Name).ToArray();
        return set.Length == 0 ? "-" : string.Join(" ", set);
    }

    /// <summary>
    /// The set flags as names, with a <c>?</c> after any whose value is architecturally undefined
    /// (e.g. ZF after <c>imul</c>): a real CPU may leave either value there.
    /// </summary>
    public static string Describe(this CpuFlags flags, CpuFlags undefined)
    {
        var parts = Names.Where(n => (flags & n.Flag) != 0 || (undefined & n.Flag) != 0)
            .Select(n => (undefined & n.Flag) != 0 ? $"{n.Name}?" : n.Name).ToArray();
        return parts.Length == 0 ? "-" : string.Join(" ", parts);
    }
}
