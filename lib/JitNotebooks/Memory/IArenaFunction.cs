namespace JitNotebooks;

/// <summary>
/// One function's code in an arena: <see cref="ArenaFunction"/> in a <see cref="CodeArena"/>
/// (W^X by mprotect) or <see cref="DoubleMappedFunction"/> in a <see cref="DoubleMappedCodeArena"/>
/// (W^X by two views of one file).
/// </summary>
public interface IArenaFunction
{
    /// <summary>Where the first instruction is, in executable memory: the value a function pointer holds.</summary>
    nint Address { get; }

    /// <summary>Bytes of code.</summary>
    int Length { get; }

    /// <summary>True while the code may be called: its arena is alive and it was not freed.</summary>
    bool IsCallable { get; }

    /// <summary>The address, after checking <see cref="IsCallable"/>.</summary>
    /// <exception cref="ObjectDisposedException">The code is gone (arena disposed, or function freed).</exception>
    nint Pointer { get; }

    /// <summary>The bytes as they sit in executable memory.</summary>
    byte[] ReadBytes();
}

/// <summary>
/// Whether code may still be called: one flag that the hot call paths read. A
/// <see cref="CodeArena"/> shares one among all its functions (ended by Dispose); a
/// <see cref="DoubleMappedCodeArena"/> gives each function its own (ended by Free or Dispose).
/// </summary>
internal sealed class CodeLifetime
{
    public volatile bool Ended;
}
