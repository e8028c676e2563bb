using System.Runtime.InteropServices;

namespace JitNotebooks.Compiler;

/// <summary>What the generated code reports besides its value.</summary>
public enum JitStatus : long
{
    /// <summary>The value is the result.</summary>
    Ok = 0,
    /// <summary>A divisor was zero (the code stopped before <c>idiv</c>, which would have raised SIGFPE).</summary>
    DivideByZero = 1,
    /// <summary><c>long.MinValue / -1</c> or <c>long.MinValue % -1</c> (also a SIGFPE from <c>idiv</c>).</summary>
    Overflow = 2,
}

/// <summary>
/// What a compiled function returns: two 8-byte integers. The System V ABI returns a 16-byte
/// struct of two integers in rax (first field) and rdx (second), so the generated code sets
/// rax = value, rdx = status, and C# reads both through <c>delegate* unmanaged&lt;…, JitResult&gt;</c>.
/// Errors travel as data; the managed wrapper (<see cref="CompiledFunction"/>) turns them into
/// exceptions. Nothing is ever thrown from inside machine code.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct JitResult(long Value, JitStatus Status)
{
    /// <summary>
    /// Both registers; on an error the value in rax is whatever the code left there (the wrapper
    /// ignores it), so it is not printed: it would differ from run to run.
    /// </summary>
    public override string ToString() => Status == JitStatus.Ok
        ? $"rax = {Value}, rdx = {(long)Status} ({Status})"
        : $"rax = (not a result), rdx = {(long)Status} ({Status})";
}
