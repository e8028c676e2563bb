using System.Globalization;

namespace JitNotebooks.Tests.Memory;

public class ProcMapsTests
{
    [Fact]
    public void Parses_a_file_backed_line()
    {
        const string line = "7f0e2a628000-7f0e2a7bd000 r-xp 00028000 08:01 1835155                    /usr/lib/x86_64-linux-gnu/libc.so.6";
        var e = ProcMaps.Parse(line);
        Assert.Equal(0x7f0e2a628000UL, e.Start);
        Assert.Equal(0x7f0e2a7bd000UL, e.End);
        Assert.Equal(0x195000UL, e.Size);
        Assert.Equal("r-xp", e.Permissions);
        Assert.Equal(Protection.Read | Protection.Execute, e.Protection);
        Assert.Equal(0x28000UL, e.Offset);
        Assert.Equal("08:01", e.Device);
        Assert.Equal(1835155UL, e.Inode);
        Assert.Equal("/usr/lib/x86_64-linux-gnu/libc.so.6", e.Path);
        Assert.Equal(line, e.Line);
        Assert.Equal(line, e.ToString());
    }

    [Theory]
    [InlineData("7ffd1c000000-7ffd1c001000 rw-p 00000000 00:00 0 ", "")]
    [InlineData("7ffd1c000000-7ffd1c001000 rw-p 00000000 00:00 0", "")]
    [InlineData("55d0c1a2b000-55d0c1a2c000 rw-p 00000000 00:00 0                          [heap]", "[heap]")]
    [InlineData("7f00aa000000-7f00aa001000 rwxs 00000000 00:05 42                         /tmp/a b (deleted)", "/tmp/a b (deleted)")]
    public void Parses_anonymous_pseudo_and_spaced_paths(string line, string path)
    {
        var e = ProcMaps.Parse(line);
        Assert.Equal(path, e.Path);
        Assert.Equal(0x1000UL, e.Size);
    }

    [Fact]
    public void Flags_writable_and_executable_ranges()
    {
        Assert.True(ProcMaps.Parse("1000-2000 rwxp 00000000 00:00 0").IsWritableAndExecutable);
        Assert.False(ProcMaps.Parse("1000-2000 r-xp 00000000 00:00 0").IsWritableAndExecutable);
        Assert.False(ProcMaps.Parse("1000-2000 rw-p 00000000 00:00 0").IsWritableAndExecutable);
        Assert.Equal(Protection.None, ProcMaps.Parse("1000-2000 ---p 00000000 00:00 0").Protection);
    }

    [Theory]
    [InlineData("")]
    [InlineData("hello world")]
    [InlineData("1000 r-xp 00000000 00:00 0")]
    [InlineData("1000-zz r-xp 00000000 00:00 0")]
    [InlineData("1000-2000 rx 00000000 00:00 0")]
    [InlineData("1000-2000 r-xp 00000000 00:00 inode")]
    public void Malformed_lines_are_a_FormatException_that_shows_the_expected_shape(string line)
    {
        var e = Assert.Throws<FormatException>(() => ProcMaps.Parse(line));
        Assert.Contains("r-xp 00000000 00:00 0", e.Message);
    }

    [Fact]
    public void Contains_and_Covers_respect_the_exclusive_end()
    {
        var e = ProcMaps.Parse("1000-3000 r-xp 00000000 00:00 0");
        Assert.True(e.Contains(0x1000));
        Assert.True(e.Contains(0x2fff));
        Assert.False(e.Contains(0x3000));
        Assert.False(e.Contains(0xfff));
        Assert.True(e.Covers(0x1000, 0x2000));
        Assert.False(e.Covers(0x1000, 0x2001));
    }

    [Fact]
    public void ReadSelf_matches_the_file_read_independently()
    {
        var entries = ProcMaps.ReadSelf();
        Assert.NotEmpty(entries);
        // The test's own parse of one field pair; the file may change between reads, so compare
        // only lines present in both.
        var raw = File.ReadAllLines("/proc/self/maps").ToHashSet();
        var shared = entries.Where(e => raw.Contains(e.Line)).ToList();
        Assert.NotEmpty(shared);
        foreach (var e in shared)
        {
            string[] range = e.Line.Split(' ')[0].Split('-');
            Assert.Equal(ulong.Parse(range[0], NumberStyles.HexNumber), e.Start);
            Assert.Equal(ulong.Parse(range[1], NumberStyles.HexNumber), e.End);
            Assert.Equal(e.Line.Split(' ')[1], e.Permissions);
        }
        Assert.Contains(entries, e => e.Path == "[stack]");
    }

    [Fact]
    public void Find_returns_the_line_covering_an_address_and_null_for_unmapped_ones()
    {
        using var memory = ExecutableMemory.Create([0xC3]);
        var entry = ProcMaps.Find(memory.Address + 1)!;
        Assert.True(entry.Contains(memory.Address));
        Assert.Null(ProcMaps.Find(0)); // page zero is never mapped
        var all = ProcMaps.ReadSelf();
        Assert.Equal(entry.Start, ProcMaps.Find(all, memory.Address)!.Start);
    }
}
