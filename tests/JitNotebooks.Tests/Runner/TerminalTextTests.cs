using System.Text.Json.Nodes;
using JitNotebooks.Runner.Host;
using JitNotebooks.Export.Notebooks;

namespace JitNotebooks.Tests.Runner;

/// <summary>What a person reads in the terminal: text, never a placeholder for HTML.</summary>
[Collection(FixtureCollection.Name)]
public class TerminalTextTests(FixtureRun fixtures)
{
    private static JsonObject Display(params (string Mime, string Value)[] data)
    {
        var bundle = new JsonObject();
        foreach (var (mime, value) in data) bundle[mime] = value;
        return new JsonObject { ["output_type"] = "display_data", ["data"] = bundle, ["metadata"] = new JsonObject() };
    }

    [Fact]
    public void Text_plain_is_preferred_over_html()
    {
        var output = Display(("text/html", "<table><tr><th>a</th></tr></table>"), ("text/plain", "the text form"));
        Assert.Equal("the text form\n", TerminalText.Of(output));
    }

    [Fact]
    public void An_html_table_becomes_aligned_columns_with_a_rule_under_the_header()
    {
        var html = "<table><thead><tr><th>name</th><th>bytes</th></tr></thead><tbody>" +
                   "<tr><td>mov</td><td>48 c7 c0</td></tr><tr><td>syscall</td><td>0f 05</td></tr></tbody></table>";
        Assert.Equal("name     bytes\n-------  --------\nmov      48 c7 c0\nsyscall  0f 05", TerminalText.FromHtml(html));
    }

    [Fact]
    public void Objects_in_a_table_show_their_summary_as_a_closed_tree_view_does()
    {
        var html = "<table><thead><tr><th><i>index</i></th><th>value</th></tr></thead><tbody><tr><td>0</td><td>" +
                   "<details class=\"dni-treeview\"><summary><code>P { X = 1 }</code></summary><div><table><tbody><tr><td>X</td><td><pre>1</pre></td></tr></tbody></table></div></details>" +
                   "</td></tr></tbody></table>";
        Assert.Equal("index  value\n-----  -----------\n0      P { X = 1 }", TerminalText.FromHtml(html));
    }

    [Fact]
    public void Scripts_and_styles_are_dropped_entities_decoded_and_lists_bulleted()
    {
        var html = "<style>td { color: red }</style><script>alert(1)</script><p>a &lt; b &amp; c</p><ul><li>one</li><li>two</li></ul>";
        Assert.Equal("a < b & c\n\n- one\n- two", TerminalText.FromHtml(html));
    }

    [Fact]
    public void Json_shows_as_json_and_an_unknown_type_is_named()
    {
        var json = new JsonObject { ["output_type"] = "display_data", ["data"] = new JsonObject { ["application/json"] = new JsonObject { ["a"] = 1 } } };
        Assert.Equal("{\"a\":1}\n", TerminalText.Of(json));
        Assert.Equal("[image/png output]\n", TerminalText.Of(Display(("image/png", "iVBOR"))));
    }

    [Fact]
    public void Every_fixture_reads_as_text_in_the_terminal()
    {
        Assert.DoesNotContain("(HTML content)", fixtures.Output);
        Assert.DoesNotContain("<div", fixtures.Output);
        Assert.DoesNotContain("<style", fixtures.Output);
        Assert.DoesNotContain(".dni-", fixtures.Output);
        // An array of records (HTML only in the kernel) as a table, and the library's table as its own text.
        Assert.Contains("""
                    index  value
                    -----  -------------------------
                    0      Point { X = 1, Y = 2 }
                    1      Point { X = 30, Y = 400 }
            """.Replace("\r", ""), fixtures.Output);
        Assert.Contains("""
                    register  encoding
                    --------  --------
                    rax       0
            """.Replace("\r", ""), fixtures.Output);
        Assert.Contains("        Installed Packages\n        - Iced, 1.22.0\n", fixtures.Output);
    }
}
