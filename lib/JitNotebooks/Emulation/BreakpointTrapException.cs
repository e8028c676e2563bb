using JitNotebooks.Isolation;

namespace JitNotebooks.Emulation;

/// <summary><c>int3</c> (0xcc) ran: a breakpoint trap.</summary>
public sealed class BreakpointTrapException() : EmulationException
{
    public override string Problem => "int3 (0xcc) ran: a breakpoint trap, not a no-op.";

    public override string OnRealHardware =>
        "the CPU raises #BP; without a debugger attached Linux kills the process with SIGTRAP.";

    public override string Fix =>
        "0xcc is filler that must never run: end the code with ret before it, and check jump targets. " +
        "For a real no-op use nop (0x90).";

    public override LinuxSignal? Signal => LinuxSignal.SIGTRAP;
}
