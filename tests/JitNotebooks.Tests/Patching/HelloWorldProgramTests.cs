namespace JitNotebooks.Tests.Patching;

/// <summary>The article's two listings, byte for byte (bytes copied from the article's text).</summary>
public class HelloWorldProgramTests
{
    // The first listing, offsets 0x00–0x2a: lea displacement 3, data at 0x1f.
    private static readonly byte[] ArticleFirstListing =
    [
        0x48, 0xc7, 0xc0, 0x01, 0x00, 0x00, 0x00,
        0x48, 0xc7, 0xc7, 0x01, 0x00, 0x00, 0x00,
        0x48, 0xc7, 0xc2, 0x0c, 0x00, 0x00, 0x00,
        0x48, 0x8d, 0x35, 0x03, 0x00, 0x00, 0x00,
        0x0f, 0x05,
        0xc3,
        0x48, 0x65, 0x6c, 0x6c, 0x6f, 0x20, 0x57, 0x6f, 0x72, 0x6c, 0x64, 0x21,
    ];

    [Fact]
    public void Unpacked_matches_the_articles_first_listing()
    {
        Assert.Equal(ArticleFirstListing, HelloWorldProgram.Unpacked().ToArray());
    }

    [Fact]
    public void Unpacked_placeholder_was_zero_before_the_patch()
    {
        var report = HelloWorldProgram.Unpacked().Report!;
        Assert.Equal(new byte[] { 0, 0, 0, 0 }, report.Before[0x18..0x1c]);
        Assert.Equal(new[] { 0x18, 0x19, 0x1a, 0x1b }, report.PatchedOffsets);
        Assert.Equal(3, Assert.Single(report.Patches).Displacement);
    }

    [Fact]
    public void Packed_has_one_filler_displacement_four_and_trailing_00_0a()
    {
        var bytes = HelloWorldProgram.Packed().ToArray();
        Assert.Equal(0xcc, bytes[0x1f]);
        Assert.Equal(new byte[] { 0x04, 0, 0, 0 }, bytes[0x18..0x1c]);
        Assert.Equal("Hello World!"u8.ToArray(), bytes[0x20..0x2c]);
        Assert.Equal(new byte[] { 0x00, 0x0a }, bytes[0x2c..]);
        Assert.Equal(46, bytes.Length);
    }
}
