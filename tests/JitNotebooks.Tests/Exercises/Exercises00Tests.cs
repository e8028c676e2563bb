using JitNotebooks.Exercises;

namespace JitNotebooks.Tests.Exercises;

public class Exercises00Tests
{
    [Fact]
    public void CodeLength_accepts_0x1f_the_article_listings_data_offset()
    {
        Assert.True(Exercises00.CodeLength(0x1f).IsCorrect);
    }

    [Theory]
    [InlineData(0)]      // the untouched starting value
    [InlineData(43)]     // code and data together
    [InlineData(-5)]
    [InlineData(int.MaxValue)]
    public void CodeLength_rejects_wrong_answers(int answer)
    {
        var result = Exercises00.CodeLength(answer);
        Assert.False(result.IsCorrect);
        Assert.StartsWith("❌ not yet", result.ToString());
    }

    [Fact]
    public void BytesPrinted_accepts_12_and_rejects_the_rest()
    {
        Assert.True(Exercises00.BytesPrinted(12).IsCorrect);
        Assert.False(Exercises00.BytesPrinted(0).IsCorrect);
        Assert.False(Exercises00.BytesPrinted(13).IsCorrect); // with a newline that is never written
        Assert.False(Exercises00.BytesPrinted(int.MinValue).IsCorrect);
    }
}
