using JitNotebooks.Exercises;

namespace JitNotebooks.Export.Workshop;

/// <summary>One exercise's answer, as the instructor's guide prints it, and the check that proves it.</summary>
/// <param name="Notebook">The notebook's number: <c>02</c>.</param>
/// <param name="Check">The check the notebook calls: <c>Exercises02.MovRax60</c>.</param>
/// <param name="Answer">The answer, as a learner would type it in C#.</param>
/// <param name="Why">One line on how to get there.</param>
/// <param name="Verify">Runs the check on the answer (a test asserts every one is correct).</param>
public sealed record Solution(string Notebook, string Check, string Answer, string Why, Func<CheckResult> Verify);

/// <summary>
/// The solutions key of the instructor's guide. Each answer is passed to the notebook's own
/// check by a test, so the key cannot be wrong; another test fails when an exercise has no entry.
/// </summary>
public static class SolutionsKey
{
    public static IReadOnlyList<Solution> All { get; } =
    [
        new("00", "Exercises00.CodeLength", "31", "the data starts at 0x1f, right after ret", () => Exercises00.CodeLength(31)),
        new("00", "Exercises00.BytesPrinted", "12", "\"Hello World!\" has 12 characters; rdx holds 0xc", () => Exercises00.BytesPrinted(12)),
        new("01", "Exercises01.CountRegister", "Reg64.Rdx", "the third argument register", () => Exercises01.CountRegister(Reg64.Rdx)),
        new("01", "Exercises01.FourthArgumentRegister", "Reg64.R10", "not rcx: syscall overwrites rcx", () => Exercises01.FourthArgumentRegister(Reg64.R10)),
        new("01", "Exercises01.ExitSyscallNumber", "60", "exit's row in the syscall table", () => Exercises01.ExitSyscallNumber(60)),
        new("02", "Exercises02.MovRax60", "[0x48, 0xC7, 0xC0, 0x3C, 0x00, 0x00, 0x00]", "only the immediate changes: 60 = 0x3c, low byte first",
            () => Exercises02.MovRax60([0x48, 0xC7, 0xC0, 0x3C, 0x00, 0x00, 0x00])),
        new("02", "Exercises02.MovR9MinusOne", "[0x49, 0xC7, 0xC1, 0xFF, 0xFF, 0xFF, 0xFF]", "REX.B for r9 (49), rm=001 (c1), -1 = ff ff ff ff",
            () => Exercises02.MovR9MinusOne([0x49, 0xC7, 0xC1, 0xFF, 0xFF, 0xFF, 0xFF])),
        new("02", "Exercises02.BytesSavedPerMov", "2", "B8+r imm32 has no REX and no ModRM: 5 bytes instead of 7", () => Exercises02.BytesSavedPerMov(2)),
        new("03", "Exercises03.DisplacementWithOneFiller", "4", "data at 0x20, next instruction at 0x1c", () => Exercises03.DisplacementWithOneFiller(4)),
        new("03", "Exercises03.BackwardJmpDisplacement", "-7", "label at 0, the jmp ends at 7", () => Exercises03.BackwardJmpDisplacement(-7)),
        new("04", "Exercises04.PackOddProgram", "[0x48C7, 0xC001, 0x0000, 0x00CC]", "first byte high; the 7th byte is padded with cc",
            () => Exercises04.PackOddProgram([0x48C7, 0xC001, 0x0000, 0x00CC])),
        new("04", "Exercises04.LittleEndianWordsOfTail", "[0x050F, 0xCCC3]", "x86 keeps the first byte in the low half",
            () => Exercises04.LittleEndianWordsOfTail([0x050F, 0xCCC3])),
        new("05", "Exercises05.PagesFor5000Bytes", "2", "5000 bytes need two 4096-byte pages (round up)", () => Exercises05.PagesFor5000Bytes(2)),
        new("05", "Exercises05.PermissionsAfterMakeExecutable", "\"r-xp\"", "mprotect(PROT_READ | PROT_EXEC) on a private mapping",
            () => Exercises05.PermissionsAfterMakeExecutable("r-xp")),
        new("06", "Exercises06.PrintsTarget", "(\"JIT says hi!\\n\", 13)", "12 characters and the newline; rdx = 13",
            () => Exercises06.PrintsTarget("JIT says hi!\n", 13)),
        new("06", "Exercises06.ReturnsFortyTwo", "[0x48, 0xC7, 0xC0, 0x2A, 0x00, 0x00, 0x00, 0xC3]", "mov $0x2a,%rax; ret",
            () => Exercises06.ReturnsFortyTwo([0x48, 0xC7, 0xC0, 0x2A, 0x00, 0x00, 0x00, 0xC3])),
        new("07", "Exercises07.BackwardJumpDisplacement", "-16", "loop start 0xc minus the end of the jne 0x1c; each extra add (3 bytes) adds -3",
            () => Exercises07.BackwardJumpDisplacement(-16)),
        new("07", "Exercises07.Add3", "[0x48, 0x89, 0xF8, 0x48, 0x01, 0xF0, 0x48, 0x01, 0xD0, 0xC3]", "mov %rdi,%rax; add %rsi,%rax; add %rdx,%rax; ret",
            () => Exercises07.Add3([0x48, 0x89, 0xF8, 0x48, 0x01, 0xF0, 0x48, 0x01, 0xD0, 0xC3])),
        new("08", "Exercises08.TargetExpression", "\"a * a + b * b\"", "the targets are a² + b² (3, 4 → 25)", () => Exercises08.TargetExpression("a * a + b * b")),
        new("08", "Exercises08.ParseErrorPosition", "10", "the '/' after '*' at index 10 (from 0, spaces counted)", () => Exercises08.ParseErrorPosition(10)),
    ];

    /// <summary>The key as a markdown table: notebook, check, answer, why.</summary>
    public static string ToMarkdown() =>
        MarkdownTable.From(["notebook", "check", "answer", "how"],
            All.Select(s => (IReadOnlyList<string>)[s.Notebook, MarkdownTable.Code(s.Check), MarkdownTable.Code(s.Answer), s.Why]));
}
