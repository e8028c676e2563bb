using System.Runtime.InteropServices;

namespace JitNotebooks;

/// <summary>
/// A C# method that machine code can call (notebook 07). It lives here, not in a notebook cell,
/// because a lesson declares no types; the notebook shows its source in prose.
/// </summary>
public static unsafe class SampleCallbacks
{
    private static int _calls;

    /// <summary>How many times machine code has called <see cref="Square"/> since <see cref="ResetCalls"/>.</summary>
    public static int Calls => Volatile.Read(ref _calls);

    /// <summary>Sets <see cref="Calls"/> back to 0.</summary>
    public static void ResetCalls() => Volatile.Write(ref _calls, 0);

    /// <summary>x², callable from native code: [UnmanagedCallersOnly] gives it a System V entry point.</summary>
    [UnmanagedCallersOnly]
    public static long Square(long x)
    {
        Interlocked.Increment(ref _calls);
        return unchecked(x * x);
    }

    /// <summary>The native entry point of <see cref="Square"/>, to bake into machine code.</summary>
    public static nint SquareAddress => (nint)(delegate* unmanaged<long, long>)&Square;
}
