namespace JitNotebooks.Exercises;

/// <summary>Notebook 00's exercises: reading the article's finished program before building it.</summary>
public static class Exercises00
{
    // Facts read from the library's program, never typed in.
    private static int CodeEnd => HelloWorldProgram.Unpacked().CodeEnd ?? throw new InvalidOperationException("no code end");
    private static int WholeProgram => HelloWorldProgram.Unpacked().Position;
    private static int RetOffset => HelloWorldProgram.Unpacked().Roles.Single(r => r.Role == ByteRole.Ret).Start;
    private static int PackedCodeAndFiller => (int)HelloWorldProgram.Packed().Labels.Single(l => l.Name == "message").Offset!.Value;
    private static int SevenByteInstructions =>
        CodeEnd - HelloWorldProgram.Unpacked().Roles.Where(r => r.Role is ByteRole.Syscall or ByteRole.Ret).Sum(r => r.Length);

    /// <summary>00.1: how many bytes of instructions come before the text?</summary>
    public static Exercise<int?> CodeLength { get; } = new(new ExerciseSpec<int?>
    {
        Id = "00.1",
        Name = "Exercises00.CodeLength",
        Title = "How many bytes of instructions?",
        Prompt = "How many bytes of *instructions* does the program have, before the text begins? Read the listing above; its offsets are hexadecimal.",
        Starter = "int? codeBytes = null; // your answer, a number of bytes",
        Arguments = "codeBytes",
        UntouchedValue = null,
        IsUntouched = a => a is null,
        WhatToDo = "replace null with the number of instruction bytes, then run the cell again.",
        Mistakes =
        [
            new("counted-the-data", "counted the text as well as the code", WholeProgram,
                a => a == WholeProgram || a == HelloWorldProgram.Packed().Position,
                "that counts the bytes of text too. The text is data, not instructions: stop where the code ends."),
            new("offset-of-ret", "gave the offset where ret starts", RetOffset, a => a == RetOffset,
                "that is where ret starts. ret is an instruction too, one byte long."),
            new("seven-byte-instructions-only", "counted only the four 7-byte instructions", SevenByteInstructions,
                a => a == SevenByteInstructions,
                "that counts the four 7-byte instructions; the two short ones after them are instructions too."),
            new("with-the-filler", "counted the packed layout's filler byte", PackedCodeAndFiller,
                a => a == PackedCodeAndFiller,
                "that includes a filler byte, which only the packed layout (notebook 04) has; this listing has none."),
        ],
        Judge = a => a == CodeEnd
            ? Judgement.Right($"{CodeEnd} bytes (0x{CodeEnd:x}) of instructions: three 7-byte movs, a 7-byte lea, syscall (2) and ret (1); the text starts at 0x{CodeEnd:x}.")
            : Judgement.Wrong($"{a} is not it. The listing's offsets are hexadecimal."),
        Hints =
        [
            "The text starts right after the last instruction. At which offset does the listing show it?",
            "Offsets are hexadecimal: convert the text's offset to decimal (16 × the first digit + the second), or add up the instruction lengths.",
        ],
        Explanation = "The text starts at offset `0x1f`, right after `ret` (the single byte at `0x1e`), so there are `0x1f` = **31** " +
                      "bytes of instructions: three 7-byte `mov`s, a 7-byte `lea`, 2 bytes of `syscall` and 1 of `ret` (7·4 + 2 + 1 = 31).",
        Solution = CodeEnd,
        Declare = a => $"int? codeBytes = {Literal.Number(a)};",
        WrongExample = 20,
    });

    /// <summary>00.2: how many bytes does the program ask write to print?</summary>
    public static Exercise<int?> BytesPrinted { get; } = new(new ExerciseSpec<int?>
    {
        Id = "00.2",
        Name = "Exercises00.BytesPrinted",
        Title = "How many bytes are printed?",
        Prompt = "How many bytes does the program ask the kernel to print?",
        Starter = "int? printed = null; // your answer, a number of bytes",
        Arguments = "printed",
        UntouchedValue = null,
        IsUntouched = a => a is null,
        WhatToDo = "replace null with the number of bytes the program prints, then run the cell again.",
        Mistakes =
        [
            new("counted-a-newline", "counted a newline that is not there", HelloWorldProgram.Message.Length + 1,
                a => a == HelloWorldProgram.Message.Length + 1,
                "one too many: the text has no newline; it ends with the '!'."),
            new("skipped-a-character", "missed the space or the '!'", HelloWorldProgram.Message.Length - 1,
                a => a == HelloWorldProgram.Message.Length - 1,
                "one too few: the space between the words is a byte, and so is the '!'."),
            new("whole-program", "gave the size of the whole program", WholeProgram, a => a == WholeProgram,
                "that is the size of the whole program. The count covers only the bytes write sends to the terminal."),
        ],
        Judge = a => a == HelloWorldProgram.Message.Length
            ? Judgement.Right($"{HelloWorldProgram.Message.Length}: \"{HelloWorldProgram.Message}\" with no newline, the immediate moved into rdx.")
            : Judgement.Wrong($"{a} is not it. Where does the program say how many bytes write should send?"),
        Hints =
        [
            "The byte count is one of write's arguments; the program loads it into a register before the syscall.",
            "Read the immediate of the third mov (the one into rdx), or count the characters of the text, space and '!' included.",
        ],
        Explanation = "**12**: the characters of `Hello World!`, with no newline. The count is the immediate of the third `mov` " +
                      "(`0c 00 00 00`), loaded into `rdx`.",
        Solution = HelloWorldProgram.Message.Length,
        Declare = a => $"int? printed = {Literal.Number(a)};",
        WrongExample = 7,
    });
}
