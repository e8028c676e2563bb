namespace JitNotebooks;

/// <summary>A reference to a label that was never bound: the linker's "undefined symbol".</summary>
public sealed class UnboundLabelException(string message) : InvalidOperationException(message);

/// <summary>A label bound a second time: the linker's "duplicate symbol".</summary>
public sealed class LabelAlreadyBoundException(string message) : InvalidOperationException(message);

/// <summary>A target more than 2 GiB away: a signed 32-bit displacement cannot reach it.</summary>
public sealed class DisplacementOutOfRangeException(string message) : InvalidOperationException(message);

/// <summary>The builder was already patched: its bytes are final.</summary>
public sealed class AlreadyPatchedException(string message) : InvalidOperationException(message);
