namespace JitNotebooks.Emulation;

/// <summary>
/// A <c>call</c> with rsp not a multiple of 16. The System V ABI promises every callee
/// rsp ≡ 8 (mod 16) on entry, i.e. a multiple of 16 at the call instruction.
/// </summary>
public sealed class StackMisalignedException(ulong rsp) : EmulationException
{
    /// <summary>rsp at the call.</summary>
    public ulong Rsp { get; } = rsp;

    public override string Problem =>
        $"call with a misaligned stack: rsp = 0x{Rsp:x}, which is {Rsp % 16} more than a multiple of 16.";

    public override string OnRealHardware =>
        "the call itself works, but callees may rely on the alignment (aligned SSE stores, which C# and C " +
        "compilers emit) and crash with SIGSEGV far from the mistake.";

    public override string Fix =>
        "on entry rsp ≡ 8 (mod 16) because the caller's call pushed 8 bytes; push an odd number of registers " +
        "(or sub $8,%rsp) before the call, and undo it after.";
}
