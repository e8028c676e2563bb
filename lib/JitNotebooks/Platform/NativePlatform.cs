using System.Runtime.InteropServices;

namespace JitNotebooks;

/// <summary>
/// Step 8: where JIT'd code can really run. Encoding, patching, packing and listings are plain
/// byte arithmetic and work everywhere; mapping memory and calling into it needs Linux on x86-64,
/// because the bytes are x86-64 instructions making Linux system calls.
/// </summary>
public static class NativePlatform
{
    /// <summary>True on Linux x86-64, the only place the course's machine code can run natively.</summary>
    public static bool CanRunJitCode { get; } =
        RuntimeInformation.IsOSPlatform(OSPlatform.Linux) && RuntimeInformation.ProcessArchitecture == Architecture.X64;

    /// <summary>A sentence for notebook 00's setup cell.</summary>
    public static string Describe() => CanRunJitCode
        ? $"This machine ({RuntimeInformation.OSDescription}, {RuntimeInformation.ProcessArchitecture}) can run the course's JIT'd code natively."
        : $"This machine ({RuntimeInformation.OSDescription}, {RuntimeInformation.ProcessArchitecture}) cannot run the course's " +
          "JIT'd code natively: that needs Linux on x86-64. Encoding, patching, packing and listings still work here.";

    /// <summary>Throws unless JIT'd code can run here.</summary>
    /// <exception cref="PlatformNotSupportedException">Not Linux x86-64.</exception>
    public static void ThrowIfUnsupported(string what)
    {
        if (!CanRunJitCode)
            throw new PlatformNotSupportedException(
                $"{what} needs Linux on x86-64, and this is {RuntimeInformation.OSDescription} on " +
                $"{RuntimeInformation.ProcessArchitecture}. Encoding (MovImm32), patching (CodeBuilder), packing " +
                "(WordPacking) and listings (Listing) work here; to run the bytes, use a Linux x86-64 machine, " +
                "a VM or WSL2.");
    }
}
