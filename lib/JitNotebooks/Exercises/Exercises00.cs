namespace JitNotebooks.Exercises;

/// <summary>Notebook 00's exercises: reading the article's finished program before building it.</summary>
public static class Exercises00
{
    /// <summary>How many bytes of instructions come before the data (the data starts right after <c>ret</c>).</summary>
    public static CheckResult CodeLength(int answer) => Check.Safely(() =>
    {
        // The unpacked program marks where code ends; nothing here trusts a typed-in constant.
        int expected = HelloWorldProgram.Unpacked().CodeEnd ?? throw new InvalidOperationException("no code end");
        if (answer == expected)
            return CheckResult.Correct($"{expected} bytes (0x{expected:x}) of instructions; the data starts at offset 0x{expected:x}.");
        if (answer == HelloWorldProgram.Unpacked().ToArray().Length)
            return CheckResult.NotYet("that counts the 12 data bytes too; stop at the byte after ret.");
        return CheckResult.NotYet("look at the listing: the offset of the first data byte is the number of code bytes before it (hex!).");
    });

    /// <summary>How many bytes the program asks write to print.</summary>
    public static CheckResult BytesPrinted(int answer) => Check.Safely(() =>
    {
        int expected = HelloWorldProgram.Message.Length;
        return answer == expected
            ? CheckResult.Correct($"{expected}: \"{HelloWorldProgram.Message}\" with no newline; that is the immediate moved into rdx.")
            : CheckResult.NotYet("count the characters of \"Hello World!\", or read the immediate of the third mov (0x0c).");
    });
}
