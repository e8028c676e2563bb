using JitNotebooks.Verification;

namespace JitNotebooks.Diagrams;

/// <summary>
/// Notebook 07's picture: the stack of the callback function <c>f(x) = callback(x) + x</c> at each
/// moment that matters, with the 16-byte boundaries, showing why one <c>push</c> realigns rsp for the
/// <c>call</c>. The moments and slots come from <see cref="RspWalk"/> over the bytes of
/// <see cref="SampleFunctions.CallBack"/>, i.e. from Iced's reading of each instruction's stack effect.
/// </summary>
internal static class StackDiagram
{
    private const double ColumnWidth = 180, ColumnGap = 36, Left = 30, FrameTop = 150, CallerHeight = 44, SlotHeight = 38;

    private sealed record Moment(string Title, IReadOnlyList<string> Slots, int Alignment, bool AtCall);

    public static SvgDiagram Create(byte[] code)
    {
        var moments = Moments(RspWalk.Of(code));
        int deepest = moments.Max(m => m.Slots.Count);
        double bottom = FrameTop + CallerHeight + deepest * SlotHeight;
        var svg = new Svg(900, (int)bottom + 120, "The stack of notebook 07's callback function, and the 16-byte alignment at the call",
            "Four moments of f(x) = callback(x) + x: on entry rsp is 8 bytes below a multiple of 16 (the caller's call pushed the return " +
            "address); push %rbx moves it to a multiple of 16, as the call needs; inside the callback the return address into f sits on " +
            "top; after pop %rbx the stack is as it was on entry, ready for ret.");
        svg.Text(Left, 32, "One push realigns the stack for the call", 18, bold: true)
           .Text(Left, 54, "The System V ABI wants rsp to be a multiple of 16 at every call. Each slot is 8 bytes; addresses grow upwards.", 13, fill: Svg.Muted);
        for (int k = 0; k < moments.Count; k++)
            DrawColumn(svg, moments[k], Left + k * (ColumnWidth + ColumnGap), bottom);
        svg.Line(Left, bottom + 86, Left + 40, bottom + 86, Svg.Accent, 1.6, dashed: true)
           .Text(Left + 50, bottom + 90, "16-byte boundary: an address that is a multiple of 16", 11, fill: Svg.Accent);
        return new SvgDiagram("stack-alignment", svg);
    }

    /// <summary>
    /// The moments worth drawing: entry, after every instruction that moves rsp, right before every
    /// call and inside it. Consecutive moments with the same stack are merged into one column.
    /// </summary>
    private static List<Moment> Moments(IReadOnlyList<RspStep> steps)
    {
        var slots = new List<string> { "return address (into the caller)" };
        var moments = new List<Moment> { new("on entry to f", [.. slots], RspStep.Mod16(RspWalk.EntryAlignment), false) };
        foreach (var step in steps)
        {
            if (step.Kind == RspStepKind.Call)
            {
                Add(moments, new Moment($"at {step.Instruction}", [.. slots], step.AlignmentBefore, true));
                Add(moments, new Moment("inside the callback", [.. slots, "return address (into f)"], RspStep.Mod16(step.AlignmentBefore - 8), false));
                continue;
            }
            if (step.Kind == RspStepKind.Return)
            {
                // Drawn before ret runs: ret pops the caller's return address and leaves f.
                Add(moments, new Moment("at ret", [.. slots], step.AlignmentBefore, false));
                continue;
            }
            int moved = step.After - step.Before;
            if (moved == 0) continue;
            if (moved < 0)
                slots.AddRange(Enumerable.Range(0, -moved / 8).Select(_ => step.Instruction.StartsWith("push ", StringComparison.Ordinal)
                    ? "saved " + step.Instruction["push ".Length..] : "(reserved by " + step.Instruction + ")"));
            else
                slots.RemoveRange(slots.Count - moved / 8, moved / 8);
            Add(moments, new Moment($"after {step.Instruction}", [.. slots],
                RspStep.Mod16(RspWalk.EntryAlignment + step.After), false));
        }
        return moments;
    }

    private static void Add(List<Moment> moments, Moment next)
    {
        var last = moments[^1];
        if (last.Slots.SequenceEqual(next.Slots))
            moments[^1] = last with { Title = $"{last.Title}, {next.Title}", AtCall = last.AtCall || next.AtCall };
        else
            moments.Add(next);
    }

    private static void DrawColumn(Svg svg, Moment moment, double x, double bottom)
    {
        // The title, wrapped on ", ".
        var titleLines = moment.Title.Split(", ");
        for (int i = 0; i < titleLines.Length; i++)
            svg.Text(x + ColumnWidth / 2, 92 + i * 17, titleLines[i], 13, "middle", bold: true);

        // The caller's frame above, then the slots, top (high addresses) to bottom.
        svg.Rect(x, FrameTop, ColumnWidth, CallerHeight, "#f6f8fa", Svg.Muted, dashed: true)
           .Text(x + ColumnWidth / 2, FrameTop + 27, "caller's frame", 11, "middle", fill: Svg.Muted);
        double y = FrameTop + CallerHeight;
        for (int s = 0; s < moment.Slots.Count; s++)
        {
            string slot = moment.Slots[s];
            string fill = slot.StartsWith("return", StringComparison.Ordinal) ? "#fde68a" : "#dbeafe";
            svg.Rect(x, y, ColumnWidth, SlotHeight, fill)
               .Text(x + ColumnWidth / 2, y + 23, slot, 11, "middle", mono: slot.StartsWith("saved", StringComparison.Ordinal));
            // Slot s starts 8·s bytes below the entry rsp, which is 8 below a multiple of 16: its top edge is a boundary when s is even.
            if (s % 2 == 0) Boundary(svg, x, y);
            y += SlotHeight;
        }
        if (moment.Slots.Count % 2 == 0) Boundary(svg, x, y);

        // rsp points at the last slot pushed.
        svg.Line(x + ColumnWidth + 24, y - SlotHeight / 2, x + ColumnWidth + 3, y - SlotHeight / 2, Svg.Ink, 1.6, arrow: true)
           .Text(x + ColumnWidth + 4, y - SlotHeight / 2 - 8, "rsp", 11, mono: true, bold: true);

        bool good = moment.AtCall ? moment.Alignment == 0 : true;
        string verdict = moment.AtCall ? (moment.Alignment == 0 ? " ✓ the call may go" : " ✗ misaligned call") : "";
        svg.Text(x + ColumnWidth / 2, bottom + 30, $"rsp mod 16 = {moment.Alignment}", 13, "middle", mono: true, bold: true,
                fill: moment.AtCall ? (good ? Svg.Good : Svg.Danger) : Svg.Ink);
        int below = 8 * (moment.Slots.Count - 1); // how far rsp is below its value on entry
        svg.Text(x + ColumnWidth / 2, bottom + 50, below == 0 ? "rsp = its entry value" : $"rsp = entry value − {below}", 11, "middle", fill: Svg.Muted);
        if (verdict.Length > 0) svg.Text(x + ColumnWidth / 2, bottom + 68, verdict.Trim(), 12, "middle", fill: good ? Svg.Good : Svg.Danger);
    }

    private static void Boundary(Svg svg, double x, double y) =>
        svg.Line(x - 6, y, x + ColumnWidth + 6, y, Svg.Accent, 1.6, dashed: true);
}
