using System.Text;

namespace JitNotebooks.Exercises;

/// <summary>Notebook 06's exercises: running bytes, the learner's own included.</summary>
public static class Exercises06
{
    /// <summary>What exercise 06.1's program must print: 13 bytes, with a newline at the end.</summary>
    public const string TargetText = "JIT says hi!\n";

    /// <summary>
    /// Builds the article's program around <paramref name="message"/> with <paramref name="count"/>
    /// in <c>rdx</c>: <c>write(1, message, count); ret</c>, data right after the code.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The count is negative or longer than the message (the syscall would read past it).</exception>
    public static CodeBuilder BuildPrintProgram(string message, int count)
    {
        ArgumentNullException.ThrowIfNull(message);
        byte[] data = Encoding.UTF8.GetBytes(message);
        if (count < 0 || count > data.Length)
            throw new ArgumentOutOfRangeException(nameof(count), count,
                $"The count must be between 0 and the message's {data.Length} bytes; a larger one would make write read past the message.");
        var b = new CodeBuilder();
        var text = b.CreateLabel("message");
        b.MovImm32(Reg64.Rax, Syscall.Write.Number)
         .MovImm32(Reg64.Rdi, 1)
         .MovImm32(Reg64.Rdx, count)
         .LeaRipRelative(Reg64.Rsi, text)
         .Syscall()
         .Ret()
         .MarkCodeEnd()
         .Bind(text)
         .EmitData(data, "message");
        b.Patch();
        return b;
    }

    private static int Bytes(string? text) => Encoding.UTF8.GetByteCount(text ?? "");

    private static string Show(string text) => "\"" + text.Replace("\\", "\\\\").Replace("\n", "\\n") + "\"";

    /// <summary>Runs the learner's print program through the one seam for learner code.</summary>
    private static Judgement RunPrint((string? Message, int Count) a)
    {
        var run = LearnerCode.Run(BuildPrintProgram(a.Message!, a.Count).ToArray());
        if (run.Status == LearnerRunStatus.Crashed)
            return Judgement.Wrong($"the program crashed ({run.Detail}).", "crashed");
        string printed = run.OutputText;
        return printed == TargetText
            ? Judgement.Right($"your JIT'd code printed {Show(printed)} ({Answers.Plural(run.Output.Length, "byte")}).")
            : Judgement.Wrong($"it printed {Show(printed)}, not {Show(TargetText)}.");
    }

    /// <summary>06.1: make the JIT'd program print <see cref="TargetText"/>. Check with <c>Check(message, count)</c>.</summary>
    public static PrintExercise PrintsTarget { get; } = new(new ExerciseSpec<(string? Message, int Count)>
    {
        Id = "06.1",
        Name = "Exercises06.PrintsTarget",
        Title = "Your own message",
        Prompt = "Make the JIT'd code print `JIT says hi!` followed by a newline. The check builds the same program as above around " +
                 "your `myMessage` with your `myCount` in `rdx`, runs it, captures fd 1 and compares what came out. Two things must change.",
        Starter = "var myMessage = \"Hello World!\"; // edit me\nint myCount = 12;               // edit me",
        Arguments = "myMessage, myCount",
        UntouchedValue = (HelloWorldProgram.Message, HelloWorldProgram.Message.Length),
        IsUntouched = a => a.Message == HelloWorldProgram.Message && a.Count == HelloWorldProgram.Message.Length,
        WhatToDo = "this is still the Hello World program. Edit myMessage and myCount so that it prints the new text, then run the cell again.",
        Mistakes =
        [
            new("no-message", "set the message to null", (null, 0), a => a.Message is null,
                "the message is null: give it some text."),
            new("negative-count", "gave a negative count", (TargetText, -1), a => a.Count < 0,
                "a byte count cannot be negative."),
            new("newline-counted-as-two", "counted \\n as two bytes", (TargetText, Bytes(TargetText) + 1),
                a => a.Message == TargetText && a.Count == Bytes(TargetText) + 1,
                "one too many: \\n in a C# string is a single newline character, one byte."),
            new("count-past-message", "gave a count larger than the message", (TargetText, 99), a => a.Count > Bytes(a.Message),
                a => $"the count {a.Count} is more than the message's {Bytes(a.Message)} bytes: write would read past the message. (Nothing was run.)"),
            new("count-unchanged", "changed the message but not the count", (TargetText, HelloWorldProgram.Message.Length),
                a => a.Message == TargetText && a.Count == HelloWorldProgram.Message.Length,
                "the message is right, but the count is still 12: write stops before the last character."),
            new("no-newline", "left out the newline", ("JIT says hi!", Bytes("JIT says hi!")),
                a => a.Message == TargetText.TrimEnd('\n'),
                "the text has no newline yet. In a C# string, a newline is written \\n."),
            new("escaped-backslash", "wrote a backslash and an n instead of a newline", ("JIT says hi!\\n", Bytes("JIT says hi!\\n")),
                a => a.Message == TargetText.TrimEnd('\n') + "\\n",
                "your string holds a backslash and the letter n (two characters), not a newline: that happens in a verbatim @\"...\" string or with \\\\n. Use \"...\\n\"."),
        ],
        Judge = RunPrint,
        Hints =
        [
            "Two things change: the text, and the count the program loads into rdx.",
            "Count the bytes of the new text, the newline included: \\n is one character.",
        ],
        Explanation = "The count in `rdx` must be the length of the new text in bytes: 12 visible characters + the newline = 13. " +
                      "Leaving the count at 12 prints the text without its newline, the same thing that happens to the article's trailing `0a`.",
        Solution = (TargetText, Bytes(TargetText)),
        Declare = a => $"var myMessage = {Literal.String(a.Message)};\nint myCount = {a.Count};",
        WrongExample = ("JIT says hi", Bytes("JIT says hi")),
    });

    /// <summary>
    /// 06.2: run the "return 42" function written in notebook 02. The bytes are read by Iced first and
    /// run only if they have the shape of such a function (through the one seam that runs learner code).
    /// </summary>
    public static Exercise<byte[]?> RunReturn42 { get; } = new(new ExerciseSpec<byte[]?>
    {
        Id = "06.2",
        Name = "Exercises06.RunReturn42",
        Title = "Run your return-42 function",
        Prompt = "Paste the bytes of your \"return 42\" function from notebook 02 (exercise 02.4). The check reads them with Iced, " +
                 "then maps them into executable memory, calls them through a function pointer and looks at what comes back in `rax`.",
        Starter = "byte[] return42 = { /* your bytes from notebook 02 */ };",
        Arguments = "return42",
        UntouchedValue = [],
        IsUntouched = Answers.IsEmpty,
        WhatToDo = "paste your bytes from notebook 02's exercise 02.4 between the braces, then run the cell again.",
        Mistakes = Exercises02.Return42Mistakes,
        Judge = a =>
        {
            // Run isolated: whatever the bytes do, the notebook's kernel survives and the result explains it.
            var run = LearnerCode.Run(a!);
            if (run.Status != LearnerRunStatus.Returned)
                return Judgement.Wrong($"your code did not return: {run.Detail}", "crashed");
            if (run.ReturnValue == 42)
                return Judgement.Right("called through a function pointer, your code returned 42 in rax.");
            return Exercises02.IsReturn42(a)
                ? Judgement.Wrong($"your code returned {run.ReturnValue}, not 42.", "returned-something-else")
                : Judgement.Wrong($"your code returned {run.ReturnValue}, not 42. {Exercises02.Return42Nudge(a!)}");
        },
        Hints =
        [
            "Notebook 02's exercise 02.4 built these bytes: a mov of 42 into rax, then ret.",
            "Exercises02.Return42.Check(yourBytes) says whether they are right before you run them here.",
        ],
        Explanation = "The bytes of exercise 02.4, run: `48` is REX.W, `c7 c0` is `mov r/m64, imm32` with ModRM naming `rax`, then 42 = " +
                      "`0x2a` as four little-endian bytes, and `c3` is `ret`. Notebook 07 builds on this: functions that take arguments.",
        Solution = Exercises02.Return42.SolutionValue,
        Declare = a => $"byte[] return42 = {Literal.Bytes(a)};",
        WrongExample = [0x48, 0xc7, 0xc0, 0x2b, 0x00, 0x00, 0x00, 0xc3],
    });
}

/// <summary>Exercise 06.1, whose answer is two values: <c>Exercises06.PrintsTarget.Check(myMessage, myCount)</c>.</summary>
public sealed class PrintExercise : Exercise<(string? Message, int Count)>
{
    internal PrintExercise(ExerciseSpec<(string? Message, int Count)> spec) : base(spec) { }

    /// <summary>Builds the program around the message and count, runs it, and compares what it printed.</summary>
    public ExerciseResult Check(string? message, int count) => Check((message, count));
}
