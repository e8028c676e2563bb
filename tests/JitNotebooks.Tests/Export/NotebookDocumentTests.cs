using JitNotebooks.Export.Notebooks;

namespace JitNotebooks.Tests.Export;

public class NotebookDocumentTests
{
    [Fact]
    public void Reads_sources_given_as_a_list_or_as_one_string_with_or_without_ids()
    {
        var list = NotebookDocument.Load(ExportTestSupport.FixtureNotebooks[0]);
        var text = NotebookDocument.Load(ExportTestSupport.FixtureNotebooks[1]);
        Assert.StartsWith("# 01 — First fixture\n\nA fixture", list.Cells[0].Source);
        Assert.StartsWith("# 02 — Second fixture\n\nBack to", text.Cells[0].Source);
        Assert.Equal("01 — First fixture", list.Title);
        Assert.Equal(["markdown", "code", "code", "raw"], text.Cells.Select(c => c.Kind));
        Assert.Equal(2, text.Cells[2].Outputs.Count);
        Assert.NotNull(text.Cells[0].Attachments);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    [InlineData(5)]
    public void Accepts_every_nbformat_4_minor_version(int minor)
    {
        var nb = NotebookDocument.Parse($$"""{"nbformat": 4, "nbformat_minor": {{minor}}, "metadata": {}, "cells": [{"cell_type": "code", "source": "1", "metadata": {}, "outputs": []}]}""", "x.ipynb");
        Assert.Equal("1", Assert.Single(nb.Cells).Source);
        Assert.Equal("x", nb.Title); // no heading: the file name
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[1, 2]", "not an object")]
    [InlineData("""{"nbformat": 3, "worksheets": []}""", "nbformat 3")]
    [InlineData("""{"cells": []}""", "nbformat is missing")]
    [InlineData("""{"nbformat": 4, "nbformat_minor": 5}""", "no \"cells\" array")]
    [InlineData("""{"nbformat": 4, "cells": [{"source": "x"}]}""", "cell 0 has no \"cell_type\"")]
    [InlineData("""{"nbformat": 4, "cells": [{"cell_type": "heading", "source": "x"}]}""", "cell_type \"heading\"")]
    [InlineData("""{"nbformat": 4, "cells": [{"cell_type": "code", "source": "x", "outputs": [1]}]}""", "output 0 of cell 0")]
    public void Refuses_what_is_not_an_nbformat_4_notebook_naming_the_problem(string json, string expected)
    {
        var e = Assert.Throws<NotebookFormatException>(() => NotebookDocument.Parse(json, "bad.ipynb"));
        Assert.Contains("bad.ipynb", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        var e = Assert.Throws<FileNotFoundException>(() => NotebookDocument.Load("/no/such/notebook.ipynb"));
        Assert.Contains("/no/such/notebook.ipynb", e.Message);
    }

    [Fact]
    public void Writing_back_keeps_everything_it_did_not_change()
    {
        string original = File.ReadAllText(ExportTestSupport.FixtureNotebooks[0]);
        var nb = NotebookDocument.Parse(original, "01-first.ipynb");
        var written = nb.ToJson();
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(System.Text.Json.Nodes.JsonNode.Parse(original), System.Text.Json.Nodes.JsonNode.Parse(written)));
        Assert.Equal(written, NotebookDocument.Parse(written, "01-first.ipynb").ToJson()); // Jupyter's layout: a second write changes nothing
    }

    [Theory]
    [InlineData("", new string[0])]
    [InlineData("one line", new[] { "one line" })]
    [InlineData("a\nb\n", new[] { "a\n", "b\n" })]
    [InlineData("a\n\nb", new[] { "a\n", "\n", "b" })]
    public void Text_is_written_as_jupyter_writes_a_multiline_string_and_read_back_unchanged(string text, string[] lines)
    {
        var json = NotebookDocument.MultilineJson(text);
        Assert.Equal(lines, json.Select(l => l!.GetValue<string>()));
        Assert.Equal(text, NotebookDocument.MultilineText(json));
    }

    [Fact]
    public void A_multiline_value_that_is_not_text_is_read_as_its_json()
    {
        // application/json outputs hold JSON values, which a reader shows as JSON rather than failing on.
        Assert.Equal("[1,2]", NotebookDocument.MultilineText(System.Text.Json.Nodes.JsonNode.Parse("[1,2]")));
        Assert.Equal("{\"a\":1}", NotebookDocument.MultilineText(System.Text.Json.Nodes.JsonNode.Parse("{\"a\":1}")));
        Assert.Equal("", NotebookDocument.MultilineText(null));
    }
}
