using System.Runtime.InteropServices;
using CsCheck;

namespace JitNotebooks.Tests.Packing;

public class WordPackingTests
{
    // Copied verbatim from the article's first []uint16 listing.
    private const string ArticleSlice = """
        printFunction := []uint16{
            0x48c7, 0xc001, 0x0,                // mov $0x1, %rax
            0x48, 0xc7c7, 0x100, 0x0,           // mov $0x1, %rdi
            0x48c7, 0xc20c, 0x0,                // mov $0xc, %rdx
            0x48, 0x8d35, 0x400, 0x0,           // lea 0x4(%rip), %rsi
            0xf05,                              // syscall
            0xc3cc,                             // ret
            0x4865, 0x6c6c, 0x6f20,             // Hello_(whitespace)
            0x576f, 0x726c, 0x6421, 0xa,        // World!
        } 
        """;

    // The same slice as the article's complete program prints it (note "0xa,// World!").
    private const string ArticleProgramSlice = """
            printFunction := []uint16{
                0x48c7, 0xc001, 0x0,        // mov $0x1, %rax
                0x48, 0xc7c7, 0x100, 0x0,   // mov $0x1, %rdi
                0x48c7, 0xc20c, 0x0,        // mov $0xc, %rdx
                0x48, 0x8d35, 0x400, 0x0,   // lea 0x4(%rip), %rsi
                0xf05,                      // syscall
                0xc3cc,                     // ret
                0x4865, 0x6c6c, 0x6f20,     // Hello_(whitespace)
                0x576f, 0x726c, 0x6421, 0xa,// World!
            }
        """;

    private static readonly ushort[] ArticleWords =
    [
        0x48c7, 0xc001, 0x0, 0x48, 0xc7c7, 0x100, 0x0, 0x48c7, 0xc20c, 0x0, 0x48, 0x8d35, 0x400, 0x0,
        0xf05, 0xc3cc, 0x4865, 0x6c6c, 0x6f20, 0x576f, 0x726c, 0x6421, 0xa,
    ];

    [Theory]
    [InlineData(ArticleSlice)]
    [InlineData(ArticleProgramSlice)]
    public void The_articles_slice_unpacks_to_the_packed_program(string slice)
    {
        var words = WordPacking.ParseWords(slice);
        Assert.Equal(ArticleWords, words);
        Assert.Equal(HelloWorldProgram.Packed().ToArray(), WordPacking.ToBytes(words));
    }

    [Fact]
    public void Packing_the_program_gives_the_articles_words()
    {
        Assert.Equal(ArticleWords, WordPacking.ToWords(HelloWorldProgram.Packed().ToArray()));
    }

    [Fact]
    public void Article_order_puts_the_first_byte_high()
    {
        Assert.Equal(new ushort[] { 0x48c7, 0x00ff }, WordPacking.ToWords(new byte[] { 0x48, 0xc7, 0x00, 0xff }));
        Assert.Equal(new byte[] { 0x48, 0xc7, 0x00, 0x0a }, WordPacking.ToBytes(new ushort[] { 0x48c7, 0xa }));
    }

    [Fact]
    public void Little_endian_view_is_what_the_machine_reads()
    {
        var bytes = HelloWorldProgram.Packed().ToArray();
        var machine = WordPacking.ToLittleEndianWords(bytes);
        Assert.Equal(0xc748, machine[0]); // 48 c7 read as a ushort on x86
        if (BitConverter.IsLittleEndian)
            Assert.Equal(MemoryMarshal.Cast<byte, ushort>(bytes).ToArray(), machine);
        Assert.Equal(bytes, WordPacking.FromLittleEndianWords(machine));
        // Each machine word is the article's word with its bytes swapped.
        Assert.Equal(WordPacking.ToWords(bytes).Select(w => (ushort)(w >> 8 | w << 8)), machine);
    }

    [Fact]
    public void Compare_table_shows_both_views()
    {
        var table = WordPacking.CompareTable(new byte[] { 0x48, 0xc7, 0xc3 });
        Assert.Equal(new[] { "0x00", "48 c7", "0x48c7", "0xc748" }, table.Rows[0]);
        Assert.Equal(new[] { "0x02", "c3 cc", "0xc3cc", "0xccc3" }, table.Rows[1]); // padded with int3
    }

    // ---- round trips ---------------------------------------------------------------------

    private static readonly Gen<byte[]> EvenBytes = Gen.Byte.Array[0, 64].Where(b => b.Length % 2 == 0);

    [Fact]
    public void Bytes_to_words_to_bytes_round_trips()
    {
        EvenBytes.Sample(b => Assert.Equal(b, WordPacking.ToBytes(WordPacking.ToWords(b))));
        EvenBytes.Sample(b => Assert.Equal(b, WordPacking.FromLittleEndianWords(WordPacking.ToLittleEndianWords(b))));
    }

    [Fact]
    public void Words_to_bytes_to_words_round_trips()
    {
        Gen.UShort.Array[0, 32].Sample(w => Assert.Equal(w, WordPacking.ToWords(WordPacking.ToBytes(w))));
        Gen.UShort.Array[0, 32].Sample(w => Assert.Equal(w, WordPacking.ToLittleEndianWords(WordPacking.FromLittleEndianWords(w))));
    }

    [Fact]
    public void Padded_packing_keeps_every_byte_and_adds_one_filler_only_when_odd()
    {
        Gen.Select(Gen.Byte.Array[0, 65], Gen.Byte).Sample((b, filler) =>
        {
            var back = WordPacking.ToBytes(WordPacking.ToWordsPadded(b, filler));
            Assert.Equal(b, back[..b.Length]);
            Assert.Equal(b.Length % 2 == 0 ? b.Length : b.Length + 1, back.Length);
            if (b.Length % 2 == 1) Assert.Equal(filler, back[^1]);
        });
    }

    [Fact]
    public void Literals_round_trip_in_both_languages()
    {
        Gen.UShort.Array[0, 40].Sample(w =>
        {
            Assert.Equal(w, WordPacking.ParseWords(WordPacking.ToGoSlice(w)));
            Assert.Equal(w, WordPacking.ParseWords(WordPacking.ToCSharpArray(w)));
        });
    }

    [Fact]
    public void Literals_with_any_comments_round_trip()
    {
        var comment = Gen.String[Gen.Char["az09{},/*\\\n\r 0x;"], 0, 12];
        Gen.Select(Gen.UShort.Array[1, 20], Gen.Select(Gen.Int[0, 1000], comment).Array[0, 6]).Sample((w, notes) =>
        {
            var comments = notes.Select(n => (n.Item1 % (w.Length * 2), n.Item2)).ToArray();
            Assert.Equal(w, WordPacking.ParseWords(WordPacking.ToGoSlice(w, comments: comments)));
            Assert.Equal(w, WordPacking.ParseWords(WordPacking.ToCSharpArray(w, comments: comments)));
        });
    }

    // ---- formatting ----------------------------------------------------------------------

    [Fact]
    public void Go_slice_of_the_program_with_comments_per_instruction()
    {
        var words = WordPacking.ToWords(HelloWorldProgram.Packed().ToArray());
        (int, string)[] comments =
        [
            (0x00, "mov $0x1,%rax"), (0x07, "mov $0x1,%rdi"), (0x0e, "mov $0xc,%rdx"), (0x15, "lea 0x4(%rip),%rsi"),
            (0x1c, "syscall"), (0x1e, "ret"), (0x1f, "int3"), (0x20, "Hello World!"), (0x2c, "00 0a"),
        ];
        Assert.Equal(
            "printFunction := []uint16{\n" +
            "\t0x48c7, 0xc001, 0x0000,                         // mov $0x1,%rax\n" +
            "\t0x0048, 0xc7c7, 0x0100, 0x0000,                 // mov $0x1,%rdi\n" +
            "\t0x48c7, 0xc20c, 0x0000,                         // mov $0xc,%rdx\n" +
            "\t0x0048, 0x8d35, 0x0400, 0x0000,                 // lea 0x4(%rip),%rsi\n" +
            "\t0x0f05,                                         // syscall\n" +
            "\t0xc3cc,                                         // ret; int3\n" +
            "\t0x4865, 0x6c6c, 0x6f20, 0x576f, 0x726c, 0x6421, // Hello World!\n" +
            "\t0x000a,                                         // 00 0a\n" +
            "}",
            WordPacking.ToGoSlice(words, comments: comments));
    }

    [Fact]
    public void CSharp_array_wraps_eight_words_per_line()
    {
        var words = Enumerable.Range(1, 10).Select(i => (ushort)i).ToArray();
        Assert.Equal(
            "ushort[] code = {\n" +
            "    0x0001, 0x0002, 0x0003, 0x0004, 0x0005, 0x0006, 0x0007, 0x0008,\n" +
            "    0x0009, 0x000a,\n" +
            "};",
            WordPacking.ToCSharpArray(words, "code"));
        Assert.Equal("ushort[] program = {\n};", WordPacking.ToCSharpArray([]));
    }

    [Theory]
    [InlineData("")]
    [InlineData("1abc")]
    [InlineData("a b")]
    [InlineData("x;y")]
    public void Bad_variable_names_are_refused(string name)
    {
        Assert.Throws<ArgumentException>(() => WordPacking.ToGoSlice(new ushort[] { 1 }, name));
        Assert.Throws<ArgumentException>(() => WordPacking.ToCSharpArray(new ushort[] { 1 }, name));
    }

    [Fact]
    public void Comment_outside_the_words_is_refused()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => WordPacking.ToGoSlice(new ushort[] { 1 }, comments: [(2, "past the end")]));
        Assert.Contains("past the end", ex.Message);
    }

    // ---- odd lengths ---------------------------------------------------------------------

    [Fact]
    public void Odd_lengths_are_refused_with_the_fix_or_padded_on_request()
    {
        byte[] odd = [0x0f, 0x05, 0xc3];
        var ex = Assert.Throws<ArgumentException>(() => WordPacking.ToWords(odd));
        Assert.Contains("3", ex.Message);
        Assert.Contains("ToWordsPadded", ex.Message);
        Assert.Throws<ArgumentException>(() => WordPacking.ToLittleEndianWords(odd));
        Assert.Equal(new ushort[] { 0x0f05, 0xc3cc }, WordPacking.ToWordsPadded(odd));
        Assert.Equal(new ushort[] { 0x0f05, 0xc390 }, WordPacking.ToWordsPadded(odd, filler: 0x90));
        Assert.Equal(new byte[] { 0x0f, 0x05, 0xc3 }, odd); // input untouched
        Assert.Equal(new byte[] { 0x0f, 0x05, 0xc3, 0xcc }, WordPacking.PadToWord(odd));
        Assert.Equal(new byte[] { 0x0f, 0x05 }, WordPacking.PadToWord(odd[..2]));
        Assert.Empty(WordPacking.ToWords([]));
    }

    // ---- bad literals --------------------------------------------------------------------

    [Theory]
    [InlineData("[]uint16{0x48c7, hello}", 17, 1, 18, "hello")]
    [InlineData("{\n  0x1,\n  0x10000 // too big\n}", 11, 3, 3, "0x10000")]
    [InlineData("{0x1, 0xFFFFFFFFFFFFFFFFFFFF}", 6, 1, 7, "0xFFFFFFFFFFFFFFFFFFFF")]
    [InlineData("{0x1, -1}", 6, 1, 7, "-1")]
    [InlineData("{0x}", 1, 1, 2, "0x")]
    [InlineData("{0x12g4}", 1, 1, 2, "0x12g4")]
    [InlineData("0x1 0x2", 0, 1, 1, "0x1 0x2")]
    public void Bad_tokens_are_reported_with_their_position(string literal, int position, int line, int column, string token)
    {
        var ex = Assert.Throws<WordLiteralFormatException>(() => WordPacking.ParseWords(literal));
        Assert.Equal(position, ex.Position);
        Assert.Equal(line, ex.Line);
        Assert.Equal(column, ex.Column);
        Assert.Equal(token, ex.Token);
        Assert.Contains($"line {line}, column {column}", ex.Message);
        Assert.Contains(token, ex.Message);
    }

    [Fact]
    public void Too_large_values_say_so()
    {
        var ex = Assert.Throws<WordLiteralFormatException>(() => WordPacking.ParseWords("{0x1ffff}"));
        Assert.Contains("larger than 0xFFFF", ex.Message);
        Assert.Contains("is not a number", Assert.Throws<WordLiteralFormatException>(() => WordPacking.ParseWords("{zz}")).Message);
    }

    [Theory]
    [InlineData("{0x1,, 0x2}", "empty element")]
    [InlineData("{0x1, 0x2", "closing '}'")]
    [InlineData("0x1, 0x2}", "without an opening")]
    public void Broken_structure_is_reported(string literal, string expected)
    {
        Assert.Contains(expected, Assert.Throws<WordLiteralFormatException>(() => WordPacking.ParseWords(literal)).Message);
    }

    [Theory]
    [InlineData("{}", new int[0])]
    [InlineData("0x1, 2, 0XfF", new[] { 1, 2, 255 })]
    [InlineData("ushort[] p = { 0x1, /* 0x2, */ 0x3, }; // 0x4", new[] { 1, 3 })]
    [InlineData("{ 65535 }", new[] { 65535 })]
    public void Valid_literals_parse(string literal, int[] expected)
    {
        Assert.Equal(expected.Select(i => (ushort)i), WordPacking.ParseWords(literal));
    }
}
