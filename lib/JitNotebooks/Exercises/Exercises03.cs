namespace JitNotebooks.Exercises;

/// <summary>Notebook 03's exercises: RIP-relative displacements and the patch.</summary>
public static class Exercises03
{
    /// <summary>The article's unpacked program with one <c>int3</c> filler between <c>ret</c> and the text.</summary>
    private static (Fixup Lea, long Text, int Displacement, int Unfilled) WithOneFiller()
    {
        var b = new CodeBuilder();
        var message = b.CreateLabel("message");
        b.MovImm32(Reg64.Rax, Syscall.Write.Number).MovImm32(Reg64.Rdi, 1).MovImm32(Reg64.Rdx, HelloWorldProgram.Message.Length)
         .LeaRipRelative(Reg64.Rsi, message).Syscall().Ret().Int3()
         .Bind(message).EmitAscii(HelloWorldProgram.Message);
        var patch = b.Patch().Patches[0];
        int unfilled = HelloWorldProgram.Unpacked().Report!.Patches[0].Displacement;
        return (patch.Fixup, patch.TargetOffset, patch.Displacement, unfilled);
    }

    private static readonly (Fixup Lea, long Text, int Displacement, int Unfilled) Filler = WithOneFiller();

    /// <summary>03.1: with one filler byte before the text, what displacement does the patch write into the lea?</summary>
    public static Exercise<int?> DisplacementWithOneFiller { get; } = new(new ExerciseSpec<int?>
    {
        Id = "03.1",
        Name = "Exercises03.DisplacementWithOneFiller",
        Title = "The lea's displacement with one filler byte",
        Prompt = "Take the same program, but put **one filler byte** (`0xcc`) between `ret` and the text, so the text starts one " +
                 "byte later. What displacement does the patch write into the `lea`? (Notebook 04 shows why the article does this.)",
        Starter = "int? displacementWithFiller = null; // your answer, in decimal",
        Arguments = "displacementWithFiller",
        UntouchedValue = null,
        IsUntouched = a => a is null,
        WhatToDo = "replace null with the displacement the patch writes, in decimal, then run the cell again.",
        Mistakes =
        [
            new("unchanged-value", "kept the displacement of the program without filler", Filler.Unfilled, a => a == Filler.Unfilled,
                "that is the displacement of the program without the filler. The text has moved since."),
            new("placeholder", "gave the placeholder", 0, a => a == 0,
                "0 is the placeholder the lea is emitted with, before the patch fills it in."),
            new("from-lea-start", "measured from the start of the lea", (int)(Filler.Text - Filler.Lea.InstructionOffset),
                a => a == Filler.Text - Filler.Lea.InstructionOffset,
                "that measures from the start of the lea. While the lea runs, rip already holds the address of the next instruction."),
            new("from-the-field", "measured from the displacement field", (int)(Filler.Text - Filler.Lea.FieldOffset),
                a => a == Filler.Text - Filler.Lea.FieldOffset,
                "that measures from the four displacement bytes themselves (a linker's P). The CPU measures from the end of the instruction."),
            new("absolute-offset", "gave where the text starts instead of a distance", (int)Filler.Text, a => a == Filler.Text,
                "that is where the text starts, an offset from the start of the program. The lea stores a distance."),
            new("sign-reversed", "gave the right size with the wrong sign", -Filler.Displacement, a => a == -Filler.Displacement,
                "right size, wrong sign: the text lies after the lea, so the distance is positive."),
        ],
        Judge = a => a == Filler.Displacement
            ? Judgement.Right($"{Filler.Displacement}: the text now starts at 0x{Filler.Text:x}, and rip is 0x{Filler.Lea.NextInstructionOffset:x} after the lea (it has not moved).")
            : Judgement.Wrong($"{a} is not it. Which instruction's address does rip hold while the lea runs?"),
        Hints =
        [
            "Has the lea moved? Has the text?",
            "displacement = where the text starts − where the instruction after the lea starts.",
        ],
        Explanation = "The `lea` has not moved, so the next instruction is still at `0x1c`. The text now starts at `0x20` instead of " +
                      "`0x1f`, so the displacement is `0x20 − 0x1c` = **4**: the `lea 0x4(%rip),%rsi` of the article's packed version.",
        Solution = Filler.Displacement,
        Declare = a => $"int? displacementWithFiller = {Literal.Number(a)};",
        WrongExample = 6,
    });

    /// <summary><c>top:</c> at 0, <c>syscall</c>, then <c>jmp top</c>: the fixup and its displacement.</summary>
    private static (Fixup Jmp, int Displacement) BackwardJmp()
    {
        var b = new CodeBuilder();
        var top = b.CreateLabel("top");
        b.Bind(top).Syscall().Jmp(top);
        var patch = b.Patch().Patches[0];
        return (patch.Fixup, patch.Displacement);
    }

    private static readonly (Fixup Jmp, int Displacement) Jump = BackwardJmp();
    private static int JmpLength => Jump.Jmp.NextInstructionOffset - Jump.Jmp.InstructionOffset;

    /// <summary>03.2: a label at 0, <c>syscall</c>, then <c>jmp</c> back to the label: what rel32 does the patch write?</summary>
    public static Exercise<int?> BackwardJmpDisplacement { get; } = new(new ExerciseSpec<int?>
    {
        Id = "03.2",
        Name = "Exercises03.BackwardJmpDisplacement",
        Title = "The rel32 of a backward jmp",
        Prompt = "Labels work for jumps too. This program binds a label `top` at offset 0, emits `syscall` (2 bytes), then `jmp top` " +
                 "(`E9` followed by a rel32 placeholder). Predict the rel32 the patch writes, in decimal. You may build it with " +
                 "`CodeBuilder` to check your reasoning, but predict first.\n\n```csharp\nvar j = new CodeBuilder();\nvar top = j.CreateLabel(\"top\");\nj.Bind(top).Syscall().Jmp(top);\n```",
        Starter = "int? jmpDisplacement = null; // your answer, in decimal",
        Arguments = "jmpDisplacement",
        UntouchedValue = null,
        IsUntouched = a => a is null,
        WhatToDo = "replace null with the rel32 the patch writes into the jmp, in decimal, then run the cell again.",
        Mistakes =
        [
            new("from-jmp-start", "measured from the start of the jmp", -Jump.Jmp.InstructionOffset, a => a == -Jump.Jmp.InstructionOffset,
                "that measures from the start of the jmp; the CPU measures from the end of it."),
            new("from-the-field", "measured from the rel32 field", -Jump.Jmp.FieldOffset, a => a == -Jump.Jmp.FieldOffset,
                "that measures from the four rel32 bytes; the CPU measures from the end of the instruction."),
            new("sign-reversed", "gave the right size with the wrong sign", -Jump.Displacement, a => a == -Jump.Displacement,
                "right size, wrong sign: the label is behind the jmp, so the displacement is negative."),
            new("jmp-length", "gave the length of the jmp", JmpLength, a => a == JmpLength || a == -JmpLength,
                "that is the length of the jmp instruction. Where does it start, and where is the label?"),
            new("placeholder", "gave the placeholder", 0, a => a == 0,
                "0 is the placeholder. (A jmp with rel32 0 would just fall through to the next instruction.)"),
        ],
        Judge = a => a == Jump.Displacement
            ? Judgement.Right($"{Jump.Displacement}: the jmp ends at 0x{Jump.Jmp.NextInstructionOffset:x} and the label is at 0, so the CPU goes back {-Jump.Displacement} bytes.")
            : Judgement.Wrong($"{a} is not it." + (a > 0 ? " The label is behind the jmp." : "")),
        Hints =
        [
            "Where does the jmp end? The CPU counts from there.",
            "jmp rel32 is 5 bytes (E9 and four displacement bytes) and starts right after the 2-byte syscall.",
        ],
        Explanation = "The `jmp` starts at 2 and is 5 bytes long, so the next instruction would be at 7. The target is 0, so the " +
                      "displacement is `0 − 7` = **−7** (bytes `f9 ff ff ff`). Jumps, calls and RIP-relative operands all count from " +
                      "the end of the instruction.",
        Solution = Jump.Displacement,
        Declare = a => $"int? jmpDisplacement = {Literal.Number(a)};",
        WrongExample = -9,
    });
}
