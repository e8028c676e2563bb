using System.Globalization;

namespace JitNotebooks;

/// <summary>
/// One line of <c>/proc/self/maps</c>: a range of virtual addresses with one set of permissions.
/// Example: <c>7f3a1c000000-7f3a1c001000 r-xp 00000000 00:00 0</c>.
/// </summary>
/// <param name="Start">First address of the range.</param>
/// <param name="End">First address after the range (exclusive).</param>
/// <param name="Permissions">Four letters, e.g. "r-xp": read, write, execute, then p(rivate) or s(hared).</param>
/// <param name="Offset">Offset into the mapped file (0 for anonymous memory).</param>
/// <param name="Device">major:minor of the file's device ("00:00" for anonymous memory).</param>
/// <param name="Inode">The file's inode (0 for anonymous memory).</param>
/// <param name="Path">The file, a pseudo-name like "[heap]", or "" for anonymous memory.</param>
/// <param name="Line">The line as the kernel wrote it.</param>
public sealed record ProcMapsEntry(
    ulong Start, ulong End, string Permissions, ulong Offset, string Device, ulong Inode, string Path, string Line)
{
    /// <summary>Size of the range in bytes.</summary>
    public ulong Size => End - Start;

    /// <summary>The rwx letters as a <see cref="Protection"/>.</summary>
    public Protection Protection =>
        (Permissions[0] == 'r' ? Protection.Read : 0) |
        (Permissions[1] == 'w' ? Protection.Write : 0) |
        (Permissions[2] == 'x' ? Protection.Execute : 0);

    /// <summary>True when the range is writable and executable at once: what W^X forbids.</summary>
    public bool IsWritableAndExecutable =>
        (Protection & (Protection.Write | Protection.Execute)) == (Protection.Write | Protection.Execute);

    /// <summary>True when <paramref name="address"/> lies inside the range.</summary>
    public bool Contains(nint address) => (ulong)address >= Start && (ulong)address < End;

    /// <summary>True when the whole range [address, address + length) lies inside this one.</summary>
    public bool Covers(nint address, ulong length) =>
        (ulong)address >= Start && (ulong)address + length <= End;

    public override string ToString() => Line;
}

/// <summary>
/// Reads <c>/proc/self/maps</c>, the kernel's list of this process's memory ranges, so a notebook
/// can see a page change from <c>rw-p</c> to <c>r-xp</c>.
/// </summary>
/// <remarks>
/// The kernel merges neighbouring anonymous ranges that have the same permissions into one line,
/// so the line covering a region can be larger than the region itself.
/// </remarks>
public static class ProcMaps
{
    /// <summary>The file this class reads.</summary>
    public const string SelfPath = "/proc/self/maps";

    /// <summary>
    /// Every range of the current process, in address order. Where bytes run in the emulator, the
    /// emulated mappings instead, each line's path marked <c>[emulated]</c>.
    /// </summary>
    public static IReadOnlyList<ProcMapsEntry> ReadSelf() =>
        NativePlatform.EnterCallPath() == ExecutionMode.Emulated ? Emulation.EmulatedAddressSpace.MapsView() : ReadReal();

    /// <summary>The kernel's own /proc/self/maps, whatever runs the bytes (the double-mapped arena's views are always real memory).</summary>
    internal static List<ProcMapsEntry> ReadReal() => File.ReadAllLines(SelfPath).Where(l => l.Length > 0).Select(Parse).ToList();

    /// <summary>The range covering <paramref name="address"/>, or null if it is not mapped.</summary>
    public static ProcMapsEntry? Find(nint address) => ReadSelf().FirstOrDefault(e => e.Contains(address));

    /// <summary>The range covering <paramref name="address"/> in <paramref name="entries"/>, or null.</summary>
    public static ProcMapsEntry? Find(IEnumerable<ProcMapsEntry> entries, nint address) =>
        entries.FirstOrDefault(e => e.Contains(address));

    /// <summary>
    /// Parses one line: <c>start-end perms offset dev inode [path]</c>, numbers in hex except the inode.
    /// Pure string work, so it runs on any machine.
    /// </summary>
    /// <exception cref="FormatException">The line does not have that shape.</exception>
    public static ProcMapsEntry Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        // Five fields separated by single spaces, then padding, then the path (which may contain spaces).
        string[] f = line.Split(' ', 6, StringSplitOptions.None);
        if (f.Length < 5) throw BadLine(line, "it has fewer than five fields");
        string[] range = f[0].Split('-');
        if (range.Length != 2) throw BadLine(line, "the first field is not start-end");
        if (f[1].Length != 4) throw BadLine(line, "the permissions are not four letters like r-xp");
        return new ProcMapsEntry(
            Start: Hex(range[0], line), End: Hex(range[1], line), Permissions: f[1], Offset: Hex(f[2], line),
            Device: f[3], Inode: Dec(f[4], line), Path: f.Length == 6 ? f[5].TrimStart(' ') : "", Line: line);
    }

    private static ulong Hex(string s, string line) =>
        ulong.TryParse(s, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var v)
            ? v : throw BadLine(line, $"'{s}' is not a hex number");

    private static ulong Dec(string s, string line) =>
        ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var v)
            ? v : throw BadLine(line, $"'{s}' is not an inode number");

    private static FormatException BadLine(string line, string why) =>
        new($"Not a /proc/self/maps line ({why}): \"{line}\". Expected e.g. " +
            "\"7f3a1c000000-7f3a1c001000 r-xp 00000000 00:00 0\".");
}
