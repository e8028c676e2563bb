namespace JitNotebooks.Exercises;

/// <summary>Notebook 04's exercises: packing bytes into 16-bit words, the article's way and the machine's.</summary>
public static class Exercises04
{
    /// <summary>Exercise 04.1's program: <c>mov $0x1,%rax</c> alone, seven bytes (an odd number).</summary>
    public static readonly byte[] OddProgram = MovImm32.Encode(Reg64.Rax, 1).Bytes;

    /// <summary>Exercise 04.2's bytes: <c>syscall; ret; int3</c>.</summary>
    public static readonly byte[] TailBytes = new CodeBuilder().Syscall().Ret().Int3().ToArray();

    // The answers and the mistakes are computed from the bytes, by the library's packing routines.
    private static readonly byte[] Padded = WordPacking.PadToWord(OddProgram);
    private static readonly ushort[] PackedWords = WordPacking.ToWords(Padded);
    private static ushort[] PaddedWith(byte filler) => WordPacking.ToWords([.. OddProgram, filler]);
    private static readonly ushort[] TailWords = WordPacking.ToLittleEndianWords(TailBytes);

    private static bool Same(ushort[]? a, ushort[] b) => a is not null && a.SequenceEqual(b);

    private static string Words(IEnumerable<ushort> words) => string.Join(", ", words.Select(w => $"0x{w:x4}"));

    /// <summary>04.1: the article-order words of <see cref="OddProgram"/>, padded with one <c>0xcc</c>.</summary>
    public static Exercise<ushort[]?> PackOddProgram { get; } = new(new ExerciseSpec<ushort[]?>
    {
        Id = "04.1",
        Name = "Exercises04.PackOddProgram",
        Title = "Pack an odd-length program the article's way",
        Prompt = "`Exercises04.OddProgram` is `mov $0x1,%rax` on its own: `48 c7 c0 01 00 00 00`, seven bytes. Pad it with one `0xcc` " +
                 "and write its words the article's way (first byte high). Work it out by hand rather than calling `WordPacking`.",
        Starter = "ushort[] answer = { /* your words */ };",
        Arguments = "answer",
        UntouchedValue = [],
        IsUntouched = Answers.IsEmpty,
        WhatToDo = "type the words between the braces, as 0x.... values, then run the cell again.",
        Mistakes =
        [
            new("no-padding", "left out the filler, so the last byte has no word", WordPacking.ToWords(OddProgram[..^1]),
                a => a!.Length == OddProgram.Length / 2,
                a => $"{Answers.Plural(a!.Length, "word")} hold only {2 * a.Length} bytes; the seventh byte needs a word too, completed by the filler."),
            new("x86-order", "wrote the words as x86 reads them (first byte low)", WordPacking.ToLittleEndianWords(Padded),
                a => Same(a, WordPacking.ToLittleEndianWords(Padded)),
                "these are the words an x86 CPU reads (first byte low). The article puts the first byte of each pair in the high half."),
            new("filler-in-the-high-half", "put the filler in the high half of the last word", [.. PackedWords[..^1], (ushort)(WordPacking.Int3Filler << 8)],
                a => a!.Length == PackedWords.Length && a[..^1].SequenceEqual(PackedWords[..^1]) && a[^1] == WordPacking.Int3Filler << 8,
                "the last pair is the seventh byte, then the filler. Which of the two comes first, and so goes high?"),
            new("nop-filler", "padded with 0x90 (nop)", PaddedWith(0x90), a => Same(a, PaddedWith(0x90)),
                "0x90 is nop. The article pads with 0xcc (int3), and so does this exercise."),
            new("zero-filler", "padded with 0x00", PaddedWith(0x00), a => Same(a, PaddedWith(0x00)),
                "the padding byte is 0xcc (int3), not 0x00."),
        ],
        Judge = a =>
        {
            if (Same(a, PackedWords))
                return Judgement.Right($"{Words(PackedWords)}: the filler sits in the low half of the last word.");
            if (a!.Length != PackedWords.Length)
                return Judgement.Wrong($"{Answers.Plural(a.Length, "word")}; seven bytes and one filler make eight bytes.");
            int wrong = Enumerable.Range(0, a.Length).First(i => a[i] != PackedWords[i]);
            return Judgement.Wrong($"word {wrong + 1} (bytes {2 * wrong + 1} and {2 * wrong + 2}) is 0x{a[wrong]:x4}, which is not right yet.");
        },
        Hints =
        [
            "Seven bytes need four words; the eighth byte is the filler.",
            "Pair the bytes in order; the first byte of each pair is the high half of the word (48 c7 → 0x48c7).",
        ],
        Explanation = "Pairs: `48 c7`, `c0 01`, `00 00`, and the seventh byte `00` with the filler `cc`. First byte high each time, so " +
                      "the filler ends up in the *low* half of the last word. Check: `WordPacking.ToWordsPadded(Exercises04.OddProgram)`.",
        Solution = PackedWords,
        Declare = a => $"ushort[] answer = {Literal.Words(a)};",
        WrongExample = [0x48c7, 0xc001, 0x0001, 0x00cc],
    });

    /// <summary>04.2: the words an x86 CPU reads from <see cref="TailBytes"/> as <c>ushort</c>s.</summary>
    public static Exercise<ushort[]?> LittleEndianWordsOfTail { get; } = new(new ExerciseSpec<ushort[]?>
    {
        Id = "04.2",
        Name = "Exercises04.LittleEndianWordsOfTail",
        Title = "The machine's view of four bytes",
        Prompt = "`Exercises04.TailBytes` is `0f 05 c3 cc` (`syscall`, `ret`, `int3`). Which two `ushort` values does an x86 CPU read " +
                 "from these four bytes?",
        Starter = "ushort[] machineWords = { /* your words */ };",
        Arguments = "machineWords",
        UntouchedValue = [],
        IsUntouched = Answers.IsEmpty,
        WhatToDo = "type the two words between the braces, as 0x.... values, then run the cell again.",
        Mistakes =
        [
            new("article-order", "wrote the article's order (first byte high)", WordPacking.ToWords(TailBytes),
                a => Same(a, WordPacking.ToWords(TailBytes)),
                "that is the article's order, first byte high. An x86 ushort keeps its first byte in the low half."),
            new("one-32-bit-number", "read the four bytes as one 32-bit number", [TailWords[1], TailWords[0]],
                a => Same(a, [TailWords[1], TailWords[0]]),
                "those are the two halves of the four bytes read as one 32-bit number (or all four bytes reversed). The question asks for two separate ushorts, in memory order."),
        ],
        Judge = a =>
        {
            if (Same(a, TailWords))
                return Judgement.Right($"{Words(TailWords)}: little-endian puts the first byte of each pair in the low half.");
            if (a!.Length != TailWords.Length)
                return Judgement.Wrong($"{Answers.Plural(a.Length, "word")}; four bytes are exactly two words.");
            int wrong = Enumerable.Range(0, a.Length).First(i => a[i] != TailWords[i]);
            return Judgement.Wrong($"word {wrong + 1} is 0x{a[wrong]:x4}; it holds the bytes {Hex.Of(TailBytes.Skip(2 * wrong).Take(2))}.");
        },
        Hints =
        [
            "Take the bytes in pairs, in memory order. On x86, which half of a ushort does the first byte of a pair go to?",
            "Write each pair as 0xHHLL, where LL is the pair's first byte and HH its second.",
        ],
        Explanation = "The article would write the same bytes as `0x0f05, 0xc3cc`; an x86 `ushort` has its first byte in the *low* half, " +
                      "so the CPU reads `0x050f` and `0xccc3`. Check: `WordPacking.ToLittleEndianWords(Exercises04.TailBytes)`.",
        Solution = TailWords,
        Declare = a => $"ushort[] machineWords = {Literal.Words(a)};",
        WrongExample = [0x050f, 0xcc3c],
    });
}
