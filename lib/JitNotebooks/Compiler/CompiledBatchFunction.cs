using System.Runtime.InteropServices;

namespace JitNotebooks.Compiler;

/// <summary>What batch code returns: how far it got, and why it stopped.</summary>
/// <param name="RowsCompleted">Rows whose result was written. All of them when <see cref="Status"/> is Ok; otherwise the index of the row that failed.</param>
/// <param name="Status">Ok, or the error of row <see cref="RowsCompleted"/>.</param>
public readonly record struct BatchResult(int RowsCompleted, JitStatus Status);

/// <summary>
/// A function compiled for many inputs per call: the loop over the rows is in the generated code,
/// so the cost of entering native code (the checks, the call, the status) is paid once per batch
/// instead of once per evaluation.
/// </summary>
/// <remarks>
/// <para>Layout: the arguments come row by row in one span, <c>arguments[i * Arity + k]</c> being
/// parameter k of row i (for <c>(a, b, c)</c>: a0 b0 c0 a1 b1 c1 …); row i's value goes to
/// <c>results[i]</c>. The native signature is
/// <c>JitResult f(long* rows, long* results, long count)</c>; the code walks the rows with r13,
/// the results with r14 and counts down in r15 (<see cref="X64Compiler.BatchLoopRegisters"/>), and
/// reads each parameter straight from the row where the expression uses it
/// (<c>imul 0x8(%r13),%r10</c>: x86 arithmetic takes a memory operand).</para>
/// <para>Errors behave like a C# loop: evaluation stops at the first row that divides by zero or
/// overflows, the rows before it have their results written, and the same exception is thrown.
/// <see cref="InvokeRaw"/> tells which row.</para>
/// </remarks>
public sealed unsafe class CompiledBatchFunction
{
    /// <summary>Batches up to this many rows are called without the GC transition (a few microseconds of code at most).</summary>
    public const int ShortBatchRows = 4096;

    private readonly nint _entry;
    private readonly CodeLifetime _lifetime;
    private readonly X64Compiler _compiler;
    private X64Program? _program;

    internal CompiledBatchFunction(ParsedFunction function, IArenaFunction code, CodeLifetime lifetime, X64Program? program, X64Compiler compiler)
    {
        Function = function;
        Code = code;
        Arity = function.Arity;
        _entry = code.Address;
        _lifetime = lifetime;
        _program = program;
        _compiler = compiler;
    }

    public ParsedFunction Function { get; }

    public IArenaFunction Code { get; }

    public int Arity { get; }

    /// <summary>The batch program through <see cref="CodeBuilder"/> (generated again on first use for lean code).</summary>
    public X64Program Program => _program ??= _compiler.GenerateBatch(Function);

    /// <summary>The code as it sits in executable memory, decoded by Iced.</summary>
    public Listing Disassemble(ListingSyntax syntax = ListingSyntax.Att) => Listing.Disassemble(Code.ReadBytes(), syntax: syntax);

    /// <summary>Evaluates every row of <paramref name="arguments"/> into <paramref name="results"/>, in one native call.</summary>
    /// <exception cref="ArgumentException">The lengths do not match (arguments must hold results.Length × Arity values).</exception>
    /// <exception cref="DivideByZeroException">A row divided by zero (the rows before it are written).</exception>
    /// <exception cref="OverflowException">A row computed <c>long.MinValue / -1</c> or <c>% -1</c>.</exception>
    /// <exception cref="ObjectDisposedException">The arena was disposed (or the function freed).</exception>
    public void Invoke(ReadOnlySpan<long> arguments, Span<long> results)
    {
        var result = InvokeRaw(arguments, results);
        switch (result.Status)
        {
            case JitStatus.Ok: return;
            case JitStatus.DivideByZero: throw new DivideByZeroException();
            case JitStatus.Overflow: throw new OverflowException();
            default: throw new InvalidOperationException($"The generated code returned unknown status {(long)result.Status}.");
        }
    }

    /// <summary>Like <see cref="Invoke"/>, but returns how far it got and the status instead of throwing.</summary>
    public BatchResult InvokeRaw(ReadOnlySpan<long> arguments, Span<long> results)
    {
        if (arguments.Length != (long)results.Length * Arity)
            throw new ArgumentException(
                $"{Function} takes {Arity} argument(s) per row, so {results.Length} result(s) need {(long)results.Length * Arity} " +
                $"arguments laid out row by row, but {arguments.Length} were given.", nameof(arguments));
        if (_lifetime.Ended) _ = Code.Pointer; // throws ObjectDisposedException, saying why
        if (results.IsEmpty) return new BatchResult(0, JitStatus.Ok);
        if (NativePlatform.IsEmulated || Emulation.EmulatedExecution.Owns(_entry))
            return InvokeEmulated(arguments, results);
        JitResult raw;
        fixed (long* rows = arguments)
        fixed (long* output = results)
        {
            // Without the GC transition a collection waits until the loop ends: fine for a short
            // batch, not for millions of rows, where the transition's few nanoseconds do not matter.
            raw = results.Length <= ShortBatchRows
                ? ((delegate* unmanaged[SuppressGCTransition]<long*, long*, long, JitResult>)_entry)(rows, output, results.Length)
                : ((delegate* unmanaged<long*, long*, long, JitResult>)_entry)(rows, output, results.Length);
        }
        // rax = rows not done, counting the one that failed.
        return new BatchResult(results.Length - (int)raw.Value, raw.Status);
    }

    /// <summary>
    /// The same loop in the emulator: the rows and the results are copied into emulated memory
    /// (the code reads and writes them through the pointers it is given), then the results back.
    /// </summary>
    private BatchResult InvokeEmulated(ReadOnlySpan<long> arguments, Span<long> results)
    {
        const ulong RowsAt = 0x1000_0000, ResultsAt = 0x2000_0000;
        NativePlatform.EnterCallPath();
        var emulator = new Emulation.Emulator();
        emulator.Load(Code.ReadBytes());
        emulator.Memory.Map(RowsAt, System.Runtime.InteropServices.MemoryMarshal.AsBytes(arguments), Protection.Read, "the rows");
        emulator.Memory.Map(ResultsAt, results.Length * sizeof(long), Protection.Read | Protection.Write, "the results");
        emulator.PrepareCall((long)RowsAt, (long)ResultsAt, results.Length);
        var run = emulator.Continue();
        emulator.Memory.ReadBytes(ResultsAt, results.Length * sizeof(long)).AsSpan()
            .CopyTo(System.Runtime.InteropServices.MemoryMarshal.AsBytes(results));
        return new BatchResult(results.Length - (int)run.ReturnValue, (JitStatus)run.SecondReturnValue);
    }

    public override string ToString() => $"{Function}, batch code at {Code}";
}
