using JitNotebooks.Compiler;

namespace JitNotebooks.Diagrams;

/// <summary>
/// Notebook 08's picture: an expression's tree (left), and the compiler's output (right) one instruction
/// per row, each numbered like the node that emitted it, with the evaluation stack after it.
/// Everything comes from a <see cref="CodegenTrace"/>: the real compiled bytes, read back by Iced.
/// </summary>
internal static class CodegenDiagram
{
    private const double TreeLeft = 40, TreeTop = 130, LeafSpacing = 66, LevelHeight = 74, NodeRadius = 19;
    private const double TableTop = 118, RowHeight = 28, NumberX = 330, InstructionX = 356, BytesX = 480, StackX = 590, EntryWidth = 120;

    public static SvgDiagram Create(CodegenTrace trace, string source)
    {
        var function = trace.Function;
        int rows = trace.Prologue.Count + trace.Steps.Count + trace.Epilogue.Count;
        var svg = new Svg(900, (int)(TableTop + (rows + 1) * RowHeight + 70),
            $"From tree to registers to bytes: how the expression compiler translates {source}",
            $"Left: the tree of {source}; each node that emits code carries a number and the register that holds its value. " +
            "Right: the compiled function, one instruction per row with its bytes; numbered rows are the body, emitted node by node, " +
            "and the evaluation stack after each shows which register holds which value.");
        svg.Text(30, 32, $"Tree → registers → bytes: {source}", 18, bold: true)
           .Text(30, 54, "Each numbered node emits the instruction with the same number; its value lands on top of the evaluation stack,", 13, fill: Svg.Muted)
           .Text(30, 72, $"which lives in the registers {string.Join(", ", new X64Compiler().ScratchRegisters.Take(3).Select(r => r.AttName()))}, … in that order.", 13, fill: Svg.Muted);
        DrawTree(svg, trace);
        DrawTable(svg, trace);
        return new SvgDiagram("expression-codegen", svg);
    }

    // ---- the tree ----------------------------------------------------------------------------------

    private static void DrawTree(Svg svg, CodegenTrace trace)
    {
        var positions = new Dictionary<ExprNode, (double X, double Y)>(ReferenceEqualityComparer.Instance);
        int leaf = 0;
        Place(trace.Function.Body, 0, positions, ref leaf);
        svg.Text(TreeLeft - 10, TreeTop - 36, "the tree", 12, fill: Svg.Muted);
        foreach (var node in CodegenTrace.Walk(trace.Function.Body))
            foreach (var child in Children(node))
            {
                var (x1, y1) = positions[node];
                var (x2, y2) = positions[child];
                svg.Line(x1, y1 + NodeRadius, x2, y2 - NodeRadius, Svg.Muted, 1.2);
            }
        foreach (var node in CodegenTrace.Walk(trace.Function.Body))
            DrawNode(svg, trace, node, positions[node]);
    }

    private static IEnumerable<ExprNode> Children(ExprNode node) => node switch
    {
        NegateNode n => [n.Operand],
        BinaryNode b => [b.Left, b.Right],
        _ => [],
    };

    /// <summary>Leaves side by side, left to right; a parent centred over its children.</summary>
    private static double Place(ExprNode node, int depth, Dictionary<ExprNode, (double X, double Y)> positions, ref int leaf)
    {
        var children = Children(node).ToList();
        double x;
        if (children.Count == 0) x = TreeLeft + NodeRadius + leaf++ * LeafSpacing;
        else
        {
            var xs = new List<double>();
            foreach (var child in children) xs.Add(Place(child, depth + 1, positions, ref leaf));
            x = xs.Average();
        }
        positions[node] = (x, TreeTop + depth * LevelHeight);
        return x;
    }

    private static void DrawNode(Svg svg, CodegenTrace trace, ExprNode node, (double X, double Y) at)
    {
        int? step = trace.StepOf(node);
        string label = node switch
        {
            BinaryNode b => SourcePrinter.Symbol(b.Operator),
            NegateNode => "−",
            ParameterNode p => p.Name,
            NumberNode n => n.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => "?",
        };
        bool inPlace = step is null;
        svg.Path(Circle(at.X, at.Y, NodeRadius), Svg.Ink, 1.3, fill: inPlace ? "#ffffff" : "#dcfce7", dashed: inPlace)
           .Text(at.X, at.Y + 5, label, 15, "middle", mono: true, bold: true);
        if (step is { } s)
        {
            // The step's badge, and the register that holds the value.
            svg.Path(Circle(at.X + NodeRadius, at.Y - NodeRadius + 2, 9), Svg.Accent, 1, fill: Svg.Accent)
               .Text(at.X + NodeRadius, at.Y - NodeRadius + 6, s.ToString(), 11, "middle", bold: true, fill: "#ffffff");
            // Under a leaf (no edges there), left of an inner node (its edges leave from below).
            string register = trace.RegisterOf(node)!.Value.AttName();
            if (Children(node).Any()) svg.Text(at.X - NodeRadius - 5, at.Y + 4, register, 11, "end", mono: true, fill: Svg.Accent);
            else svg.Text(at.X, at.Y + NodeRadius + 15, register, 11, "middle", mono: true, fill: Svg.Accent);
        }
        else
        {
            string where = node is ParameterNode p ? X64Compiler.ParameterRegisters[p.Index].AttName() : "immediate";
            svg.Text(at.X, at.Y + NodeRadius + 15, where, 10, "middle", mono: true, fill: Svg.Muted)
               .Text(at.X, at.Y + NodeRadius + 28, "used in place", 9, "middle", fill: Svg.Muted);
        }
    }

    private static string Circle(double cx, double cy, double r) =>
        $"M {Svg.N(cx - r)} {Svg.N(cy)} a {Svg.N(r)} {Svg.N(r)} 0 1 0 {Svg.N(2 * r)} 0 a {Svg.N(r)} {Svg.N(r)} 0 1 0 {Svg.N(-2 * r)} 0";

    // ---- the table ---------------------------------------------------------------------------------

    private static void DrawTable(Svg svg, CodegenTrace trace)
    {
        svg.Text(InstructionX, TableTop - 8, "instruction", 12, fill: Svg.Muted)
           .Text(BytesX, TableTop - 8, "bytes", 12, fill: Svg.Muted)
           .Text(StackX, TableTop - 8, "evaluation stack after (bottom first)", 12, fill: Svg.Muted)
           .Line(NumberX - 14, TableTop, 880, TableTop, "#d0d7de", 1);
        double y = TableTop;
        foreach (var line in trace.Prologue) y = Row(svg, y, null, line.Text, line.HexBytes, [], "prologue");
        foreach (var step in trace.Steps) y = Row(svg, y, step.Number, step.Instruction, step.Bytes, step.StackAfter, null);
        foreach (var line in trace.Epilogue) y = Row(svg, y, null, line.Text, line.HexBytes, [], "epilogue");
        svg.Text(NumberX - 14, y + 24, "Grey rows: the prologue saves callee-saved registers and frees rdx (idiv needs it);", 11, fill: Svg.Muted)
           .Text(NumberX - 14, y + 40, "the epilogue puts the value in rax and the status 0 in rdx, restores the registers, returns.", 11, fill: Svg.Muted);
    }

    private static double Row(Svg svg, double y, int? number, string instruction, string bytes, IReadOnlyList<string> stack, string? part)
    {
        string ink = number is null ? Svg.Muted : Svg.Ink;
        if (number is { } n)
            svg.Path(Circle(NumberX, y + RowHeight / 2, 9), Svg.Accent, 1, fill: Svg.Accent)
               .Text(NumberX, y + RowHeight / 2 + 4, n.ToString(), 11, "middle", bold: true, fill: "#ffffff");
        svg.Text(InstructionX, y + 19, Verification.IcedText.Tidy(instruction), 12, mono: true, bold: number is not null, fill: ink)
           .Text(BytesX, y + 19, bytes, 11, mono: true, fill: ink);
        double x = StackX;
        for (int i = 0; i < stack.Count; i++)
        {
            string entry = stack[i].Replace(" = ", "=").Replace(" ", ""); // %r10=(a+3): compact, so two entries fit a row
            double width = Math.Max(EntryWidth, entry.Length * 6.4 + 12);
            svg.Rect(x, y + 4, width, RowHeight - 8, i == stack.Count - 1 ? "#dcfce7" : "#f6f8fa", strokeWidth: 0.8)
               .Text(x + 6, y + 18, entry, 10.5, mono: true);
            x += width + 4;
        }
        if (part is not null && stack.Count == 0)
            svg.Text(StackX, y + 18, part, 10.5, italic: true, fill: Svg.Muted);
        svg.Line(NumberX - 14, y + RowHeight, 880, y + RowHeight, "#eaeef2", 0.8);
        return y + RowHeight;
    }
}
