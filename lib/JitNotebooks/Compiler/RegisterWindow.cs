namespace JitNotebooks.Compiler;

/// <summary>
/// The x64 compiler's register allocator: the evaluation stack of a stack machine, whose top
/// entries live in a fixed pool of registers. Entry <c>i</c> (0 = bottom) always lives in
/// <c>pool[i % k]</c>. When a push needs the register of an entry <c>k</c> places below, that
/// older entry is spilled with a <c>push</c> to the machine stack; when the window slides back down,
/// it returns with a <c>pop</c>. Spills and reloads therefore pair up in LIFO order, like the
/// expression's own nesting, and the register holding an operand never changes while it waits.
/// </summary>
internal sealed class RegisterWindow(Reg64[] pool)
{
    private int _depth;

    /// <summary>Entries on the evaluation stack now.</summary>
    public int Depth => _depth;

    /// <summary>How many spill <c>push</c> instructions were emitted.</summary>
    public int SpillCount { get; private set; }

    /// <summary>The register of the top entry.</summary>
    public Reg64 Top => RegisterOf(_depth - 1);

    /// <summary>The register of the entry below the top (the left operand of a binary operation).</summary>
    public Reg64 BelowTop => RegisterOf(_depth - 2);

    /// <summary>Makes room for a new top entry and returns its register, spilling the entry that owned it.</summary>
    public Reg64 Push<TEmitter>(ref TEmitter code) where TEmitter : struct, IX64Emitter
    {
        if (_depth >= pool.Length)
        {
            code.Push(RegisterOf(_depth - pool.Length)); // spill: entry depth-k leaves the window
            SpillCount++;
        }
        return RegisterOf(_depth++);
    }

    /// <summary>Drops the top entry; reloads the entry that comes back into the window, if any.</summary>
    public void Pop<TEmitter>(ref TEmitter code) where TEmitter : struct, IX64Emitter
    {
        _depth--;
        if (_depth >= pool.Length) code.Pop(RegisterOf(_depth - pool.Length)); // reload into the freed register
    }

    private Reg64 RegisterOf(int entry) =>
        entry >= 0 ? pool[entry % pool.Length] : throw new InvalidOperationException("The evaluation stack is empty.");
}
