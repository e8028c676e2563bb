using JitNotebooks.Exercises;

namespace JitNotebooks.Tests.Exercises;

public class Exercises04Tests
{
    [Fact]
    public void PackOddProgram_accepts_the_worked_solution()
    {
        // Independent of WordPacking: pairs of bytes, first byte high, 0xcc appended.
        byte[] padded = [0x48, 0xc7, 0xc0, 0x01, 0x00, 0x00, 0x00, 0xcc];
        ushort[] words = Enumerable.Range(0, 4).Select(i => (ushort)(padded[2 * i] << 8 | padded[2 * i + 1])).ToArray();
        Assert.Equal(new ushort[] { 0x48c7, 0xc001, 0x0000, 0x00cc }, words);
        Assert.True(Exercises04.PackOddProgram(words).IsCorrect);
    }

    [Theory]
    [InlineData(new ushort[] { })]                                // untouched
    [InlineData(new ushort[] { 0x48c7, 0xc001, 0x0000 })]         // forgot the filler word
    [InlineData(new ushort[] { 0xc748, 0x01c0, 0x0000, 0xcc00 })] // x86 order
    [InlineData(new ushort[] { 0x48c7, 0xc001, 0x0000, 0xcc00 })] // filler in the wrong half
    [InlineData(new ushort[] { 0x48c7, 0xc001, 0x0000, 0x0090 })] // nop, not the article's filler
    public void PackOddProgram_rejects_wrong_answers(ushort[] words)
    {
        var result = Exercises04.PackOddProgram(words);
        Assert.False(result.IsCorrect);
        Assert.StartsWith("❌", result.ToString());
    }

    [Fact]
    public void PackOddProgram_never_throws_on_null() => Assert.False(Exercises04.PackOddProgram(null).IsCorrect);

    [Fact]
    public void LittleEndianWordsOfTail_accepts_the_worked_solution()
    {
        ushort[] words = [BitConverter.ToUInt16([0x0f, 0x05]), BitConverter.ToUInt16([0xc3, 0xcc])];
        Assert.True(BitConverter.IsLittleEndian);
        Assert.True(Exercises04.LittleEndianWordsOfTail(words).IsCorrect);
        Assert.True(Exercises04.LittleEndianWordsOfTail([0x050f, 0xccc3]).IsCorrect);
    }

    [Theory]
    [InlineData(new ushort[] { })]               // untouched
    [InlineData(new ushort[] { 0x0f05, 0xc3cc })] // the article's order
    [InlineData(new ushort[] { 0x050f })]         // too short
    [InlineData(new ushort[] { 0x050f, 0xc3cc })] // half right
    public void LittleEndianWordsOfTail_rejects_wrong_answers(ushort[] words) =>
        Assert.False(Exercises04.LittleEndianWordsOfTail(words).IsCorrect);

    [Fact]
    public void LittleEndianWordsOfTail_never_throws_on_null() =>
        Assert.False(Exercises04.LittleEndianWordsOfTail(null).IsCorrect);
}
