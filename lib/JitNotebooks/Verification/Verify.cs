using System.Globalization;
using Iced.Intel;
using JitNotebooks.Compiler;

namespace JitNotebooks.Verification;

/// <summary>
/// One call per idea that a lesson checks: the bytes against Iced, against the article, against
/// the kernel's view of memory, against a reference implementation. Each call returns a one-line
/// <see cref="Verdict"/> (<c>✓ …</c>) that a cell can end on, or throws a
/// <see cref="VerificationFailedException"/> whose text is the one-line <c>✗ …</c> reason, so a
/// failed check turns the cell (and the headless run) red without printing a stack trace.
/// </summary>
public static class Verify
{
    private const int ListedInstructions = 8; // a verdict names at most this many instructions

    // ---- Iced as the referee ----------------------------------------------------------------

    /// <summary>
    /// Iced decodes every byte of <paramref name="code"/> into valid instructions; when
    /// <paramref name="expected"/> is given, they must read exactly so, in order, in the listings'
    /// AT&amp;T syntax (<c>"mov $0x1,%rax"</c>; spacing, case and <c># target</c> comments are ignored).
    /// </summary>
    public static Verdict WithIced(byte[] code, params string[] expected)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(expected);
        if (code.Length == 0) return Fail("there are no bytes to decode");
        var lines = Listing.Disassemble(code).Lines;
        FailOnInvalid(lines);
        var texts = lines.Select(l => IcedText.Tidy(l.Text)).ToList();
        if (expected.Length > 0)
        {
            CompareTexts(texts, lines.Select(l => l.Offset).ToList(), expected);
            return Pass($"Iced reads {Count(texts.Count, "instruction")} as expected: {Join(texts)}");
        }
        return Pass($"Iced decodes {Count(texts.Count, "instruction")}: {Join(texts)}");
    }

    /// <summary>
    /// Iced agrees with what the library says <paramref name="program"/> is: the code (up to
    /// <see cref="CodeBuilder.CodeEnd"/>) decodes into valid instructions that start exactly where the
    /// library's instructions start; Iced re-encodes each one to the same bytes; every jump lands on
    /// the start of an instruction; and every patched placeholder reaches its label. With
    /// <paramref name="expected"/>, the instructions must also read so (see <see cref="WithIced(byte[], string[])"/>).
    /// </summary>
    public static Verdict WithIced(CodeBuilder program, params string[] expected)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(expected);
        if (program.Fixups.Count > 0 && !program.IsPatched)
            return Fail($"the program still has {Count(program.Fixups.Count, "zero placeholder")}; call Patch() before checking it");
        byte[] bytes = program.ToArray();
        int codeEnd = program.CodeEnd ?? bytes.Length;
        if (codeEnd == 0) return Fail("the program has no code to decode");
        byte[] code = bytes[..codeEnd];

        var lines = Listing.Disassemble(code).Lines;
        FailOnInvalid(lines);
        var decoded = IcedBytes.Decode(code);
        var starts = decoded.Select(i => (int)i.IP).ToList();
        CompareBoundaries(program, codeEnd, starts, lines);
        foreach (var instruction in decoded) FailIfReencodedDifferently(instruction, code);
        FailOnStrayJumps(decoded, starts, lines);
        string reach = CheckFixups(program, bytes);

        var texts = lines.Select(l => IcedText.Tidy(l.Text)).ToList();
        if (expected.Length > 0) CompareTexts(texts, starts, expected);
        int data = bytes.Length - codeEnd;
        return Pass($"Iced agrees with the library: {Count(decoded.Count, "instruction")} in {codeEnd} bytes" +
                    (data > 0 ? $", then {data} bytes of data" : "") +
                    (reach.Length > 0 ? $"; {reach}" : "") +
                    (expected.Length > 0 ? $"; they read as expected: {Join(texts)}" : ""));
    }

    /// <summary>
    /// <see cref="WithIced(CodeBuilder, string[])"/> for the expression compiler's output: Iced
    /// agrees instruction by instruction, re-encodes every one identically, and every jump lands.
    /// </summary>
    public static Verdict WithIced(X64Program program)
    {
        ArgumentNullException.ThrowIfNull(program);
        return WithIced(program.Code);
    }

    /// <summary>
    /// Iced, given the same instructions, encodes exactly <paramref name="ours"/>: e.g.
    /// <c>Verify.SameAsIced(MovImm32.Encode(Reg64.Rax, 1).Bytes, Instruction.Create(Code.Mov_rm64_imm32, Register.RAX, 1))</c>.
    /// The instructions are encoded one after the other from offset 0.
    /// </summary>
    public static Verdict SameAsIced(byte[] ours, params Instruction[] instructions)
    {
        ArgumentNullException.ThrowIfNull(ours);
        ArgumentNullException.ThrowIfNull(instructions);
        if (instructions.Length == 0) return Fail("no instructions were given for Iced to encode");
        byte[] iced = IcedBytes.Encode(instructions);
        string what = instructions.Length == 1
            ? IcedText.ByOffset(iced)[0]
            : $"the {instructions.Length} instructions";
        FailIfDifferent(ours, iced, "ours", "Iced's");
        return Pass($"Iced encodes {what} as the same {Count(iced.Length, "byte")} as ours: {Hex(iced)}");
    }

    /// <summary>
    /// The instruction at <paramref name="instructionOffset"/> reaches <paramref name="target"/>
    /// as Iced computes it: its RIP-relative address (<c>lea</c>) or its branch target (<c>jmp</c>,
    /// <c>jcc</c>, <c>call</c>), counted from the end of the instruction as the CPU does.
    /// </summary>
    public static Verdict Reaches(byte[] code, int instructionOffset, long target)
    {
        ArgumentNullException.ThrowIfNull(code);
        if (instructionOffset < 0 || instructionOffset >= code.Length)
            return Fail($"offset 0x{instructionOffset:x} is outside the {code.Length} bytes");
        var instruction = IcedBytes.DecodeAt(code, instructionOffset);
        if (instruction.IsInvalid) return Fail($"Iced cannot decode an instruction at 0x{instructionOffset:x}");
        string text = IcedText.WithoutComment(Listing.Disassemble(code[instructionOffset..(instructionOffset + instruction.Length)]).Lines[0].Text);
        long? reached = TargetOf(instruction);
        if (reached is null) return Fail($"{text} at 0x{instructionOffset:x} has no RIP-relative operand or branch target");
        if (reached != target)
            return Fail($"{text} at 0x{instructionOffset:x} reaches 0x{reached:x}, not 0x{target:x} " +
                        $"(the CPU counts from the next instruction, 0x{instruction.NextIP:x})");
        return Pass($"Iced: {text} at 0x{instructionOffset:x} reaches 0x{target:x}, counted from the next instruction at 0x{instruction.NextIP:x}");
    }

    /// <summary>
    /// Iced's instruction info agrees that the single instruction in <paramref name="code"/> writes
    /// every register in <paramref name="registers"/> (e.g. <c>syscall</c> overwrites rcx and r11),
    /// read from Iced's table of each instruction's register accesses, not from ours.
    /// </summary>
    public static Verdict Overwrites(byte[] code, params Reg64[] registers)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(registers);
        var decoded = IcedBytes.Decode(code);
        if (decoded.Count != 1 || decoded[0].IsInvalid) return Fail($"expected the bytes of one instruction, Iced reads {Count(decoded.Count, "instruction")}");
        var written = new InstructionInfoFactory().GetInfo(decoded[0]).GetUsedRegisters()
            .Where(u => u.Access is OpAccess.Write or OpAccess.ReadWrite or OpAccess.CondWrite or OpAccess.ReadCondWrite)
            .Select(u => u.Register.GetFullRegister()).Distinct().ToList();
        string text = IcedText.Tidy(Listing.Disassemble(code).Lines[0].Text);
        var missing = registers.Where(r => !written.Contains(r.ToIced())).Select(r => r.IntelName()).ToList();
        if (missing.Count > 0)
            return Fail($"Iced says {text} does not write {string.Join(", ", missing)}; it writes {string.Join(", ", written.Select(Name))}");
        return Pass($"Iced: {text} writes {string.Join(", ", written.Select(Name))}");
    }

    /// <summary>
    /// Iced's reading of which registers the instructions write, in order: every instruction whose
    /// first operand is a register counts (a <c>syscall</c> or <c>ret</c> has none and is skipped).
    /// </summary>
    public static Verdict FillsRegisters(byte[] code, params Reg64[] destinations)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(destinations);
        var lines = Listing.Disassemble(code).Lines;
        FailOnInvalid(lines);
        var filled = IcedBytes.Decode(code)
            .Where(i => i.OpCount > 0 && i.Op0Kind == OpKind.Register)
            .Select(i => (i.IP, Register: i.Op0Register, Text: IcedText.Tidy(lines.Single(l => l.Offset == (int)i.IP).Text)))
            .ToList();
        for (int k = 0; k < Math.Min(filled.Count, destinations.Length); k++)
            if (filled[k].Register != destinations[k].ToIced())
                return Fail($"instruction {k + 1} ({filled[k].Text}) fills {Name(filled[k].Register)}, expected {destinations[k].IntelName()}");
        if (filled.Count != destinations.Length)
            return Fail($"Iced finds {Count(filled.Count, "register write")} ({string.Join(", ", filled.Select(f => Name(f.Register)))}), " +
                        $"expected {destinations.Length} ({string.Join(", ", destinations.Select(d => d.IntelName()))})");
        return Pass($"Iced: the instructions fill {string.Join(", ", destinations.Select(d => d.IntelName()))} in that order");
    }

    /// <summary>
    /// No instruction except the final <c>ret</c> touches the stack: no <c>push</c>, no <c>sub $n,%rsp</c>,
    /// nothing that reads or writes rsp. A leaf function without a frame passes.
    /// </summary>
    public static Verdict NoStackFrame(byte[] code)
    {
        ArgumentNullException.ThrowIfNull(code);
        FailOnInvalid(Listing.Disassemble(code).Lines);
        var texts = IcedText.ByOffset(code);
        var users = IcedBytes.Decode(code)
            .Where(i => i.Mnemonic != Mnemonic.Ret && TouchesStack(i))
            .Select(i => texts[(int)i.IP])
            .ToList();
        return users.Count == 0
            ? Pass("Iced: no instruction touches rsp except ret, so there is no stack frame")
            : Fail($"{Count(users.Count, "instruction")} touch the stack: {Join(users)}");
    }

    /// <summary><see cref="NoStackFrame(byte[])"/> for a builder's code.</summary>
    public static Verdict NoStackFrame(CodeBuilder program)
    {
        ArgumentNullException.ThrowIfNull(program);
        return NoStackFrame(CodeOf(program));
    }

    /// <summary>
    /// Following rsp from the System V entry state (8 below a multiple of 16), rsp is a multiple of
    /// 16 at every <c>call</c> and back at its entry value at every <c>ret</c> (see <see cref="RspWalk"/>).
    /// </summary>
    public static Verdict StackAlignedAtCalls(byte[] code)
    {
        ArgumentNullException.ThrowIfNull(code);
        FailOnInvalid(Listing.Disassemble(code).Lines);
        var steps = RspWalk.Of(code);
        foreach (var call in steps.Where(s => s.Kind == RspStepKind.Call && s.AlignmentBefore != 0))
            return Fail($"at {call.Instruction} (0x{call.Offset:x}) rsp mod 16 = {call.AlignmentBefore}, but a call needs 0");
        foreach (var ret in steps.Where(s => s.Kind == RspStepKind.Return && s.Before != 0))
            return Fail($"at ret (0x{ret.Offset:x}) rsp is {-ret.Before} bytes below its entry value: the stack is unbalanced");
        var calls = steps.Where(s => s.Kind == RspStepKind.Call).ToList();
        string where = string.Join(", ", calls.Select(c => $"{c.Instruction} at 0x{c.Offset:x}"));
        return Pass(calls.Count == 0
            ? "no calls; rsp is back at its entry value at ret"
            : $"rsp mod 16 = 0 at {where}, and rsp is back at its entry value at ret");
    }

    /// <summary><see cref="StackAlignedAtCalls(byte[])"/> for a builder's code.</summary>
    public static Verdict StackAlignedAtCalls(CodeBuilder program)
    {
        ArgumentNullException.ThrowIfNull(program);
        return StackAlignedAtCalls(CodeOf(program));
    }

    // ---- bytes and values --------------------------------------------------------------------

    /// <summary>
    /// Byte for byte equality, naming the first difference: e.g.
    /// <c>Verify.SameBytes(program.ToArray(), articleBytes, "ours", "the article's")</c>.
    /// </summary>
    public static Verdict SameBytes(byte[] actual, byte[] expected, string actualName = "ours", string expectedName = "the expected")
    {
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(expected);
        FailIfDifferent(actual, expected, actualName, expectedName);
        return Pass($"{actualName} and {expectedName} bytes are the same {Count(actual.Length, "byte")}: {Abbreviated(actual)}");
    }

    /// <summary>
    /// The patch changed nothing outside its placeholders: every byte that differs between
    /// <see cref="PatchReport.Before"/> and <see cref="PatchReport.After"/> lies in a displacement field.
    /// </summary>
    public static Verdict PatchStaysInFields(PatchReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var fields = report.PatchedOffsets.ToHashSet();
        if (report.Before.Length != report.After.Length)
            return Fail($"the patch changed the program's length from {report.Before.Length} to {report.After.Length} bytes");
        var changed = Enumerable.Range(0, report.After.Length).Where(i => report.Before[i] != report.After[i]).ToList();
        var outside = changed.Where(i => !fields.Contains(i)).ToList();
        if (outside.Count > 0)
            return Fail($"the patch changed byte 0x{outside[0]:x}, outside every placeholder field");
        string fieldList = string.Join(", ", report.Patches.Select(p => $"0x{p.Fixup.FieldOffset:x}..0x{p.Fixup.FieldOffset + 3:x}"));
        return Pass($"the patch changed {Count(changed.Count, "byte")} ({string.Join(", ", changed.Select(i => $"0x{i:x}"))}), " +
                    $"all inside its placeholder field{(report.Patches.Count == 1 ? "" : "s")} {fieldList}");
    }

    /// <summary><paramref name="actual"/> equals <paramref name="expected"/>; <paramref name="what"/> names the value in the verdict.</summary>
    public static Verdict Equal<T>(T actual, T expected, string what)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(what);
        return EqualityComparer<T>.Default.Equals(actual, expected)
            ? Pass($"{what} = {Show(expected)}")
            : Fail($"{what} is {Show(actual)}, expected {Show(expected)}");
    }

    /// <summary>
    /// <paramref name="action"/> is refused with a <typeparamref name="TException"/>; the verdict shows its
    /// message (one line, no stack trace), so a lesson can show a library's error without the cell failing.
    /// It fails when nothing is thrown, or another exception is.
    /// </summary>
    public static Verdict Throws<TException>(Action action) where TException : Exception
    {
        ArgumentNullException.ThrowIfNull(action);
        try
        {
            action();
        }
        catch (TException e)
        {
            return Pass($"refused with {e.GetType().Name}: {e.Message}");
        }
        catch (Exception e) when (e is not VerificationFailedException)
        {
            return Fail($"expected {typeof(TException).Name}, but it threw {e.GetType().Name}: {e.Message}");
        }
        return Fail($"expected {typeof(TException).Name}, but it ran without an error");
    }

    /// <summary>A claim that must hold; the verdict repeats it (<c>✓ claim</c> or <c>✗ not so: claim</c>).</summary>
    public static Verdict That(bool condition, string claim)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(claim);
        return condition ? Pass(claim) : Fail($"not so: {claim}");
    }

    /// <summary>
    /// Two implementations give the same outcome on every input: the same value, or an exception
    /// of the same type (so a JIT'd division by zero must fail exactly as C# does).
    /// </summary>
    public static Verdict SameResults<TInput, TResult>(
        IEnumerable<TInput> inputs, Func<TInput, TResult> ours, Func<TInput, TResult> reference,
        string oursName = "ours", string referenceName = "the reference")
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(ours);
        ArgumentNullException.ThrowIfNull(reference);
        int count = 0, threw = 0;
        foreach (var input in inputs)
        {
            var (mine, theirs) = (Outcome(() => ours(input)), Outcome(() => reference(input)));
            if (mine != theirs)
                return Fail($"on {Show(input)}: {oursName} gives {mine}, {referenceName} gives {theirs}");
            count++;
            if (mine.StartsWith("throws ", StringComparison.Ordinal)) threw++;
        }
        if (count == 0) return Fail("no inputs were given to compare on");
        return Pass($"{oursName} and {referenceName} agree on all {Count(count, "input")}" +
                    (threw > 0 ? $" ({threw} of them throw, identically)" : ""));
    }

    // ---- memory and running --------------------------------------------------------------------

    /// <summary>The kernel's own view: /proc/self/maps shows <paramref name="expected"/> (e.g. <c>"rw-p"</c>) for all of the mapping.</summary>
    public static Verdict Permissions(WritableMemory memory, string expected)
    {
        ArgumentNullException.ThrowIfNull(memory);
        return Permissions(memory.Address, memory.MappedSize, expected);
    }

    /// <summary>The kernel's own view: /proc/self/maps shows <paramref name="expected"/> (e.g. <c>"r-xp"</c>) for all of the mapping.</summary>
    public static Verdict Permissions(ExecutableMemory memory, string expected)
    {
        ArgumentNullException.ThrowIfNull(memory);
        return Permissions(memory.Address, memory.MappedSize, expected);
    }

    /// <summary>
    /// Runs the (patched) program as a function and compares what it wrote to fd 1 with
    /// <paramref name="expected"/>. The output is captured, never written to the real stdout.
    /// </summary>
    public static Verdict Prints(CodeBuilder program, string expected)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(expected);
        if (program.Fixups.Count > 0 && !program.IsPatched)
            return Fail($"the program still has {Count(program.Fixups.Count, "zero placeholder")}; call Patch() before running it");
        var run = LearnerCode.Run(program.ToArray());
        return run.Status == LearnerRunStatus.Returned
            ? ComparePrinted(run.Output, expected)
            : Fail($"the program did not return: {run.Detail}");
    }

    /// <summary>Calls the code in <paramref name="memory"/> and compares what it wrote to fd 1 with <paramref name="expected"/>.</summary>
    public static Verdict Prints(ExecutableMemory memory, string expected)
    {
        ArgumentNullException.ThrowIfNull(memory);
        ArgumentNullException.ThrowIfNull(expected);
        return ComparePrinted(memory.RunCapturingStdout().Bytes, expected);
    }

    // ---- the parts ------------------------------------------------------------------------------

    private static Verdict Pass(string text) => Verdict.Pass(text);

    private static Verdict Fail(string text) => throw new VerificationFailedException(Verdict.Fail(text));

    private static void FailOnInvalid(IReadOnlyList<ListingLine> lines)
    {
        var bad = lines.FirstOrDefault(l => l.Kind == ListingLineKind.Invalid);
        if (bad is not null)
            Fail($"Iced cannot decode the bytes at 0x{bad.Offset:x} ({bad.HexBytes}) as an instruction");
    }

    private static void CompareTexts(IReadOnlyList<string> texts, IReadOnlyList<int> offsets, string[] expected)
    {
        for (int i = 0; i < Math.Min(texts.Count, expected.Length); i++)
            if (IcedText.Comparable(texts[i]) != IcedText.Comparable(expected[i]))
                Fail($"instruction {i + 1} at 0x{offsets[i]:x}: Iced reads \"{texts[i]}\", expected \"{expected[i]}\"");
        if (texts.Count != expected.Length)
            Fail($"Iced reads {Count(texts.Count, "instruction")} ({Join(texts)}), expected {expected.Length}");
    }

    /// <summary>Where the library's instructions start must be exactly where Iced's do.</summary>
    private static void CompareBoundaries(CodeBuilder program, int codeEnd, List<int> icedStarts, IReadOnlyList<ListingLine> lines)
    {
        var ours = InstructionStarts(program, codeEnd);
        if (ours.Count == 0) return; // bytes added without roles: nothing to compare with
        var onlyOurs = ours.Except(icedStarts).ToList();
        if (onlyOurs.Count > 0)
        {
            int at = onlyOurs[0];
            var inside = lines.Last(l => l.Offset < at);
            Fail($"the library starts an instruction at 0x{at:x} ({OwnerAt(program, at)}), but Iced reads " +
                 $"\"{IcedText.Tidy(inside.Text)}\" across it, from 0x{inside.Offset:x}");
        }
        var onlyIced = icedStarts.Except(ours).ToList();
        if (onlyIced.Count > 0)
        {
            int at = onlyIced[0];
            Fail($"Iced starts an instruction at 0x{at:x} (\"{IcedText.Tidy(lines.Single(l => l.Offset == at).Text)}\") " +
                 $"inside the library's {OwnerAt(program, at)}");
        }
    }

    private static string OwnerAt(CodeBuilder program, int offset) =>
        program.Roles.Where(r => r.Start <= offset && offset < r.Start + r.Length).Select(r => $"\"{IcedText.Tidy(r.Owner)}\"").FirstOrDefault()
        ?? "unlabelled bytes";

    /// <summary>
    /// The offsets where the library's instructions start, read from the builder's byte roles: a new
    /// instruction begins where the owner changes, or where the role does not move forward through
    /// REX → opcode → ModRM (→ SIB) → displacement → immediate (two equal instructions in a row share an owner).
    /// </summary>
    internal static IReadOnlyList<int> InstructionStarts(CodeBuilder program, int codeEnd)
    {
        var starts = new List<int>();
        RoleSpan? previous = null;
        foreach (var span in program.Roles.Where(r => r.Start < codeEnd))
        {
            bool continues = previous is { } p && p.Owner == span.Owner && p.Start + p.Length == span.Start
                             && Continues(p.Role, span.Role);
            if (!continues) starts.Add(span.Start);
            previous = span;
        }
        return starts;
    }

    private static readonly Dictionary<ByteRole, int> RoleOrder = new()
    {
        [ByteRole.Rex] = 0, [ByteRole.Opcode] = 1, [ByteRole.ModRM] = 2, [ByteRole.Displacement] = 3, [ByteRole.Immediate] = 4,
    };

    private static bool Continues(ByteRole previous, ByteRole next) =>
        RoleOrder.TryGetValue(previous, out int a) && RoleOrder.TryGetValue(next, out int b)
        && (b > a || (previous == ByteRole.ModRM && next == ByteRole.ModRM)); // ModRM then SIB

    private static void FailIfReencodedDifferently(Instruction instruction, byte[] code)
    {
        var ours = code.AsSpan((int)instruction.IP, instruction.Length).ToArray();
        var writer = new System.IO.MemoryStream();
        Iced.Intel.Encoder.Create(64, new StreamCodeWriter(writer)).Encode(instruction, instruction.IP);
        var iced = writer.ToArray();
        if (!iced.SequenceEqual(ours))
            Fail($"Iced reads \"{IcedText.WithoutComment(IcedText.ByOffset(ours)[0])}\" at 0x{instruction.IP:x} but encodes it as {Hex(iced)}; ours is {Hex(ours)}");
    }

    private static void FailOnStrayJumps(IReadOnlyList<Instruction> decoded, List<int> starts, IReadOnlyList<ListingLine> lines)
    {
        var startSet = starts.ToHashSet();
        foreach (var jump in decoded.Where(i => i.FlowControl is FlowControl.ConditionalBranch or FlowControl.UnconditionalBranch or FlowControl.Call
                                                && i.Op0Kind is OpKind.NearBranch64))
            if (!startSet.Contains((int)(long)jump.NearBranch64))
                Fail($"\"{IcedText.Tidy(lines.Single(l => l.Offset == (int)jump.IP).Text)}\" at 0x{jump.IP:x} lands at 0x{jump.NearBranch64:x}, " +
                     "which is not the start of an instruction");
    }

    /// <summary>Each placeholder, as Iced reads the patched bytes, reaches its label. Returns a phrase for the verdict.</summary>
    private static string CheckFixups(CodeBuilder program, byte[] bytes)
    {
        foreach (var fixup in program.Fixups)
        {
            var instruction = IcedBytes.DecodeAt(bytes, fixup.InstructionOffset);
            long? reached = TargetOf(instruction);
            long label = fixup.Target.Offset!.Value;
            if (reached != label)
                Fail($"the {instruction.Mnemonic.ToString().ToLowerInvariant()} at 0x{fixup.InstructionOffset:x} reaches " +
                     $"0x{reached:x}, but its label '{fixup.Target.Name}' is at 0x{label:x}");
        }
        return program.Fixups.Count switch
        {
            0 => "",
            1 => $"{IcedBytes.DecodeAt(bytes, program.Fixups[0].InstructionOffset).Mnemonic.ToString().ToLowerInvariant()} " +
                 $"reaches {program.Fixups[0].Target.Name} at 0x{program.Fixups[0].Target.Offset:x}",
            int n => $"all {n} patched placeholders reach their labels",
        };
    }

    private static long? TargetOf(Instruction instruction) =>
        instruction.IsIPRelativeMemoryOperand ? (long)instruction.IPRelativeMemoryAddress
        : instruction.Op0Kind is OpKind.NearBranch64 ? (long)instruction.NearBranch64
        : null;

    private static bool TouchesStack(Instruction i) =>
        i.StackPointerIncrement != 0
        || Enumerable.Range(0, i.OpCount).Any(op => i.GetOpKind(op) == OpKind.Register && i.GetOpRegister(op) == Register.RSP)
        || (i.OpCount > 0 && i.MemoryBase == Register.RSP);

    private static byte[] CodeOf(CodeBuilder program) =>
        program.ToArray()[..(program.CodeEnd ?? program.Position)];

    private static void FailIfDifferent(byte[] actual, byte[] expected, string actualName, string expectedName)
    {
        int common = Math.Min(actual.Length, expected.Length);
        for (int i = 0; i < common; i++)
            if (actual[i] != expected[i])
                Fail($"byte 0x{i:x} differs: {actualName} is {actual[i]:x2}, {expectedName} is {expected[i]:x2}");
        if (actual.Length != expected.Length)
            Fail($"{actualName} has {Count(actual.Length, "byte")}, {expectedName} {expected.Length}; the first {common} agree");
    }

    private static Verdict Permissions(nint address, long size, string expected)
    {
        ArgumentNullException.ThrowIfNull(expected);
        var entry = ProcMaps.Find(address);
        if (entry is null) return Fail($"0x{address:x} is not in /proc/self/maps at all");
        if (entry.Permissions != expected)
            return Fail($"/proc/self/maps says {entry.Permissions} for 0x{address:x}, expected {expected}");
        if (!entry.Covers(address, (ulong)size))
            return Fail($"the {entry.Permissions} line ends at 0x{entry.End:x}, before the mapping's end 0x{address + (nint)size:x}");
        return Pass($"/proc/self/maps says {expected} for 0x{address:x}–0x{address + (nint)size:x} ({Count((int)(size / Mman.PageSize), "page")})");
    }

    private static Verdict ComparePrinted(byte[] output, string expected)
    {
        string text = System.Text.Encoding.UTF8.GetString(output);
        return text == expected
            ? Pass($"the JIT'd code wrote {Count(output.Length, "byte")}: {Show(text)}")
            : Fail($"the JIT'd code wrote {Show(text)} ({Count(output.Length, "byte")}), expected {Show(expected)}");
    }

    private static string Outcome<T>(Func<T> evaluate)
    {
        try { return Show(evaluate()); }
        catch (Exception e) { return "throws " + e.GetType().Name; }
    }

    /// <summary>A value as a verdict shows it: strings quoted with \n visible, numbers invariant.</summary>
    internal static string Show<T>(T value) => value switch
    {
        null => "null",
        string s => "\"" + s.Replace("\\", "\\\\").Replace("\n", "\\n").Replace("\r", "\\r").Replace("\t", "\\t") + "\"",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        System.Collections.IEnumerable items => "(" + string.Join(", ", items.Cast<object?>().Select(Show)) + ")",
        _ => value.ToString() ?? "",
    };

    private static string Name(Register register) => register.ToString().ToLowerInvariant();

    private static string Count(int n, string noun) => $"{n} {noun}{(n == 1 ? "" : "s")}";

    private static string Join(IReadOnlyList<string> texts) =>
        texts.Count <= ListedInstructions
            ? string.Join("; ", texts)
            : string.Join("; ", texts.Take(ListedInstructions)) + $"; … ({texts.Count} in all)";

    private static string Hex(IEnumerable<byte> bytes) => string.Join(" ", bytes.Select(b => b.ToString("x2")));

    private static string Abbreviated(byte[] bytes) =>
        bytes.Length <= 12 ? Hex(bytes) : $"{Hex(bytes.Take(6))} … {Hex(bytes.Skip(bytes.Length - 3))}";
}
