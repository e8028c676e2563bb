using JitNotebooks.Diagrams;

namespace JitNotebooks.Tests.Diagrams;

/// <summary>Notebook 04's picture shows the packed program's own bytes and both word orders.</summary>
public class WordPackingDiagramTests
{
    [Fact]
    public void It_shows_the_first_bytes_as_the_articles_words_and_as_x86_words()
    {
        string svg = CourseDiagrams.PackedWords().Svg;
        byte[] bytes = HelloWorldProgram.Packed().ToArray();
        foreach (var word in WordPacking.ToWords(bytes.AsSpan(0, 8)))
            Assert.Contains($">0x{word:x4}</text>", svg);
        foreach (var word in WordPacking.ToLittleEndianWords(bytes.AsSpan(0, 8)))
            Assert.Contains($">0x{word:x4}</text>", svg);
        Assert.Contains(">0xc748</text>", svg); // 48 c7 read first byte low
        Assert.Contains(">0x48c7</text>", svg); // and first byte high, as the article writes it
    }

    [Fact]
    public void It_marks_the_int3_filler_after_ret_and_the_text_on_a_word_boundary()
    {
        string svg = CourseDiagrams.PackedWords().Svg;
        var program = HelloWorldProgram.Packed();
        Assert.Equal(0x1f, program.CodeEnd);
        Assert.Equal(WordPacking.Int3Filler, program.ToArray()[0x1f]);
        Assert.Contains(">cc</text>", svg);
        Assert.Contains("int3 filler", svg);
        Assert.Contains("moves the text from 0x1f to 0x20", svg);
    }
}
