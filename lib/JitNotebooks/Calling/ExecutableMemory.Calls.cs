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
/// A mistake in the code crashes the whole process; nothing here can catch that.
/// </remarks>
public sealed unsafe partial class ExecutableMemory
{
    /// <summary>Calls the code as <c>void f(void)</c>.</summary>
    public void CallVoid()
    {
        ((delegate* unmanaged<void>)Entry())();
        GC.KeepAlive(this); // keep the object (and so the mapping) alive until the call returns
    }

    /// <summary>Calls the code as <c>long f(void)</c>; returns rax.</summary>
    public long Call()
    {
        long r = ((delegate* unmanaged<long>)Entry())();
        GC.KeepAlive(this);
        return r;
    }

    /// <summary>Calls the code as <c>long f(long)</c>: <paramref name="a"/> in rdi.</summary>
    public long Call(long a)
    {
        long r = ((delegate* unmanaged<long, long>)Entry())(a);
        GC.KeepAlive(this);
        return r;
    }

    /// <summary>Calls the code as <c>long f(long, long)</c>: rdi, rsi.</summary>
    public long Call(long a, long b)
    {
        long r = ((delegate* unmanaged<long, long, long>)Entry())(a, b);
        GC.KeepAlive(this);
        return r;
    }

    /// <summary>Calls the code as <c>long f(long, long, long)</c>: rdi, rsi, rdx.</summary>
    public long Call(long a, long b, long c)
    {
        long r = ((delegate* unmanaged<long, long, long, long>)Entry())(a, b, c);
        GC.KeepAlive(this);
        return r;
    }

    /// <summary>Calls the code as <c>long f(long, long, long, long)</c>: rdi, rsi, rdx, rcx.</summary>
    public long Call(long a, long b, long c, long d)
    {
        long r = ((delegate* unmanaged<long, long, long, long, long>)Entry())(a, b, c, d);
        GC.KeepAlive(this);
        return r;
    }

    /// <summary>Calls the code as <c>long f(long ×5)</c>: rdi, rsi, rdx, rcx, r8.</summary>
    public long Call(long a, long b, long c, long d, long e)
    {
        long r = ((delegate* unmanaged<long, long, long, long, long, long>)Entry())(a, b, c, d, e);
        GC.KeepAlive(this);
        return r;
    }

    /// <summary>Calls the code as <c>long f(long ×6)</c>: rdi, rsi, rdx, rcx, r8, r9.</summary>
    public long Call(long a, long b, long c, long d, long e, long f)
    {
        long r = ((delegate* unmanaged<long, long, long, long, long, long, long>)Entry())(a, b, c, d, e, f);
        GC.KeepAlive(this);
        return r;
    }

    /// <summary>
    /// Calls the code as <c>void f(void)</c> and returns what it wrote to file descriptor 1,
    /// instead of letting it reach the process's real stdout.
    /// </summary>
    public CapturedOutput RunCapturingStdout()
    {
        Entry(); // fail fast (disposed, unsupported) before redirecting anything
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

    private nint Entry()
    {
        NativePlatform.ThrowIfUnsupported("Calling JIT'd code");
        return Address; // throws ObjectDisposedException after Dispose
    }
}
