using JitNotebooks.Exercises;

namespace JitNotebooks.Tests.Exercises;

public class Exercises03To05Tests
{
    // The text moves from 0x1f to 0x20; rip after the lea stays 0x1c: 0x20 - 0x1c = 4.
    [Theory]
    [InlineData(4, null)]
    [InlineData(3, "unchanged-value")]
    [InlineData(0, "placeholder")]
    [InlineData(0x20 - 0x15, "from-lea-start")]
    [InlineData(0x20 - 0x18, "from-the-field")]
    [InlineData(0x20, "absolute-offset")]
    [InlineData(-4, "sign-reversed")]
    public void DisplacementWithOneFiller(int answer, string? diagnosis)
    {
        var result = Exercises03.DisplacementWithOneFiller.Check(answer);
        Assert.Equal(diagnosis is null, result.IsCorrect);
        Assert.Equal(diagnosis, result.Diagnosis);
    }

    // jmp at 2, 5 bytes long, ends at 7; the label is at 0: 0 - 7 = -7.
    [Theory]
    [InlineData(-7, null)]
    [InlineData(-2, "from-jmp-start")]
    [InlineData(-3, "from-the-field")]
    [InlineData(7, "sign-reversed")]
    [InlineData(5, "jmp-length")]
    [InlineData(-5, "jmp-length")]
    [InlineData(0, "placeholder")]
    public void BackwardJmpDisplacement(int answer, string? diagnosis)
    {
        var result = Exercises03.BackwardJmpDisplacement.Check(answer);
        Assert.Equal(diagnosis is null, result.IsCorrect);
        Assert.Equal(diagnosis, result.Diagnosis);
    }

    [Fact]
    public void PackOddProgram_wants_the_filler_in_the_low_half_of_the_last_word()
    {
        Assert.True(Exercises04.PackOddProgram.Check([0x48c7, 0xc001, 0x0000, 0x00cc]).IsCorrect);
        Assert.Equal("no-padding", Exercises04.PackOddProgram.Check([0x48c7, 0xc001, 0x0000]).Diagnosis);
        Assert.Equal("x86-order", Exercises04.PackOddProgram.Check([0xc748, 0x01c0, 0x0000, 0xcc00]).Diagnosis);
        Assert.Equal("filler-in-the-high-half", Exercises04.PackOddProgram.Check([0x48c7, 0xc001, 0x0000, 0xcc00]).Diagnosis);
        Assert.Equal("nop-filler", Exercises04.PackOddProgram.Check([0x48c7, 0xc001, 0x0000, 0x0090]).Diagnosis);
        Assert.Equal("zero-filler", Exercises04.PackOddProgram.Check([0x48c7, 0xc001, 0x0000, 0x0000]).Diagnosis);
        Assert.Contains("word 2", Exercises04.PackOddProgram.Check([0x48c7, 0xc002, 0x0000, 0x00cc]).Message);
    }

    [Fact]
    public void LittleEndianWordsOfTail_wants_the_first_byte_low()
    {
        Assert.True(Exercises04.LittleEndianWordsOfTail.Check([0x050f, 0xccc3]).IsCorrect);
        Assert.Equal("article-order", Exercises04.LittleEndianWordsOfTail.Check([0x0f05, 0xc3cc]).Diagnosis);
        Assert.Equal("one-32-bit-number", Exercises04.LittleEndianWordsOfTail.Check([0xccc3, 0x050f]).Diagnosis);
    }

    [Fact]
    public void PagesFor5000Bytes_rounds_up_to_whole_pages()
    {
        int page = Environment.SystemPageSize;
        int pages = (5000 + page - 1) / page;
        Assert.True(Exercises05.PagesFor5000Bytes.Check(pages).IsCorrect);
        Assert.Equal("no-pages", Exercises05.PagesFor5000Bytes.Check(0).Diagnosis);
        Assert.Equal("bytes-not-pages", Exercises05.PagesFor5000Bytes.Check(pages * page).Diagnosis);
        if (page == 4096)
        {
            Assert.Equal("rounded-down", Exercises05.PagesFor5000Bytes.Check(1).Diagnosis);
            Assert.Equal("decimal-kilobytes", Exercises05.PagesFor5000Bytes.Check(5).Diagnosis);
        }
    }

    [Theory]
    [InlineData("r-xp", null)]
    [InlineData(" R-XP ", null)] // case and spaces do not matter
    [InlineData("rwxp", "the-articles-mapping")]
    [InlineData("rw-p", "before-mprotect")]
    [InlineData("r-x", "private-flag-missing")]
    [InlineData("r-xs", "shared-flag")]
    [InlineData("--xp", "execute-only")]
    public void PermissionsAfterMakeExecutable(string answer, string? diagnosis)
    {
        var result = Exercises05.PermissionsAfterMakeExecutable.Check(answer);
        Assert.Equal(diagnosis is null, result.IsCorrect);
        Assert.Equal(diagnosis, result.Diagnosis);
    }
}
