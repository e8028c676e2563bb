namespace JitNotebooks;

/// <summary>How the library runs machine code on this machine.</summary>
public enum ExecutionMode
{
    /// <summary>On the CPU: real mmap, real function-pointer calls (Linux x86-64 only).</summary>
    Native,
    /// <summary>
    /// In the library's x86-64 emulator (<see cref="Emulation.Emulator"/>): everywhere else, or when
    /// JITNOTEBOOKS_EMULATE=1 asks for it. Memory mappings are simulated too, with their protections.
    /// </summary>
    Emulated,
}
