namespace JitNotebooks;

/// <summary>What kind of instruction carries a placeholder.</summary>
public enum FixupKind
{
    /// <summary><c>lea disp32(%rip),%r64</c>: the article's data address.</summary>
    RipRelativeLea,
    /// <summary><c>jmp rel32</c>.</summary>
    Jump,
    /// <summary><c>jcc rel32</c>.</summary>
    ConditionalJump,
    /// <summary><c>call rel32</c>.</summary>
    Call,
}

/// <summary>
/// A 32-bit placeholder waiting for a label's address: a relocation, in a linker's words.
/// The CPU adds the displacement to the address of the <em>next</em> instruction, so the
/// value to write is <c>target - NextInstructionOffset</c>.
/// </summary>
/// <param name="Kind">The instruction that holds the placeholder.</param>
/// <param name="Target">The label whose address the placeholder needs.</param>
/// <param name="InstructionOffset">Where the instruction starts.</param>
/// <param name="FieldOffset">Where its four displacement bytes start.</param>
/// <param name="NextInstructionOffset">Where the following instruction starts (what RIP holds).</param>
public sealed record Fixup(FixupKind Kind, CodeLabel Target, int InstructionOffset, int FieldOffset, int NextInstructionOffset);

/// <summary>One placeholder as <see cref="CodeBuilder.Patch"/> filled it.</summary>
public sealed record AppliedPatch(Fixup Fixup, long TargetOffset, int Displacement)
{
    public override string ToString() =>
        $"{Fixup.Kind} at 0x{Fixup.InstructionOffset:x}: bytes 0x{Fixup.FieldOffset:x}..0x{Fixup.FieldOffset + 3:x} " +
        $"= 0x{TargetOffset:x} ({Fixup.Target.Name}) - 0x{Fixup.NextInstructionOffset:x} (next instruction) = {Displacement}";
}

/// <summary>The bytes before and after patching, and every placeholder that was filled.</summary>
public sealed record PatchReport(byte[] Before, byte[] After, IReadOnlyList<AppliedPatch> Patches)
{
    /// <summary>The offsets of every byte the patch changed or wrote.</summary>
    public IReadOnlyList<int> PatchedOffsets =>
        Patches.SelectMany(p => Enumerable.Range(p.Fixup.FieldOffset, 4)).ToArray();

    public override string ToString() => string.Join(Environment.NewLine, Patches);
}
