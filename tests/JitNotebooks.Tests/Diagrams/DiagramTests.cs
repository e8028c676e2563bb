using System.Xml.Linq;
using JitNotebooks.Compiler;
using JitNotebooks.Diagrams;
using JitNotebooks.Tests.Assets;
using JitNotebooks.Verification;

namespace JitNotebooks.Tests.Diagrams;

public class DiagramTests
{
    private static readonly XNamespace SvgNs = "http://www.w3.org/2000/svg";

    private static string Folder => Path.Combine(Runner.RunnerHarness.RepoRoot, "assets", "diagrams");

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var d in CourseDiagrams.All()) data.Add(d.Name);
        return data;
    }

    private static SvgDiagram Diagram(string name) => CourseDiagrams.All().Single(d => d.Name == name);

    [Theory]
    [MemberData(nameof(Names))]
    public void GeneratedAsset_diagram_is_committed_unchanged(string name)
    {
        string path = Path.Combine(Folder, name + ".svg");
        string generated = Diagram(name).Svg;
        if (AssetFiles.Updating)
        {
            Directory.CreateDirectory(Folder);
            File.WriteAllText(path, generated);
        }
        Assert.True(File.Exists(path), $"{path} is missing: run `{AssetFiles.UpdateCommand}`.");
        Assert.True(File.ReadAllText(path) == generated,
            $"assets/diagrams/{name}.svg differs from what CourseDiagrams draws: run `{AssetFiles.UpdateCommand}` and commit it.");
    }

    [Fact]
    public void The_folder_holds_exactly_the_generated_diagrams()
    {
        var files = Directory.GetFiles(Folder, "*.svg").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal);
        Assert.Equal(CourseDiagrams.All().Select(d => d.Name).Order(StringComparer.Ordinal), files);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Each_diagram_is_well_formed_svg_with_a_viewbox_a_title_and_a_description(string name)
    {
        var diagram = Diagram(name);
        var root = XDocument.Parse(diagram.Svg).Root!;
        Assert.Equal(SvgNs + "svg", root.Name);
        Assert.Equal($"0 0 {diagram.Width} {diagram.Height}", (string?)root.Attribute("viewBox"));
        Assert.Equal(diagram.Title, root.Element(SvgNs + "title")?.Value);
        Assert.False(string.IsNullOrWhiteSpace(root.Element(SvgNs + "desc")?.Value));
        // Every arrow head used is defined.
        var markers = root.Descendants(SvgNs + "marker").Select(m => (string)m.Attribute("id")!).ToHashSet();
        foreach (var used in root.Descendants().Select(e => (string?)e.Attribute("marker-end")).OfType<string>())
            Assert.Contains(used["url(#".Length..^1], markers);
        // Nothing is drawn outside the picture.
        foreach (var rect in root.Descendants(SvgNs + "rect"))
            Assert.True(double.Parse((string)rect.Attribute("x")!) + double.Parse((string)rect.Attribute("width")!) <= diagram.Width + 0.01, $"{name}: a box leaves the picture");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void A_cell_can_show_a_diagram_inline(string name)
    {
        var diagram = Diagram(name);
        Assert.StartsWith("<div class=\"jitnb-diagram\"", diagram.ToHtml());
        Assert.Contains("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=", diagram.ToHtml());
        Assert.Contains("width=\"100%\"", diagram.ToHtml());
        Assert.Equal($"[diagram: {diagram.Title} (assets/diagrams/{name}.svg)]", diagram.ToText());
    }

    [Fact]
    public void The_encoding_diagram_shows_the_encoders_bytes_and_bits()
    {
        string svg = CourseDiagrams.RexAndModRM().Svg;
        foreach (var e in new[] { MovImm32.Encode(Reg64.Rax, 1), MovImm32.Encode(Reg64.R9, -1) })
            foreach (var b in e.Bytes)
                Assert.Contains($">{b:x2}</text>", svg);
        Assert.Contains("B=1: adds 8 to ModRM.rm (rm 001 + 8 = r9)", svg);
        Assert.Contains("rm = 001: the low three bits of r9", svg);
    }

    [Fact]
    public void The_layout_diagram_takes_its_offsets_from_the_patch()
    {
        var program = HelloWorldProgram.Unpacked();
        var patch = program.Report!.Patches[0];
        string svg = CourseDiagrams.HelloWorldLayout().Svg;
        Assert.Contains($"rip 0x{patch.Fixup.NextInstructionOffset:x} + {patch.Displacement} = 0x{patch.TargetOffset:x}", svg);
        Assert.Contains("lea 0x3(%rip),%rsi", svg);
        Assert.Equal(program.Position, System.Text.RegularExpressions.Regex.Matches(svg, "font-size=\"9.5\"").Count); // one strip cell per byte
    }

    [Fact]
    public void The_protection_diagram_uses_the_maps_permission_strings()
    {
        string svg = CourseDiagrams.MemoryProtection().Svg;
        foreach (var p in new[] { "rw-p", "r-xp", "rwxp", "rw-s", "r-xs" }) Assert.Contains($">{p}</text>", svg);
    }

    [Fact]
    public void The_stack_diagram_shows_the_callbacks_alignment_at_each_moment()
    {
        string svg = CourseDiagrams.StackAlignment().Svg;
        Assert.Contains(">at call *%rax</text>", svg);
        Assert.Contains(">saved %rbx</text>", svg);
        Assert.Contains(">return address (into f)</text>", svg);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(svg, "rsp mod 16 = 0"));
        Assert.Equal(3, System.Text.RegularExpressions.Regex.Matches(svg, "rsp mod 16 = 8").Count);
    }

    [Fact]
    public void RspWalk_follows_the_callback_function()
    {
        var steps = RspWalk.Of(SampleFunctions.CallBackCode(0x1234).ToArray());
        Assert.Equal(["push %rbx", "mov %rdi,%rbx", "movabs $0x1234,%rax", "call *%rax", "add %rbx,%rax", "pop %rbx", "ret"], steps.Select(s => s.Instruction));
        Assert.Equal([0, -8, -8, -8, -8, -8, 0], steps.Select(s => s.Before));
        Assert.Equal([8, 0, 0, 0, 0, 0, 8], steps.Select(s => s.AlignmentBefore));
        Assert.Equal(RspStepKind.Call, steps[3].Kind);
        Assert.Equal(-8, steps[3].After); // the callee's ret has popped what the call pushed
        Assert.Equal(RspStepKind.Return, steps[^1].Kind);
        Assert.Throws<ArgumentException>(() => RspWalk.Of([0x0f, 0xff]));
    }

    [Fact]
    public void CodegenTrace_pairs_each_node_with_the_compilers_instruction()
    {
        var function = Parser.Parse(CourseDiagrams.CodegenExample, "a", "b", "c");
        var trace = CodegenTrace.Of(function);
        Assert.Equal(["mov %rdi,%r10", "add $0x3,%r10", "mov %rsi,%rbx", "sub %r11,%rbx", "imul %rbx,%r10"], trace.Steps.Select(s => s.Instruction));
        Assert.Equal(["a", "(a + 3)", "b", "(b - c)", "((a + 3) * (b - c))"], trace.Steps.Select(s => s.Node));
        Assert.Equal(["%r10 = (a + 3)", "%rbx = (b - c)"], trace.Steps[3].StackAfter);
        Assert.Equal(["push %rbx", "mov %rdx,%r11"], trace.Prologue.Select(l => IcedText.Tidy(l.Text)));
        Assert.Equal(["mov %r10,%rax", "xor %rdx,%rdx", "pop %rbx", "ret"], trace.Epilogue.Select(l => IcedText.Tidy(l.Text)));
        // Together they are the compiled function, byte for byte.
        Assert.Equal(Hex.Of(trace.Program.Bytes),
            string.Join(" ", trace.Prologue.Select(l => l.HexBytes).Concat(trace.Steps.Select(s => s.Bytes)).Concat(trace.Epilogue.Select(l => l.HexBytes))));
        var times = (BinaryNode)function.Body;
        Assert.Equal(5, trace.StepOf(times));
        Assert.Equal(Reg64.R10, trace.RegisterOf(times));
        Assert.Null(trace.StepOf(((BinaryNode)times.Left).Right)); // the 3: an immediate, used in place
        Assert.Equal(5, trace.ToTable().Rows.Count);
    }

    [Theory]
    [InlineData("-a * 2 + b", "a", "b")]
    [InlineData("(a - b) * (a + b) - (a * a - 7)", "a", "b")]
    [InlineData("9223372036854775807 + a", "a")]
    public void CodegenTrace_matches_the_compiler_on_other_expressions(string source, params string[] parameters)
    {
        var trace = CodegenTrace.Of(Parser.Parse(source, parameters));
        Assert.Equal(Hex.Of(trace.Program.Bytes),
            string.Join(" ", trace.Prologue.Select(l => l.HexBytes).Concat(trace.Steps.Select(s => s.Bytes)).Concat(trace.Epilogue.Select(l => l.HexBytes))));
        Assert.Contains("<title>", CodegenDiagram.Create(trace, source).Svg);
    }

    [Fact]
    public void CodegenTrace_refuses_divisions_and_spills()
    {
        Assert.Throws<ArgumentException>(() => CodegenTrace.Of(Parser.Parse("a / b", "a", "b")));
        string deep = string.Concat(Enumerable.Range(0, 10).Select(_ => "a - (")) + "b" + new string(')', 10);
        var e = Assert.Throws<ArgumentException>(() => CodegenTrace.Of(Parser.Parse(deep, "a", "b")));
        Assert.Contains("spills", e.Message);
    }
}
