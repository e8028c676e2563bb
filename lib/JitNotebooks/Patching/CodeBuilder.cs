using System.Buffers.Binary;

namespace JitNotebooks;

/// <summary>
/// Step 3 of the course: a tiny assembler that lays out bytes, leaves zero placeholders where an
/// address is not known yet, and fills them in once it is (<see cref="Patch"/>). This is what a
/// linker does with relocations, done on one buffer.
/// </summary>
/// <remarks>
/// Every emit method returns the builder, so a program reads top to bottom like a listing.
/// Each byte is tagged with a <see cref="ByteRole"/> so a notebook can chart the program.
/// </remarks>
public sealed class CodeBuilder
{
    private readonly List<byte> _bytes = [];
    private readonly List<CodeLabel> _labels = [];
    private readonly List<Fixup> _fixups = [];
    private readonly List<RoleSpan> _roles = [];
    private PatchReport? _report;

    /// <summary>The offset the next byte will be written at.</summary>
    public int Position => _bytes.Count;

    /// <summary>The bytes so far (placeholders still zero until <see cref="Patch"/>).</summary>
    public byte[] ToArray() => [.. _bytes];

    /// <summary>Every placeholder emitted so far, in order.</summary>
    public IReadOnlyList<Fixup> Fixups => _fixups;

    /// <summary>Every label created so far.</summary>
    public IReadOnlyList<CodeLabel> Labels => _labels;

    /// <summary>What each run of bytes is for, in order.</summary>
    public IReadOnlyList<RoleSpan> Roles => _roles;

    /// <summary>Where the last instruction ends and data begins, if <see cref="MarkCodeEnd"/> was called.</summary>
    public int? CodeEnd { get; private set; }

    /// <summary>True once <see cref="Patch"/> has run; the bytes are final then.</summary>
    public bool IsPatched => _report is not null;

    /// <summary>The result of <see cref="Patch"/>, once it has run.</summary>
    public PatchReport? Report => _report;

    // ---- labels ----------------------------------------------------------------------------

    /// <summary>Creates a label that is not bound to any place yet.</summary>
    public CodeLabel CreateLabel(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var label = new CodeLabel(this, name);
        _labels.Add(label);
        return label;
    }

    /// <summary>Binds <paramref name="label"/> to the current position.</summary>
    /// <exception cref="LabelAlreadyBoundException">The label was bound before.</exception>
    public CodeBuilder Bind(CodeLabel label) => BindAt(label, Position);

    /// <summary>
    /// Binds <paramref name="label"/> to an offset outside this buffer, measured from the start
    /// of the code: for data or code that lives elsewhere (another mapping, say).
    /// </summary>
    public CodeBuilder BindExternal(CodeLabel label, long offsetFromCodeStart) => BindAt(label, offsetFromCodeStart);

    private CodeBuilder BindAt(CodeLabel label, long offset)
    {
        ThrowIfPatched();
        CheckOwned(label);
        if (label.IsBound)
            throw new LabelAlreadyBoundException(
                $"Label '{label.Name}' is already bound at 0x{label.Offset:x}; a label marks one place. " +
                $"Create a second label with CreateLabel(...) for the other place.");
        label.Offset = offset;
        return this;
    }

    // ---- raw bytes -------------------------------------------------------------------------

    /// <summary>Appends bytes with the given role (instruction bytes you encoded yourself, say).</summary>
    public CodeBuilder Emit(ByteRole role, string owner, params byte[] bytes)
    {
        ThrowIfPatched();
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length == 0) return this;
        _roles.Add(new RoleSpan(Position, bytes.Length, role, owner));
        _bytes.AddRange(bytes);
        return this;
    }

    /// <summary>Appends bytes of an instruction you encoded yourself.</summary>
    public CodeBuilder Emit(params byte[] bytes) => Emit(ByteRole.Other, "bytes", bytes);

    /// <summary>Appends data (never executed: it must sit after a <c>ret</c> or a jump).</summary>
    public CodeBuilder EmitData(byte[] data, string name = "data") => Emit(ByteRole.Data, name, data);

    /// <summary>Appends text as ASCII data, as the article stores "Hello World!".</summary>
    public CodeBuilder EmitAscii(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Any(c => c > 0x7F))
            throw new ArgumentException(
                $"EmitAscii takes ASCII only; \"{text}\" has a character above 0x7F. Encode it yourself " +
                "(for example Encoding.UTF8.GetBytes) and call EmitData.", nameof(text));
        return EmitData(text.Select(c => (byte)c).ToArray(), $"\"{text}\"");
    }

    /// <summary>
    /// Pads with <paramref name="filler"/> until the position is a multiple of
    /// <paramref name="alignment"/>. The default filler is <c>0xcc</c> (<c>int3</c>, a breakpoint):
    /// if the CPU ever ran into it, the program would stop loudly instead of running garbage.
    /// </summary>
    public CodeBuilder Align(int alignment, byte filler = 0xCC)
    {
        if (alignment < 1)
            throw new ArgumentOutOfRangeException(nameof(alignment), alignment, "Alignment must be 1 or more bytes.");
        int pad = (alignment - Position % alignment) % alignment;
        return Emit(ByteRole.Filler, "filler", Enumerable.Repeat(filler, pad).ToArray());
    }

    /// <summary>Records that code ends here and data follows (listings show the rest as data).</summary>
    public CodeBuilder MarkCodeEnd()
    {
        ThrowIfPatched();
        CodeEnd = Position;
        return this;
    }

    // ---- instructions ----------------------------------------------------------------------

    /// <summary><c>mov $imm32,%reg</c> (7 bytes), encoded by <see cref="MovImm32"/>.</summary>
    public CodeBuilder MovImm32(Reg64 reg, int value)
    {
        var enc = JitNotebooks.MovImm32.Encode(reg, value);
        string owner = enc.Att;
        Emit(ByteRole.Rex, owner, enc.Rex);
        Emit(ByteRole.Opcode, owner, enc.Opcode);
        Emit(ByteRole.ModRM, owner, enc.ModRM);
        return Emit(ByteRole.Immediate, owner, enc.ImmediateBytes);
    }

    /// <summary>
    /// <c>lea disp32(%rip),%reg</c> with a zero placeholder for disp32, to be filled by
    /// <see cref="Patch"/> with <c>label - next instruction</c>. 7 bytes: REX.W 8D ModRM disp32.
    /// </summary>
    public CodeBuilder LeaRipRelative(Reg64 reg, CodeLabel label)
    {
        CheckOwned(label);
        byte rex = (byte)(0x48 | (reg.NeedsRexBit() ? 0b0100 : 0)); // REX.R: the register is in ModRM.reg
        byte modrm = (byte)(0b00_000_101 | (reg.Low3() << 3));       // mod=00 rm=101: [rip + disp32]
        string owner = $"lea    {label.Name}(%rip),{reg.AttName()}";
        int start = Position;
        Emit(ByteRole.Rex, owner, rex);
        Emit(ByteRole.Opcode, owner, 0x8D);
        Emit(ByteRole.ModRM, owner, modrm);
        return Placeholder(FixupKind.RipRelativeLea, label, start, owner);
    }

    /// <summary><c>jmp rel32</c> to a label (E9 rel32).</summary>
    public CodeBuilder Jmp(CodeLabel label)
    {
        CheckOwned(label);
        int start = Position;
        Emit(ByteRole.Opcode, $"jmp    {label.Name}", 0xE9);
        return Placeholder(FixupKind.Jump, label, start, $"jmp    {label.Name}");
    }

    /// <summary><c>jcc rel32</c> to a label (0F 80+cc rel32).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The condition is not one of the sixteen (0–15).</exception>
    public CodeBuilder Jcc(JumpCondition condition, CodeLabel label)
    {
        CheckOwned(label);
        // Mnemonic() refuses values above 15, which 0x80 | cc would silently turn into another opcode.
        string owner = $"{condition.Mnemonic(),-6} {label.Name}";
        int start = Position;
        Emit(ByteRole.Opcode, owner, 0x0F, (byte)(0x80 | (byte)condition));
        return Placeholder(FixupKind.ConditionalJump, label, start, owner);
    }

    /// <summary><c>call rel32</c> to a label (E8 rel32).</summary>
    public CodeBuilder Call(CodeLabel label)
    {
        CheckOwned(label);
        int start = Position;
        Emit(ByteRole.Opcode, $"call   {label.Name}", 0xE8);
        return Placeholder(FixupKind.Call, label, start, $"call   {label.Name}");
    }

    /// <summary><c>syscall</c> (0F 05): enter the kernel; it clobbers rcx and r11.</summary>
    public CodeBuilder Syscall() => Emit(ByteRole.Syscall, "syscall", 0x0F, 0x05);

    /// <summary><c>ret</c> (C3): pop the return address and jump to it.</summary>
    public CodeBuilder Ret() => Emit(ByteRole.Ret, "ret", 0xC3);

    /// <summary><c>int3</c> (CC): a breakpoint trap. Not a no-op.</summary>
    public CodeBuilder Int3() => Emit(ByteRole.Filler, "int3", 0xCC);

    // ---- the patch -------------------------------------------------------------------------

    /// <summary>
    /// Fills every placeholder with <c>target - next instruction</c>. Runs once: afterwards the
    /// bytes are final.
    /// </summary>
    /// <exception cref="UnboundLabelException">A placeholder refers to a label never bound.</exception>
    /// <exception cref="DisplacementOutOfRangeException">A target is beyond ±2 GiB.</exception>
    /// <exception cref="AlreadyPatchedException">Patch already ran.</exception>
    public PatchReport Patch()
    {
        ThrowIfPatched();
        // Check everything before writing anything, so a failed patch leaves the bytes untouched.
        var unbound = _fixups.Select(f => f.Target).Where(l => !l.IsBound).Distinct().ToList();
        if (unbound.Count > 0)
            throw new UnboundLabelException(
                $"Cannot patch: label{(unbound.Count > 1 ? "s" : "")} {string.Join(", ", unbound.Select(l => $"'{l.Name}'"))} " +
                $"{(unbound.Count > 1 ? "are" : "is")} used but never bound. Call Bind(label) where the target is.");

        var applied = new List<AppliedPatch>(_fixups.Count);
        foreach (var fixup in _fixups)
        {
            long target = fixup.Target.Offset!.Value;
            long displacement = target - fixup.NextInstructionOffset;
            if (displacement is < int.MinValue or > int.MaxValue)
                throw new DisplacementOutOfRangeException(
                    $"Cannot patch {fixup.Kind} at 0x{fixup.InstructionOffset:x}: label '{fixup.Target.Name}' at " +
                    $"0x{target:x} is {displacement} bytes from the next instruction, beyond the ±2 GiB a signed " +
                    $"32-bit displacement reaches. Place the target nearer, or load its full address with movabs.");
            applied.Add(new AppliedPatch(fixup, target, (int)displacement));
        }

        var before = ToArray();
        var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_bytes);
        foreach (var patch in applied)
            BinaryPrimitives.WriteInt32LittleEndian(span.Slice(patch.Fixup.FieldOffset, 4), patch.Displacement);
        _report = new PatchReport(before, ToArray(), applied);
        return _report;
    }

    private CodeBuilder Placeholder(FixupKind kind, CodeLabel label, int instructionStart, string owner)
    {
        int field = Position;
        Emit(ByteRole.Displacement, owner, 0, 0, 0, 0);
        _fixups.Add(new Fixup(kind, label, instructionStart, field, Position));
        return this;
    }

    private void CheckOwned(CodeLabel label)
    {
        ArgumentNullException.ThrowIfNull(label);
        if (!ReferenceEquals(label.Owner, this))
            throw new ArgumentException(
                $"Label '{label.Name}' belongs to another CodeBuilder; create it with this builder's CreateLabel.",
                nameof(label));
    }

    private void ThrowIfPatched()
    {
        if (_report is not null)
            throw new AlreadyPatchedException(
                "This CodeBuilder has already been patched and its bytes are final. " +
                "Build a new CodeBuilder to change the program.");
    }
}
