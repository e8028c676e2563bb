using System.Net;
using System.Text;
using JitNotebooks.Charts;
using JitNotebooks.Display;

namespace JitNotebooks.Emulation;

/// <summary>One register an instruction changed.</summary>
public sealed record RegisterChange(Reg64 Register, ulong Before, ulong After)
{
    public override string ToString() => $"{Register.IntelName()} 0x{Before:x}→0x{After:x}";
}

/// <summary>One memory store an instruction made (a push, a call's return address, a mov to memory).</summary>
public sealed record MemoryChange(ulong Address, int Size, ulong Before, ulong After)
{
    public override string ToString() => $"[0x{Address:x}] 0x{Before:x}→0x{After:x}";
}

/// <summary>One executed instruction (or one C# callback) and what it changed.</summary>
public sealed class TraceStep
{
    internal TraceStep(int number, ulong address, long offset, byte[] bytes, string text, bool isCallback,
        RegisterSnapshot before, RegisterSnapshot after, IReadOnlyList<MemoryChange> memoryChanges, IReadOnlyList<OutputWrite> output)
    {
        Number = number;
        Address = address;
        Offset = offset;
        Bytes = bytes;
        Text = text;
        IsCallback = isCallback;
        Before = before;
        After = after;
        MemoryChanges = memoryChanges;
        Output = output;
        RegisterChanges = after.ChangedSince(before).Select(r => new RegisterChange(r, before[r], after[r])).ToArray();
    }

    /// <summary>1 for the first instruction run.</summary>
    public int Number { get; }

    /// <summary>The instruction's address.</summary>
    public ulong Address { get; }

    /// <summary>The address minus the program's start (as in the course's listings).</summary>
    public long Offset { get; }

    public byte[] Bytes { get; }

    /// <summary>AT&amp;T text, or for a callback what it was called with and returned.</summary>
    public string Text { get; }

    /// <summary>True when this step is a C# callback, not an instruction.</summary>
    public bool IsCallback { get; }

    /// <summary>The registers before and after the step.</summary>
    public RegisterSnapshot Before { get; }

    public RegisterSnapshot After { get; }

    /// <summary>The general registers whose value changed (rip is not listed: it always moves).</summary>
    public IReadOnlyList<RegisterChange> RegisterChanges { get; }

    public IReadOnlyList<MemoryChange> MemoryChanges { get; }

    /// <summary>Write system calls made by this step.</summary>
    public IReadOnlyList<OutputWrite> Output { get; }

    /// <summary>The status flags after the step.</summary>
    public CpuFlags Flags => After.Flags;

    /// <summary>The flags whose value the step changed.</summary>
    public CpuFlags FlagsChanged => Before.Flags ^ After.Flags;

    /// <summary>True when the step jumped (rip did not move on to the next instruction).</summary>
    public bool Jumped => !IsCallback && After.Rip != Address + (ulong)Bytes.Length;

    internal string ChangesText => string.Join(", ", RegisterChanges.Select(c => c.ToString()).Concat(MemoryChanges.Select(c => c.ToString())));

    internal string OutputText => string.Concat(Output.Select(w => (w.Fd == 2 ? "[fd 2] " : "") + Escape(w.Text)));

    private static string Escape(string s) => s.Replace("\\", "\\\\").Replace("\n", "\\n").Replace("\r", "\\r").Replace("\t", "\\t");

    public override string ToString() => $"{Number}: {Hex.Signed(Offset)} {Text}  {ChangesText}";
}

/// <summary>
/// A step-by-step record of one emulated run: one row per executed instruction with its offset,
/// bytes, AT&amp;T text, the registers it changed (old → new), the flags after it (<c>?</c> marks a
/// flag the instruction leaves undefined), and what it wrote. In a
/// notebook it shows as an HTML table with the changed registers highlighted; in a terminal as
/// a text table. <see cref="ToChart"/> draws registers over the steps (a loop's counter, say).
/// </summary>
[TypeFormatterSource(typeof(RichDisplayFormatterSource), PreferredMimeTypes = ["text/html", "text/plain"])]
public sealed class ExecutionTrace : IRichDisplay
{
    /// <summary>Traces record at most this many rows; the run itself goes on to its end.</summary>
    public const int DefaultMaxRows = 10_000;

    /// <summary>Tables show at most this many rows (all of them stay in <see cref="Steps"/>).</summary>
    public const int DisplayedRows = 200;

    private ExecutionTrace(IReadOnlyList<TraceStep> steps, RegisterSnapshot initial, EmulationResult? result, EmulationException? error, long totalSteps)
    {
        Steps = steps;
        Initial = initial;
        Result = result;
        Error = error;
        TotalSteps = totalSteps;
    }

    /// <summary>The recorded steps, in order.</summary>
    public IReadOnlyList<TraceStep> Steps { get; }

    /// <summary>The registers before the first step.</summary>
    public RegisterSnapshot Initial { get; }

    /// <summary>How the run ended, when it ended normally.</summary>
    public EmulationResult? Result { get; }

    /// <summary>What stopped the run, when something did (the trace ends with the last step that completed).</summary>
    public EmulationException? Error { get; }

    /// <summary>How many steps ran in all (more than <see cref="Steps"/> holds when the trace hit its row limit).</summary>
    public long TotalSteps { get; }

    /// <summary>True when more steps ran than were recorded.</summary>
    public bool IsTruncated => TotalSteps > Steps.Count;

    /// <summary>One sentence: how the run ended.</summary>
    public string Outcome => Error is not null
        ? $"stopped after {TotalSteps} steps: {Error.GetType().Name} at offset {Hex.Signed(Error.Offset ?? 0)} ({Error.InstructionText}): {Error.Problem}"
        : IsTruncated ? $"{Result} (the first {Steps.Count} of {TotalSteps} steps recorded)" : $"{Result}";

    internal static ExecutionTrace Record(Emulator emulator, int maxRows = DefaultMaxRows)
    {
        var machine = emulator.Machine;
        var rows = new List<TraceStep>();
        var stores = new List<MemoryChange>();
        var texts = new Dictionary<ulong, (byte[] Bytes, string Text)>();
        var initial = emulator.Cpu.Snapshot();
        EmulationResult? result = null;
        EmulationException? error = null;
        machine.StoreListener = (address, size, before, after) => stores.Add(new MemoryChange(address, size, before, after));
        try
        {
            while (!emulator.IsFinished)
            {
                if (rows.Count >= maxRows)
                {
                    machine.StoreListener = null;
                    emulator.Continue();
                    break;
                }
                var before = emulator.Cpu.Snapshot();
                ulong rip = before.Rip;
                int writes = emulator.Writes.Count;
                stores.Clear();
                if (!texts.TryGetValue(rip, out var instruction)) texts[rip] = instruction = machine.Disassemble(rip);
                emulator.Step();
                var after = emulator.Cpu.Snapshot();
                string text = machine.LastCallback is var (callback, arguments, value)
                    ? $"C# callback {callback.Name}({string.Join(", ", arguments)}) = {value}"
                    : instruction.Text;
                rows.Add(new TraceStep(rows.Count + 1, rip, unchecked((long)(rip - emulator.ProgramStart)), instruction.Bytes, text,
                    machine.LastCallback is not null, before, after, [.. stores], emulator.Writes.Skip(writes).ToArray()));
            }
            result = emulator.Result;
        }
        catch (EmulationException e)
        {
            error = e;
        }
        finally
        {
            machine.StoreListener = null;
        }
        return new ExecutionTrace(rows, initial, result, error, emulator.Steps);
    }

    // ---- display -------------------------------------------------------------------------------

    private static readonly string[] Columns = ["#", "offset", "bytes", "instruction", "changed", "flags", "output"];

    /// <summary>A text table (first <see cref="DisplayedRows"/> rows), then the outcome.</summary>
    public string ToText()
    {
        var table = new TextTable(Columns);
        foreach (var s in Steps.Take(DisplayedRows))
            table.AddRow(s.Number, Where(s), HexBytes(s.Bytes), s.Text, s.ChangesText, s.Flags.Describe(s.After.UndefinedFlags & ~CpuFlags.Adjust), s.OutputText);
        return table.ToText() + More() + "\n" + Outcome;
    }

    /// <summary>An HTML table: changed registers highlighted, jumps marked, the outcome as caption.</summary>
    public string ToHtml()
    {
        var html = new StringBuilder("<table class=\"jitnb-trace\">\n<caption style=\"caption-side:bottom;text-align:left\">")
            .Append(Encode(Outcome + More())).Append("</caption>\n<thead><tr>");
        foreach (var c in Columns) html.Append("<th>").Append(c).Append("</th>");
        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var s in Steps.Take(DisplayedRows))
        {
            html.Append("<tr>")
                .Append("<td>").Append(s.Number).Append("</td>")
                .Append("<td><code>").Append(Encode(Where(s))).Append("</code></td>")
                .Append("<td><code>").Append(HexBytes(s.Bytes)).Append("</code></td>")
                .Append("<td><code>").Append(Encode(s.Text)).Append(s.Jumped ? " ⤴" : "").Append("</code></td>")
                .Append("<td>");
            var changes = s.RegisterChanges
                .Select(c => $"<mark>{c.Register.IntelName()}</mark> <code>0x{c.Before:x}</code>→<code>0x{c.After:x}</code>")
                .Concat(s.MemoryChanges.Select(c => $"<mark>[0x{c.Address:x}]</mark> <code>0x{c.Before:x}</code>→<code>0x{c.After:x}</code>"));
            html.Append(string.Join("<br>", changes)).Append("</td>")
                .Append("<td>").Append(FlagsHtml(s)).Append("</td>")
                .Append("<td><code>").Append(Encode(s.OutputText)).Append("</code></td>")
                .Append("</tr>\n");
        }
        return html.Append("</tbody>\n</table>").ToString();
    }

    /// <summary>The offset in the program; for a C# callback, its address (it is not in the program).</summary>
    private static string Where(TraceStep s) => s.IsCallback ? $"0x{s.Address:x}" : Hex.Signed(s.Offset);

    /// <summary>Flags after the step; the ones the step changed in bold. An undefined AF (no jcc reads it) is left out.</summary>
    private static string FlagsHtml(TraceStep s)
    {
        var parts = new List<string>();
        foreach (var flag in new[] { CpuFlags.Carry, CpuFlags.Parity, CpuFlags.Adjust, CpuFlags.Zero, CpuFlags.Sign, CpuFlags.Direction, CpuFlags.Overflow })
        {
            bool set = (s.Flags & flag) != 0, undefined = (s.After.UndefinedFlags & flag) != 0;
            if (flag == CpuFlags.Adjust && undefined) continue; // no jcc reads AF: an undefined one is only noise
            if (!set && !undefined) continue;
            string name = flag.ShortName() + (undefined ? "?" : "");
            parts.Add((s.FlagsChanged & flag) != 0 ? $"<b>{name}</b>" : name);
        }
        return parts.Count == 0 ? "-" : string.Join(" ", parts);
    }

    private string More() => Steps.Count > DisplayedRows ? $"\n(… {Steps.Count - DisplayedRows} more rows: trace.Steps has them all)" : "";

    private static string HexBytes(byte[] bytes) => string.Join(" ", bytes.Select(b => b.ToString("x2")));

    private static string Encode(string s) => WebUtility.HtmlEncode(s);

    public override string ToString() => ToText();

    // ---- chart ---------------------------------------------------------------------------------

    /// <summary>
    /// Registers' values (as signed numbers) before the first step (x = 0) and after each step:
    /// e.g. the sum and the counter of a loop. Without arguments: every register that changed, except rsp.
    /// </summary>
    /// <exception cref="InvalidOperationException">No register changed, or the trace is empty.</exception>
    public Chart ToChart(params Reg64[] registers)
    {
        ArgumentNullException.ThrowIfNull(registers);
        if (Steps.Count == 0)
            throw new InvalidOperationException("The trace has no steps, so there is nothing to chart.");
        var chosen = registers.Length > 0
            ? registers
            : Reg64Facts.All.Where(r => r != Reg64.Rsp && Steps.Any(s => s.RegisterChanges.Any(c => c.Register == r))).ToArray();
        if (chosen.Length == 0)
            throw new InvalidOperationException("No register other than rsp changed in this trace; name the registers to chart, e.g. ToChart(Reg64.Rax).");
        var chart = new Chart($"Registers over {Steps.Count} steps", "step", "value (signed)");
        var x = Enumerable.Range(0, Steps.Count + 1).ToArray();
        foreach (var r in chosen)
        {
            var y = Steps.Select(s => (double)(long)s.After[r]).Prepend((long)Initial[r]);
            chart.Line(r.IntelName(), x, y);
        }
        return chart;
    }
}
