using JitNotebooks.Isolation;

namespace JitNotebooks.Emulation;

/// <summary>What an instruction tried to do with memory.</summary>
public enum MemoryAccess
{
    Read,
    Write,
    /// <summary>Fetching an instruction.</summary>
    Execute,
}

/// <summary>
/// An access to memory that the program may not make (Linux would send SIGSEGV). Subclasses
/// say why: nothing is mapped there, the page forbids that access, or the bytes are data.
/// </summary>
public abstract class MemoryFaultException(ulong address, int size, MemoryAccess access) : EmulationException
{
    /// <summary>The first byte accessed.</summary>
    public ulong Address { get; } = address;

    /// <summary>How many bytes were accessed.</summary>
    public int Size { get; } = size;

    public MemoryAccess Access { get; } = access;

    public override LinuxSignal? Signal => LinuxSignal.SIGSEGV;

    public override string OnRealHardware => "the CPU raises a page fault and Linux kills the process with SIGSEGV.";

    private protected string Verb => Access switch
    {
        MemoryAccess.Read => $"reading {Size} byte{(Size == 1 ? "" : "s")} at",
        MemoryAccess.Write => $"writing {Size} byte{(Size == 1 ? "" : "s")} at",
        _ => "running an instruction at",
    };
}

/// <summary>Nothing is mapped at the address.</summary>
public sealed class UnmappedMemoryException(ulong address, int size, MemoryAccess access, string mappedRegions, string? cameFrom = null)
    : MemoryFaultException(address, size, access)
{
    /// <summary>For a jump into nothing: the instruction that went there (AT&amp;T, with its offset).</summary>
    public string? CameFrom { get; } = cameFrom;

    public override string Problem =>
        $"Memory fault {Verb} 0x{Address:x}: nothing is mapped there. Mapped: {mappedRegions}." +
        (CameFrom is null ? "" : $" The previous instruction, {CameFrom}, sent execution there.");

    public override string Fix => Access == MemoryAccess.Execute
        ? "check the target of the last jump, call or ret: a ret pops whatever is on top of the stack, so every push " +
          "needs its pop before ret; a call needs a mapped target (register C# callbacks in EmulatorOptions.Callbacks)."
        : "check the address register and the displacement: a RIP-relative operand counts from the END of its " +
          "instruction, and a pointer must point into the code, the stack or a mapping you made.";
}

/// <summary>The address is mapped, but its page does not allow this access (e.g. writing to r-x code).</summary>
public sealed class ProtectionFaultException(ulong address, int size, MemoryAccess access, string region, Protection protection)
    : MemoryFaultException(address, size, access)
{
    /// <summary>The page's protection.</summary>
    public Protection Protection { get; } = protection;

    public override string Problem =>
        $"Memory fault {Verb} 0x{Address:x}: it lies in {region}, whose page is {Mman.Describe(Protection)}, " +
        $"which does not allow {Access.ToString().ToLowerInvariant()} access.";

    public override string Fix => Access == MemoryAccess.Write
        ? "code pages are read-execute (W^X): keep data you write on the stack or in a writable mapping, " +
          "not in the code."
        : "map the page with the protection the access needs.";
}

/// <summary>rip reached bytes that are data: a page without execute permission, or a span a CodeBuilder marked as data.</summary>
public sealed class ExecutingDataException(ulong address, string what) : MemoryFaultException(address, 1, MemoryAccess.Execute)
{
    /// <summary>What the bytes are (the region, or the data span's name).</summary>
    public string What { get; } = what;

    public override string Problem => $"Execution reached 0x{Address:x}, which is {What}, not code.";

    public override string OnRealHardware =>
        "a non-executable page raises a page fault (SIGSEGV); data inside an executable page is decoded as " +
        "instructions and does whatever those garbage instructions do.";

    public override string Fix =>
        "end the code with ret (or a jump) before its data, and check jump targets: data must never be on the path of execution.";
}
