using JitNotebooks.Emulation;

namespace JitNotebooks;

/// <summary>
/// Step 6: calling the bytes. The article converts a slice into a Go func value by "type magic";
/// C# has a typed, honest way: cast the address to a function pointer,
/// <c>(delegate* unmanaged&lt;long, long, long&gt;)memory.Address</c>, and call it. These methods do
/// that cast for you so a notebook cell needs no <c>unsafe</c> block.
/// </summary>
/// <remarks>
/// Arguments travel in the System V x86-64 calling convention: rdi, rsi, rdx, rcx, r8, r9; the
/// result comes back in rax. The code must end in <c>ret</c> and keep rbx, rbp, rsp, r12–r15 intact.
/// Run natively, a mistake in the code crashes the whole process; nothing here can catch that
/// (<see cref="Isolation.IsolatedRunner.RunIsolated(ReadOnlySpan{byte}, long[])"/> can). Where the
/// pages are emulated (<see cref="NativePlatform.Mode"/>), the emulator runs the call instead and a
/// mistake becomes a typed <see cref="Emulation.EmulationException"/>.
/// </remarks>
public sealed unsafe partial class ExecutableMemory
{
    /// <summary>Calls the code as <c>void f(void)</c>.</summary>
    public void CallVoid()
    {
        if (Emulated(out nint entry)) { EmulatedExecution.Call(entry); return; }
        ((delegate* unmanaged<void>)entry)();
        GC.KeepAlive(this); // keep the object (and so the mapping) alive until the call returns
    }

    /// <summary>Calls the code as <c>long f(void)</c>; returns rax.</summary>
    public long Call()
    {
        if (Emulated(out nint entry)) return EmulatedExecution.Call(entry).Rax;
        long r = ((delegate* unmanaged<long>)entry)();
        GC.KeepAlive(this);
        return r;
    }

    /// <summary>Calls the code as <c>long f(long)</c>: <paramref name="a"/> in rdi.</summary>
    public long Call(long a)
    {
        if (Emulated(out nint entry)) return EmulatedExecution.Call(entry, a).Rax;
        long r = ((delegate* unmanaged<long, long>)entry)(a);
        GC.KeepAlive(this);
        return r;
    }

    /// <summary>Calls the code as <c>long f(long, long)</c>: rdi, rsi.</summary>
    public long Call(long a, long b)
    {
        if (Emulated(out nint entry)) return EmulatedExecution.Call(entry, a, b).Rax;
        long r = ((delegate* unmanaged<long, long, long>)entry)(a, b);
        GC.KeepAlive(this);
        return r;
    }

    /// <summary>Calls the code as <c>long f(long, long, long)</c>: rdi, rsi, rdx.</summary>
    public long Call(long a, long b, long c)
    {
        if (Emulated(out nint entry)) return EmulatedExecution.Call(entry, a, b, c).Rax;
        long r = ((delegate* unmanaged<long, long, long, long>)entry)(a, b, c);
        GC.KeepAlive(this);
        return r;
    }

    /// <summary>Calls the code as <c>long f(long, long, long, long)</c>: rdi, rsi, rdx, rcx.</summary>
    public long Call(long a, long b, long c, long d)
    {
        if (Emulated(out nint entry)) return EmulatedExecution.Call(entry, a, b, c, d).Rax;
        long r = ((delegate* unmanaged<long, long, long, long, long>)entry)(a, b, c, d);
        GC.KeepAlive(this);
        return r;
    }

    /// <summary>Calls the code as <c>long f(long ×5)</c>: rdi, rsi, rdx, rcx, r8.</summary>
    public long Call(long a, long b, long c, long d, long e)
    {
        if (Emulated(out nint entry)) return EmulatedExecution.Call(entry, a, b, c, d, e).Rax;
        long r = ((delegate* unmanaged<long, long, long, long, long, long>)entry)(a, b, c, d, e);
        GC.KeepAlive(this);
        return r;
    }

    /// <summary>Calls the code as <c>long f(long ×6)</c>: rdi, rsi, rdx, rcx, r8, r9.</summary>
    public long Call(long a, long b, long c, long d, long e, long f)
    {
        if (Emulated(out nint entry)) return EmulatedExecution.Call(entry, a, b, c, d, e, f).Rax;
        long r = ((delegate* unmanaged<long, long, long, long, long, long, long>)entry)(a, b, c, d, e, f);
        GC.KeepAlive(this);
        return r;
    }

    /// <summary>
    /// Calls the code as <c>void f(void)</c> and returns what it wrote to file descriptor 1,
    /// instead of letting it reach the process's real stdout.
    /// </summary>
    public CapturedOutput RunCapturingStdout()
    {
        ThrowIfDisposed(); // fail fast before redirecting anything
        return StdoutCapture.Run(CallVoid);
    }

    /// <summary>
    /// The address <paramref name="offset"/> bytes into the code, for calling a second function
    /// that lives in the same region.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The offset is outside the code.</exception>
    public nint AddressAt(int offset)
    {
        if (offset < 0 || offset >= Length)
            throw new ArgumentOutOfRangeException(nameof(offset), offset,
                $"The offset must point inside the {Length} bytes of code (0 to {Length - 1}).");
        return Address + offset;
    }

    /// <summary>
    /// The entry address (throws ObjectDisposedException after Dispose), and whether the pages are
    /// emulated memory: then the call runs in the emulator (see <see cref="NativePlatform.Mode"/>).
    /// </summary>
    private bool Emulated(out nint entry)
    {
        entry = Address;
        return EmulatedExecution.Owns(entry);
    }
}
