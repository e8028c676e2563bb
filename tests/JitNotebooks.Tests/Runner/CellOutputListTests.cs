using System.Text.Json.Nodes;
using JitNotebooks.Runner.Host;
using JitNotebooks.Runner.Notebooks;

namespace JitNotebooks.Tests.Runner;

/// <summary>Outputs assembled from the kernel's messages as nbclient assembles them.</summary>
public class CellOutputListTests
{
    private static JsonObject Display(string text) => new()
    {
        ["data"] = new JsonObject { ["text/plain"] = text },
        ["metadata"] = new JsonObject(),
        ["output_type"] = "display_data",
    };

    [Fact]
    public void An_update_replaces_the_data_of_the_display_it_names_in_place()
    {
        var list = new CellOutputList();
        list.Add(Display("Installing package Iced..."), "packages", update: false);
        list.Add(Outputs.Stream("stdout", "between\n"), null, update: false);
        list.Add(Display("Installed Packages: Iced, 1.22.0"), "packages", update: true);
        Assert.Equal(2, list.Items.Count);
        Assert.Equal("Installed Packages: Iced, 1.22.0", RunnerHarness.Plain(list.Items[0]));
    }

    [Fact]
    public void An_update_of_a_display_never_shown_is_ignored()
    {
        var list = new CellOutputList();
        list.Add(Display("shown"), "a", update: false);
        list.Add(Display("for another display"), "b", update: true);
        Assert.Equal("shown", RunnerHarness.Plain(Assert.Single(list.Items)));
    }

    [Fact]
    public void Consecutive_text_of_one_stream_joins_and_anything_else_starts_a_new_output()
    {
        var list = new CellOutputList();
        list.Add(Outputs.Stream("stdout", "a"), null, false);
        list.Add(Outputs.Stream("stdout", "b\nc\n"), null, false);
        list.Add(Outputs.Stream("stderr", "warning\n"), null, false);
        list.Add(Outputs.Stream("stdout", "d\n"), null, false);
        list.Add(Display("x"), null, false);
        list.Add(Outputs.Stream("stdout", "e"), null, false);
        var items = list.Items;
        Assert.Equal(["stdout", "stderr", "stdout", null, "stdout"], items.Select(o => (string?)o["name"]));
        Assert.Equal(["ab\n", "c\n"], items[0]["text"]!.AsArray().Select(l => (string)l!));
        Assert.Equal("e", RunnerHarness.Text(items[4]["text"]));
    }

    [Fact]
    public void A_hundred_thousand_writes_join_into_one_output()
    {
        var list = new CellOutputList();
        for (int i = 0; i < 100_000; i++) list.Add(Outputs.Stream("stdout", $"line {i}\n"), null, false);
        var text = Assert.Single(list.Items)["text"]!.AsArray();
        Assert.Equal(100_000, text.Count);
        Assert.Equal("line 99999\n", (string)text[^1]!);
    }
}
