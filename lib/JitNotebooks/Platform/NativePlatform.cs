using System.Runtime.InteropServices;

namespace JitNotebooks;

/// <summary>
/// Step 8: where JIT'd code can really run. Encoding, patching, packing and listings are plain
/// byte arithmetic and work everywhere; running the bytes on the CPU needs Linux on x86-64,
/// because they are x86-64 instructions making Linux system calls. Everywhere else (and when
/// the environment variable JITNOTEBOOKS_EMULATE=1 asks for it) the library runs them in its
/// x86-64 emulator instead: <see cref="Mode"/> says which, <see cref="Describe()"/> says it in a sentence.
/// </summary>
/// <remarks>
/// The library's call paths (<see cref="ExecutableMemory"/>, <see cref="WritableMemory"/>,
/// <see cref="CodeArena"/>, <see cref="StdoutCapture"/>, <see cref="ProcMaps.ReadSelf"/>, the
/// compiler's functions) all consult the mode, and print <see cref="EmulationNote"/> once when
/// they fall back to the emulator. Only code that calls a raw function pointer itself cannot be
/// emulated: guard it with <see cref="ThrowIfUnsupported"/> or <see cref="IsNative"/>.
/// </remarks>
public static class NativePlatform
{
    /// <summary>The environment variable that forces emulation on Linux x86-64 ("1" or "true"); the runner's --emulate sets it.</summary>
    public const string EmulateVariable = "JITNOTEBOOKS_EMULATE";

    private static readonly bool ActuallySupported =
        IsSupported(RuntimeInformation.IsOSPlatform(OSPlatform.Linux), RuntimeInformation.ProcessArchitecture);

    private static readonly bool ForcedByEnvironment = IsForced(Environment.GetEnvironmentVariable(EmulateVariable));

    // Tests pretend to be another machine through this, without touching other threads' view.
    private static readonly AsyncLocal<bool> SimulatingUnsupported = new();

    // UseEmulator() scopes: emulation for the current thread and async flow only.
    private static readonly AsyncLocal<bool> ForcedByScope = new();

    private static int _noteShown;

    /// <summary>Native on Linux x86-64 unless emulation is asked for; Emulated everywhere else.</summary>
    public static ExecutionMode Mode =>
        ActuallySupported && !SimulatingUnsupported.Value && !ForcedByEnvironment && !ForcedByScope.Value
            ? ExecutionMode.Native
            : ExecutionMode.Emulated;

    /// <summary>True when bytes run on the CPU (the only mode in which a raw function pointer may be called).</summary>
    public static bool IsNative => Mode == ExecutionMode.Native;

    /// <summary>True when the library runs bytes in its emulator.</summary>
    public static bool IsEmulated => Mode == ExecutionMode.Emulated;

    /// <summary>
    /// True when JIT'd code runs natively here: the same as <see cref="IsNative"/>, kept under its
    /// old name because cells use it to guard raw function-pointer calls, which must never run
    /// where the bytes are emulated. The library's own calls need no guard: they run everywhere.
    /// </summary>
    public static bool CanRunJitCode => IsNative;

    /// <summary>A sentence for notebook 00's setup cell: the machine, and how the course's code runs on it.</summary>
    public static string Describe() => Describe(Mode, ActuallySupported && !SimulatingUnsupported.Value,
        RuntimeInformation.OSDescription, RuntimeInformation.ProcessArchitecture.ToString(), ForcedBy);

    /// <summary>What forces emulation on a machine that could run natively: the variable or a UseEmulator() scope.</summary>
    private static string ForcedBy => ForcedByEnvironment ? $"{EmulateVariable}=1" : "NativePlatform.UseEmulator()";

    /// <summary>
    /// The note printed once, the first time a call path falls back to the emulator; a tool that
    /// compares native and emulated output can drop exactly this line.
    /// </summary>
    public static string EmulationNote => Note(ActuallySupported && !SimulatingUnsupported.Value,
        RuntimeInformation.OSDescription, RuntimeInformation.ProcessArchitecture.ToString(), ForcedBy);

    /// <summary>
    /// Throws unless bytes run natively here. Only for code that calls a raw function pointer
    /// itself (<c>delegate* unmanaged</c>), which the emulator cannot follow; the library's own
    /// calls (<c>memory.Call()</c>, <c>RunCapturingStdout()</c>, …) fall back to the emulator instead.
    /// </summary>
    /// <param name="what">What the caller was about to do, e.g. "Calling through a raw function pointer".</param>
    /// <exception cref="PlatformNotSupportedException">Bytes run in the emulator here.</exception>
    public static void ThrowIfUnsupported(string what)
    {
        if (!IsNative)
            throw new PlatformNotSupportedException(
                UnsupportedMessage(what, RuntimeInformation.OSDescription, RuntimeInformation.ProcessArchitecture.ToString()));
    }

    /// <summary>
    /// Until the returned scope is disposed, the current thread (and async flow) runs bytes in the
    /// emulator even on Linux x86-64: memory mapped meanwhile is emulated memory, and calls into it
    /// are emulated for as long as it lives. For comparing the two modes side by side.
    /// </summary>
    public static IDisposable UseEmulator()
    {
        bool before = ForcedByScope.Value;
        ForcedByScope.Value = true;
        return new Scope(() => ForcedByScope.Value = before);
    }

    /// <summary>
    /// The seam every call path consults first: returns the mode, and the first time it is
    /// Emulated prints <see cref="EmulationNote"/> so the learner knows.
    /// </summary>
    internal static ExecutionMode EnterCallPath()
    {
        var mode = Mode;
        if (mode == ExecutionMode.Emulated && Interlocked.Exchange(ref _noteShown, 1) == 0)
            Console.WriteLine(EmulationNote);
        return mode;
    }

    // ---- pure parts, factored out so tests can feed them any machine --------------------------

    /// <summary>The decision itself: Linux and x86-64, nothing else.</summary>
    internal static bool IsSupported(bool isLinux, Architecture architecture) =>
        isLinux && architecture == Architecture.X64;

    /// <summary>"1", "true" or "yes" (any case) forces emulation.</summary>
    internal static bool IsForced(string? value) =>
        value is not null && value.Trim().ToLowerInvariant() is "1" or "true" or "yes";

    internal static string Describe(bool canRunNatively, string osDescription, string architecture) =>
        Describe(canRunNatively ? ExecutionMode.Native : ExecutionMode.Emulated, canRunNatively, osDescription, architecture);

    internal static string Describe(ExecutionMode mode, bool canRunNatively, string osDescription, string architecture,
        string forcedBy = EmulateVariable + "=1") =>
        (mode, canRunNatively) switch
        {
            (ExecutionMode.Native, _) => $"This machine ({osDescription}, {architecture}) can run the course's JIT'd code natively.",
            (_, true) => $"This machine ({osDescription}, {architecture}) could run the course's JIT'd code natively, but " +
                         $"{forcedBy} asks for the built-in x86-64 emulator: the code runs there, with the same " +
                         "results and different addresses.",
            _ => $"This machine ({osDescription}, {architecture}) cannot run x86-64 code natively (that needs Linux on x86-64), " +
                 "so the course runs your bytes in its built-in x86-64 emulator: the same results, different addresses. " +
                 "Encoding, patching, packing and listings still work as everywhere.",
        };

    internal static string Note(bool canRunNatively, string osDescription, string architecture, string forcedBy = EmulateVariable + "=1") => canRunNatively
        ? $"Note: {forcedBy} is in effect, so JitNotebooks runs the bytes in its x86-64 emulator, not on the CPU (same results, different addresses)."
        : $"Note: {osDescription} on {architecture} cannot run x86-64 code natively, so JitNotebooks runs the bytes in its " +
          "x86-64 emulator (same results, different addresses).";

    /// <summary>The exception message: what failed, why, what works instead, and where to run it natively.</summary>
    internal static string UnsupportedMessage(string what, string osDescription, string architecture) =>
        $"{what} needs Linux on x86-64 to run natively, and here ({osDescription} on {architecture}) the course's bytes run in " +
        "the emulator, which cannot follow a raw function pointer. Call the bytes through the library instead " +
        "(memory.Call(), memory.RunCapturingStdout(), CodeArena functions), which run in the emulator; encoding " +
        "(MovImm32), patching (CodeBuilder), packing and listings work everywhere. To run on the CPU, use a Linux " +
        "x86-64 machine, a VM or WSL2 (without JITNOTEBOOKS_EMULATE=1).";

    /// <summary>
    /// For tests: until the returned scope is disposed, the current thread (and async flow)
    /// behaves as if it ran on a machine that cannot run x86-64 code natively.
    /// </summary>
    internal static IDisposable SimulateUnsupportedMachine()
    {
        SimulatingUnsupported.Value = true;
        return new Scope(() => SimulatingUnsupported.Value = false);
    }

    private sealed class Scope(Action end) : IDisposable
    {
        private int _ended;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _ended, 1) == 0) end();
        }
    }
}
