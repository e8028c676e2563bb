namespace JitNotebooks.Diagrams;

/// <summary>
/// Notebook 05's picture: how pages become executable without ever being writable and executable at
/// once. Top: the states of one mapping (RW → RX by <c>mprotect</c>, as <see cref="ExecutableMemory"/>
/// does), beside the article's single RWX mapping. Bottom: the double mapping, one memfd mapped RW at
/// one address and RX at another. The permission strings are <c>/proc/self/maps</c>'s, from <see cref="Mman.Describe"/>.
/// </summary>
internal static class ProtectionDiagram
{
    private static readonly string ReadWrite = Mman.Describe(Protection.Read | Protection.Write);
    private static readonly string ReadExecute = Mman.Describe(Protection.Read | Protection.Execute);
    private static readonly string All = Mman.Describe(Protection.Read | Protection.Write | Protection.Execute);

    private const double BoxWidth = 150, BoxHeight = 58, StatesTop = 96;

    public static SvgDiagram Create()
    {
        var svg = new Svg(900, 626, "Executable memory under W^X: mprotect from RW to RX, or one memfd mapped twice",
            $"Top: a mapping starts {ReadWrite}p (writable), the code is copied in, mprotect makes it {ReadExecute}p (executable, no longer " +
            $"writable), it is called, then unmapped; the article's single {All}p mapping is writable and executable at once. Bottom: " +
            $"one memfd mapped at two addresses, {ReadWrite}s for writing and {ReadExecute}s for running.");
        svg.Text(30, 32, "Writable or executable, never both at one address", 18, bold: true);
        DrawStates(svg);
        DrawDoubleMapping(svg, 356);
        return new SvgDiagram("memory-protection", svg);
    }

    private static double StateX(int i) => 30 + i * 230;

    private static void State(Svg svg, int i, string permissions, string meaning, string fill, bool dashed = false, double top = StatesTop, string stroke = Svg.Ink)
    {
        double x = StateX(i);
        svg.Rect(x, top, BoxWidth, BoxHeight, fill, stroke, rx: 10, strokeWidth: dashed ? 1.6 : 1.2, dashed: dashed)
           .Text(x + BoxWidth / 2, top + 25, permissions, 17, "middle", mono: true, bold: true, fill: stroke)
           .Text(x + BoxWidth / 2, top + 45, meaning, 11, "middle", fill: stroke == Svg.Ink ? Svg.Muted : stroke);
    }

    private static void Arrow(Svg svg, int from, int to, string label)
    {
        double x1 = StateX(from) + BoxWidth + 2, x2 = StateX(to) - 2, y = StatesTop + BoxHeight / 2;
        svg.Line(x1, y, x2, y, Svg.Ink, 1.4, arrow: true)
           .Text((x1 + x2) / 2, y - 8, label, 10.5, "middle", bold: true);
    }

    /// <summary>A small loop under a state: something done while the state holds.</summary>
    private static void Loop(Svg svg, int i, string label)
    {
        double x = StateX(i) + BoxWidth / 2, y = StatesTop + BoxHeight;
        svg.Path($"M {Svg.N(x - 22)} {Svg.N(y + 1)} C {Svg.N(x - 32)} {Svg.N(y + 32)}, {Svg.N(x + 32)} {Svg.N(y + 32)}, {Svg.N(x + 22)} {Svg.N(y + 3)}",
                Svg.Ink, 1.2, arrow: true)
           .Text(x, y + 42, label, 11, "middle");
    }

    private static void DrawStates(Svg svg)
    {
        svg.Text(30, 74, "1. One mapping, two steps (ExecutableMemory.Create; OpenBSD's W^X recipe)", 14, bold: true);
        State(svg, 0, "—", "nothing mapped yet", "#f6f8fa");
        State(svg, 1, ReadWrite + "p", "writable, not executable", "#dbeafe");
        State(svg, 2, ReadExecute + "p", "executable, not writable", "#dcfce7");
        State(svg, 3, "—", "unmapped again", "#f6f8fa");
        Arrow(svg, 0, 1, "mmap RW");
        Arrow(svg, 1, 2, "mprotect RX");
        Arrow(svg, 2, 3, "munmap");
        Loop(svg, 1, "copy the code in");
        Loop(svg, 2, "call it (many times)");

        // The article's shortcut: one mapping that is both.
        double top = StatesTop + BoxHeight + 70;
        State(svg, 1, All + "p", "writable AND executable", "#fff1f0", dashed: true, top: top, stroke: Svg.Danger);
        double x0 = StateX(0) + BoxWidth / 2;
        svg.Path($"M {Svg.N(x0)} {Svg.N(StatesTop + BoxHeight + 2)} L {Svg.N(x0)} {Svg.N(top + BoxHeight / 2)} L {Svg.N(StateX(1) - 3)} {Svg.N(top + BoxHeight / 2)}",
                Svg.Danger, 1.4, arrow: true, dashed: true)
           .Text(x0 + 8, top + BoxHeight / 2 - 8, "the article: mmap RWX", 11, fill: Svg.Danger)
           .Text(30, top + BoxHeight + 26, "RW = PROT_READ|PROT_WRITE, RX = PROT_READ|PROT_EXEC, RWX = all three", 10.5, mono: true, fill: Svg.Muted)
           .Text(StateX(2) - 10, top + 20, "Breaks W^X: any bug that writes here plants code that runs.", 12, fill: Svg.Danger)
           .Text(StateX(2) - 10, top + 38, "Hardened systems refuse it; SELinux without execmem and PaX", 12, fill: Svg.Muted)
           .Text(StateX(2) - 10, top + 56, "MPROTECT refuse the RW → RX mprotect of recipe 1 as well.", 12, fill: Svg.Muted);
    }

    private static void DrawDoubleMapping(Svg svg, double top)
    {
        svg.Line(30, top - 14, 870, top - 14, "#d0d7de", 1)
           .Text(30, top + 14, "2. One memfd, mapped twice (what .NET does since .NET 7; it survives the stricter policies)", 14, bold: true);
        double boxTop = top + 60, h = 84;
        // The file in memory, in the middle; the two views of it left and right.
        svg.Rect(330, boxTop + 10, 240, h - 20, "#fff8c5", rx: 10)
           .Text(450, boxTop + 36, "memfd: one set of pages", 13, "middle", bold: true)
           .Text(450, boxTop + 54, "a file that lives only in memory", 11, "middle", fill: Svg.Muted);
        View(svg, 30, boxTop, h, "address A", ReadWrite + "s", "the JIT writes code here", "#dbeafe");
        View(svg, 650, boxTop, h, "address B", ReadExecute + "s", "the CPU runs code here", "#dcfce7");
        svg.Line(330 - 2, boxTop + h / 2, 250 + 2, boxTop + h / 2, Svg.Ink, 1.4, arrow: true)
           .Text(290, boxTop + h / 2 - 8, "mmap", 11, "middle", bold: true)
           .Text(290, boxTop + h / 2 + 16, "RW, shared", 9.5, "middle", mono: true, fill: Svg.Muted)
           .Line(570 + 2, boxTop + h / 2, 650 - 2, boxTop + h / 2, Svg.Ink, 1.4, arrow: true)
           .Text(610, boxTop + h / 2 - 8, "mmap", 11, "middle", bold: true)
           .Text(610, boxTop + h / 2 + 16, "RX, shared", 9.5, "middle", mono: true, fill: Svg.Muted);
        // A write through A is visible through B: the same pages.
        svg.Path($"M 140 {Svg.N(boxTop + h + 4)} C 140 {Svg.N(boxTop + h + 60)}, 760 {Svg.N(boxTop + h + 60)}, 760 {Svg.N(boxTop + h + 6)}", Svg.Accent, 1.4, arrow: true, dashed: true)
           .Text(450, boxTop + h + 62, "bytes written through A can be run through B at once: no mprotect per batch", 12, "middle", fill: Svg.Accent)
           .Text(450, boxTop + h + 82, "Each address is W^X on its own: none is writable and executable.", 12, "middle", fill: Svg.Muted);
    }

    private static void View(Svg svg, double x, double top, double h, string name, string permissions, string use, string fill) =>
        svg.Rect(x, top, 220, h, fill, rx: 10)
           .Text(x + 110, top + 24, name, 12, "middle", fill: Svg.Muted)
           .Text(x + 110, top + 50, permissions, 17, "middle", mono: true, bold: true)
           .Text(x + 110, top + 70, use, 11, "middle");
}
