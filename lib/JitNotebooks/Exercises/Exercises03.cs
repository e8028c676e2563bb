namespace JitNotebooks.Exercises;

/// <summary>Notebook 03's exercises: RIP-relative displacements and the patch.</summary>
public static class Exercises03
{
    /// <summary>
    /// The article's unpacked program with one filler byte between <c>ret</c> and the data:
    /// what displacement does the patch write into the <c>lea</c>?
    /// </summary>
    public static CheckResult DisplacementWithOneFiller(int answer) => Check.Safely(() =>
    {
        var b = new CodeBuilder();
        var message = b.CreateLabel("message");
        b.MovImm32(Reg64.Rax, 1).MovImm32(Reg64.Rdi, 1).MovImm32(Reg64.Rdx, 12)
         .LeaRipRelative(Reg64.Rsi, message).Syscall().Ret().Int3()
         .Bind(message).EmitAscii(HelloWorldProgram.Message);
        int expected = b.Patch().Patches[0].Displacement;
        if (answer == expected)
            return CheckResult.Correct($"{expected}: the data now starts at 0x{message.Offset:x}, and RIP is 0x1c after the lea.");
        if (answer == 3)
            return CheckResult.NotYet("3 is the displacement without the filler; the data moved one byte further.");
        if (answer == 0)
            return CheckResult.NotYet("0 is the placeholder before the patch. Displacement = data offset - next instruction offset.");
        return CheckResult.NotYet("displacement = where the data starts - where the instruction after the lea starts (0x1c).");
    });

    /// <summary>
    /// A label bound at offset 0, then <c>syscall</c> (2 bytes), then <c>jmp</c> back to the label:
    /// what rel32 does the patch write into the jmp?
    /// </summary>
    public static CheckResult BackwardJmpDisplacement(int answer) => Check.Safely(() =>
    {
        var b = new CodeBuilder();
        var top = b.CreateLabel("top");
        b.Bind(top).Syscall().Jmp(top);
        int expected = b.Patch().Patches[0].Displacement;
        if (answer == expected)
            return CheckResult.Correct($"{expected}: the jmp ends at 0x7 and the label is at 0, so the CPU must go back 7 bytes.");
        if (answer == -2)
            return CheckResult.NotYet("-2 measures from the start of the jmp; the CPU measures from the end of it (jmp is E9 + 4 bytes).");
        if (answer > 0)
            return CheckResult.NotYet("the label is behind the jmp, so the displacement is negative.");
        return CheckResult.NotYet("jmp rel32 is 5 bytes (E9 + rel32) at offset 2; displacement = label - end of the jmp.");
    });
}
