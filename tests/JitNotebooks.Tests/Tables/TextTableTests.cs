namespace JitNotebooks.Tests.Tables;

public class TextTableTests
{
    [Fact]
    public void Text_columns_are_aligned_to_the_widest_cell()
    {
        var table = new TextTable("Name", "N").AddRow("rax", 0).AddRow("r15", 15).AddRow("x", "longer cell");
        string expected =
            "Name  N\n" +
            "----  -----------\n" +
            "rax   0\n" +
            "r15   15\n" +
            "x     longer cell";
        Assert.Equal(expected, table.ToText());
        Assert.Equal(expected, table.ToString());
    }

    [Fact]
    public void Every_text_line_starts_each_column_at_the_same_position()
    {
        var table = new TextTable("a", "bb", "ccc").AddRow("wide cell", "1", "x").AddRow("", "22222", "y");
        var lines = table.ToText().Split('\n');
        // The third column starts where the header's "ccc" starts, on every line.
        int col = lines[0].IndexOf("ccc");
        Assert.Equal("x", lines[2].Substring(col, 1));
        Assert.Equal("y", lines[3].Substring(col, 1));
        Assert.All(lines, l => Assert.Equal(l.TrimEnd(), l));
    }

    [Fact]
    public void Html_escapes_every_cell_and_header()
    {
        var html = new TextTable("a<b", "AT&T").AddRow("<script>", "\"q\" & 'r'").ToHtml();
        Assert.Equal(
            "<table>\n<thead><tr><th>a&lt;b</th><th>AT&amp;T</th></tr></thead>\n<tbody>\n" +
            "<tr><td>&lt;script&gt;</td><td>&quot;q&quot; &amp; &#39;r&#39;</td></tr>\n</tbody>\n</table>", html);
        Assert.DoesNotContain("<script>", html);
    }

    [Fact]
    public void Null_cell_is_empty()
    {
        Assert.Equal("", new TextTable("a").AddRow((object?)null).Rows[0][0]);
    }

    [Fact]
    public void Wrong_cell_count_is_refused_and_the_table_is_unchanged()
    {
        var table = new TextTable("a", "b").AddRow(1, 2);
        var ex = Assert.Throws<ArgumentException>(() => table.AddRow(1, 2, 3));
        Assert.Contains("3 cells", ex.Message);
        Assert.Contains("2 columns", ex.Message);
        Assert.Single(table.Rows);
    }

    [Fact]
    public void Line_breaks_in_cells_and_empty_headers_are_refused()
    {
        var table = new TextTable("a");
        Assert.Contains("line break", Assert.Throws<ArgumentException>(() => table.AddRow("x\ny")).Message);
        Assert.Empty(table.Rows);
        Assert.Throws<ArgumentException>(() => new TextTable());
        Assert.Throws<ArgumentException>(() => new TextTable("ok", "bad\r\nheader"));
    }
}
