using System.Text.RegularExpressions;

namespace JitNotebooks.Tests.Assets;

public class GlossaryAndNotationTests
{
    private static string Read(params string[] path) => File.ReadAllText(Path.Combine([Runner.RunnerHarness.RepoRoot, .. path]));

    [Theory]
    [InlineData("REX")]
    [InlineData("ModRM")]
    [InlineData("RIP")]
    [InlineData("RIP-relative")]
    [InlineData("displacement")]
    [InlineData("immediate")]
    [InlineData("W^X")]
    [InlineData("NX")]
    [InlineData("page")]
    [InlineData("ABI")]
    [InlineData("System V")]
    [InlineData("clobber")]
    [InlineData("syscall")]
    [InlineData("int3")]
    [InlineData("little-endian")]
    [InlineData("JIT")]
    public void The_glossary_defines_each_term(string term) =>
        Assert.Matches($@"(?m)^\*\*{Regex.Escape(term)}\*\*[ .(]", Read("notebooks", "glossary.md"));

    [Theory]
    [InlineData("https://man7.org/linux/man-pages/man2/write.2.html")]
    [InlineData("https://man7.org/linux/man-pages/man2/mmap.2.html")]
    [InlineData("https://man7.org/linux/man-pages/man2/mprotect.2.html")]
    [InlineData("https://gitlab.com/x86-psABIs/x86-64-ABI")]
    [InlineData("https://www.intel.com/content/www/us/en/developer/articles/technical/intel-sdm.html")]
    [InlineData("https://learn.microsoft.com/en-us/dotnet/csharp/language-reference/unsafe-code#function-pointers")]
    [InlineData("https://github.com/icedland/iced")]
    public void The_glossary_links_the_primary_sources(string url) =>
        Assert.Contains($"]({url})", Read("notebooks", "glossary.md"));

    [Fact]
    public void The_notation_tables_program_is_the_librarys_listing_in_both_syntaxes()
    {
        var rows = Regex.Matches(Read("assets", "notation.md"), @"(?m)^\| ([0-9a-f]+) \| `([0-9a-f ]+)` \| `([^`]+)` \| `([^`]+)` \|$")
            .Select(m => (m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value, m.Groups[4].Value)).ToList();
        var program = HelloWorldProgram.Unpacked();
        var att = Listing.Disassemble(program, ListingSyntax.Att).Lines.Where(l => l.Kind == ListingLineKind.Instruction).ToList();
        var intel = Listing.Disassemble(program, ListingSyntax.Intel).Lines.Where(l => l.Kind == ListingLineKind.Instruction).ToList();
        Assert.Equal(att.Count, rows.Count);
        for (int i = 0; i < rows.Count; i++)
        {
            Assert.Equal($"{att[i].Offset:x}", rows[i].Item1);
            Assert.Equal(att[i].HexBytes, rows[i].Item2);
            Assert.Equal(Tidy(att[i].Text), rows[i].Item3);
            Assert.Equal(Tidy(intel[i].Text), rows[i].Item4);
        }
    }

    private static string Tidy(string text) => Regex.Replace(text.Trim(), @"\s+", " ");
}
