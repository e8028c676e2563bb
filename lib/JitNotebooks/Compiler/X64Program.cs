namespace JitNotebooks.Compiler;

/// <summary>
/// The x64 compiler's output before it is placed in executable memory: the patched program and
/// what the register allocator decided, for a notebook to show.
/// </summary>
/// <param name="Function">The source function.</param>
/// <param name="Code">The program (patched; byte roles and owners for a listing).</param>
/// <param name="RegistersNeeded">Deepest evaluation stack: how many values are alive at once.</param>
/// <param name="ScratchRegisters">The pool the evaluation stack lives in.</param>
/// <param name="SavedRegisters">Callee-saved registers the prologue pushes (and the epilogue pops).</param>
/// <param name="SpillCount">How many spill <c>push</c> instructions the code contains (0 when the pool sufficed).</param>
/// <param name="UsesFramePointer">True when spills move rsp during evaluation, so rbp keeps the frame for the error exit.</param>
public sealed record X64Program(
    ParsedFunction Function,
    CodeBuilder Code,
    int RegistersNeeded,
    IReadOnlyList<Reg64> ScratchRegisters,
    IReadOnlyList<Reg64> SavedRegisters,
    int SpillCount,
    bool UsesFramePointer)
{
    /// <summary>The machine code.</summary>
    public byte[] Bytes => Code.ToArray();
}
