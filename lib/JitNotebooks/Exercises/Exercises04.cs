namespace JitNotebooks.Exercises;

/// <summary>Self-checking exercises of notebook 04 (packing the program into 16-bit words).</summary>
public static class Exercises04
{
    /// <summary>Exercise 1's program: <c>mov $0x1,%rax</c> alone, seven bytes (an odd number).</summary>
    public static readonly byte[] OddProgram = [0x48, 0xC7, 0xC0, 0x01, 0x00, 0x00, 0x00];

    /// <summary>Exercise 2's bytes: <c>syscall; ret; int3</c>.</summary>
    public static readonly byte[] TailBytes = [0x0F, 0x05, 0xC3, 0xCC];

    /// <summary>
    /// Exercise 1: the article-order words (first byte high) of <see cref="OddProgram"/>,
    /// padded with one <c>0xcc</c> so it fills whole words.
    /// </summary>
    public static CheckResult PackOddProgram(ushort[]? words) => Check.Safely(() =>
    {
        ushort[] expected = [0x48C7, 0xC001, 0x0000, 0x00CC];
        if (words is null || words.Length == 0)
            return CheckResult.NotYet("no words yet. Split the 7 bytes into pairs, first byte in the high half: 48 c7 → 0x48c7.");
        if (words.Length == 3)
            return CheckResult.NotYet("3 words hold only 6 bytes; the 7th byte needs a 4th word, filled up with 0xcc.");
        if (words.Length != expected.Length)
            return CheckResult.NotYet($"{words.Length} words; 7 bytes plus one filler make 8 bytes, which is 4 words.");
        if (words.SequenceEqual(WordPacking.ToLittleEndianWords(WordPacking.PadToWord(OddProgram))))
            return CheckResult.NotYet("these are the x86 (low byte first) words; the article puts the FIRST byte in the HIGH half.");
        if (words[3] == 0xCC00)
            return CheckResult.NotYet("the last word is 00 then the filler cc, so its first byte (00) goes high: 0x00cc.");
        for (int i = 0; i < expected.Length; i++)
            if (words[i] != expected[i])
                return CheckResult.NotYet($"word {i} (bytes {2 * i} and {2 * i + 1}) is 0x{words[i]:x4}, which is not right yet.");
        return CheckResult.Correct("0x48c7, 0xc001, 0x0000, 0x00cc: the filler sits in the low half of the last word.");
    });

    /// <summary>
    /// Exercise 2: the words an x86 CPU reads from <see cref="TailBytes"/> as <c>ushort</c>s
    /// (little-endian: first byte low).
    /// </summary>
    public static CheckResult LittleEndianWordsOfTail(ushort[]? words) => Check.Safely(() =>
    {
        ushort[] expected = [0x050F, 0xCCC3];
        if (words is null || words.Length == 0)
            return CheckResult.NotYet("no words yet. Four bytes make two words; on x86 the first byte of each pair is the LOW half.");
        if (words.SequenceEqual(new ushort[] { 0x0F05, 0xC3CC }))
            return CheckResult.NotYet("that is the article's order (first byte high); an x86 ushort keeps the first byte in the low half.");
        if (words.Length != expected.Length)
            return CheckResult.NotYet($"{words.Length} words; 4 bytes are exactly 2 words.");
        for (int i = 0; i < expected.Length; i++)
            if (words[i] != expected[i])
                return CheckResult.NotYet($"word {i} is 0x{words[i]:x4}; it holds bytes {Check.Hex(TailBytes.Skip(2 * i).Take(2))}, second byte high.");
        return CheckResult.Correct("0x050f, 0xccc3: little-endian puts the first byte in the low half.");
    });
}
