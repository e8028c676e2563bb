using System.Text.RegularExpressions;

namespace JitNotebooks.Tests.Assets;

/// <summary>The printed handout quotes the library's own output, so it must not drift from it.</summary>
public class HandoutTests
{
    private static readonly string Handout = File.ReadAllText(
        Path.Combine(Runner.RunnerHarness.RepoRoot, "assets", "handout.md"));

    private static IReadOnlyList<string> TextBlocks() =>
        Regex.Matches(Handout, "```text\n(.*?)\n```", RegexOptions.Singleline).Select(m => m.Groups[1].Value).ToList();

    [Fact]
    public void The_register_table_is_the_librarys()
    {
        Assert.Equal(SyscallConvention.ArticleTable().ToText(), TextBlocks()[0]);
    }

    [Fact]
    public void The_listing_is_the_packed_program_as_the_library_disassembles_it()
    {
        Assert.Equal(Listing.Disassemble(HelloWorldProgram.Packed()).ToText().TrimEnd(), TextBlocks()[1]);
    }
}
