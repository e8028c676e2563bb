using System.Runtime.InteropServices;

namespace JitNotebooks;

/// <summary>
/// Step 8: where JIT'd code can really run. Encoding, patching, packing and listings are plain
/// byte arithmetic and work everywhere; mapping memory and calling into it needs Linux on x86-64,
/// because the bytes are x86-64 instructions making Linux system calls.
/// </summary>
/// <remarks>
/// Every native entry point of the library (<see cref="ExecutableMemory"/>, <see cref="WritableMemory"/>,
/// <see cref="StdoutCapture"/>, <see cref="ProcMaps.ReadSelf"/>) calls <see cref="ThrowIfUnsupported"/>
/// first, so on another machine the learner gets one clear sentence instead of a crash.
/// </remarks>
public static class NativePlatform
{
    private static readonly bool ActuallySupported =
        IsSupported(RuntimeInformation.IsOSPlatform(OSPlatform.Linux), RuntimeInformation.ProcessArchitecture);

    // Tests pretend to be another machine through this, without touching other threads' view.
    private static readonly AsyncLocal<bool> SimulatingUnsupported = new();

    /// <summary>True on Linux x86-64, the only place the course's machine code can run natively.</summary>
    public static bool CanRunJitCode => ActuallySupported && !SimulatingUnsupported.Value;

    /// <summary>A sentence for notebook 00's setup cell.</summary>
    public static string Describe() =>
        Describe(CanRunJitCode, RuntimeInformation.OSDescription, RuntimeInformation.ProcessArchitecture.ToString());

    /// <summary>Throws unless JIT'd code can run here.</summary>
    /// <param name="what">What the caller was about to do, e.g. "Mapping executable memory".</param>
    /// <exception cref="PlatformNotSupportedException">Not Linux x86-64.</exception>
    public static void ThrowIfUnsupported(string what)
    {
        if (!CanRunJitCode)
            throw new PlatformNotSupportedException(
                UnsupportedMessage(what, RuntimeInformation.OSDescription, RuntimeInformation.ProcessArchitecture.ToString()));
    }

    // ---- pure parts, factored out so tests can feed them any machine --------------------------

    /// <summary>The decision itself: Linux and x86-64, nothing else.</summary>
    internal static bool IsSupported(bool isLinux, Architecture architecture) =>
        isLinux && architecture == Architecture.X64;

    internal static string Describe(bool canRun, string osDescription, string architecture) => canRun
        ? $"This machine ({osDescription}, {architecture}) can run the course's JIT'd code natively."
        : $"This machine ({osDescription}, {architecture}) cannot run the course's " +
          "JIT'd code natively: that needs Linux on x86-64. Encoding, patching, packing and listings still work here.";

    /// <summary>The exception message: what failed, why, what still works, and where to run the rest.</summary>
    internal static string UnsupportedMessage(string what, string osDescription, string architecture) =>
        $"{what} needs Linux on x86-64, and this is {osDescription} on {architecture}. " +
        "Encoding (MovImm32), patching (CodeBuilder), packing and listings work here; " +
        "to run the bytes, use a Linux x86-64 machine, a VM or WSL2.";

    /// <summary>
    /// For tests: until the returned scope is disposed, the current thread (and async flow)
    /// behaves as if it ran on an unsupported machine.
    /// </summary>
    internal static IDisposable SimulateUnsupportedMachine()
    {
        SimulatingUnsupported.Value = true;
        return new Scope();
    }

    private sealed class Scope : IDisposable
    {
        public void Dispose() => SimulatingUnsupported.Value = false;
    }
}
