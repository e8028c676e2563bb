using System.Text.Json.Nodes;
using JitNotebooks.Tests.Runner;

namespace JitNotebooks.Tests.Course;

public class NotebookFormatTests
{
    private static JsonObject Valid() => new()
    {
        ["cells"] = new JsonArray(
            new JsonObject { ["cell_type"] = "markdown", ["id"] = "a", ["metadata"] = new JsonObject(), ["source"] = "# Title" },
            new JsonObject
            {
                ["cell_type"] = "code", ["id"] = "b", ["execution_count"] = null, ["outputs"] = new JsonArray(),
                ["metadata"] = CourseNotebookFormat.CanonicalCodeCellMetadata(), ["source"] = new JsonArray("1 + 1"),
            }),
        ["metadata"] = CourseNotebookFormat.CanonicalNotebookMetadata(),
        ["nbformat"] = 4,
        ["nbformat_minor"] = 5,
    };

    [Fact]
    public void The_canonical_notebook_is_valid() => Assert.Empty(CourseNotebookFormat.Validate(Valid()));

    public static TheoryData<string, string> Breakages() => new()
    {
        { "nbformat_minor=4", "nbformat_minor must be 5" },
        { "no id", "cell 2 has no \"id\"" },
        { "duplicate id", "cell 2 repeats the id \"a\"" },
        { "kernelspec", "metadata.kernelspec" },
        { "default kernel", "defaultKernelName" },
        { "kernel items", "kernelInfo.items" },
        { "cell kernel", "cell 2 (code) must have metadata.polyglot_notebook.kernelName" },
        { "no outputs", "cell 2 (code) has no \"outputs\"" },
        { "no execution_count", "cell 2 (code) has no \"execution_count\"" },
        { "nbformat 3", "nbformat is 3" },
        { "numeric id", "cell 2 has no \"id\"" },
        { "source of numbers", "cell 2 has no \"source\"" },
        { "metadata list", "metadata.kernelspec" },
        { "no cells", "no \"cells\" list" },
    };

    [Theory]
    [MemberData(nameof(Breakages))]
    public void Each_broken_rule_is_named(string breakage, string problem)
    {
        var notebook = Valid();
        var code = notebook["cells"]![1]!.AsObject();
        switch (breakage)
        {
            case "nbformat_minor=4": notebook["nbformat_minor"] = 4; break;
            case "no id": code.Remove("id"); break;
            case "duplicate id": code["id"] = "a"; break;
            case "kernelspec": notebook["metadata"]!["kernelspec"]!["name"] = "python3"; break;
            case "default kernel": notebook["metadata"]!["polyglot_notebook"]!["kernelInfo"]!["defaultKernelName"] = "fsharp"; break;
            case "kernel items": notebook["metadata"]!["polyglot_notebook"]!["kernelInfo"]!["items"] = new JsonArray(); break;
            case "cell kernel": code["metadata"]!["polyglot_notebook"]!["kernelName"] = "fsharp"; break;
            case "no outputs": code.Remove("outputs"); break;
            case "no execution_count": code.Remove("execution_count"); break;
            case "nbformat 3": notebook["nbformat"] = 3; break;
            case "numeric id": code["id"] = 7; break;
            case "source of numbers": code["source"] = new JsonArray(1, 2); break;
            case "metadata list": notebook["metadata"] = new JsonArray(); break;
            case "no cells": notebook.Remove("cells"); break;
        }
        Assert.Contains(CourseNotebookFormat.Validate(notebook), p => p.Contains(problem));
    }

    [Fact]
    public void A_file_that_is_not_json_is_one_problem()
    {
        var problem = Assert.Single(CourseNotebookFormat.Validate(RunnerHarness.Refused("not-json.ipynb")));
        Assert.StartsWith("not valid JSON", problem);
    }
}
