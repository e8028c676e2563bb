using JitNotebooks.Compiler;
using JitNotebooks.Emulation;

namespace JitNotebooks.Tests.Emulation;

/// <summary>Trace rows checked against the emulator's own state, and their rendering.</summary>
public class ExecutionTraceTests
{
    [Fact]
    public void Hello_world_row_by_row()
    {
        var program = HelloWorldProgram.Packed();
        var trace = Emulator.Trace(program);
        Assert.Null(trace.Error);
        Assert.Equal(6, trace.Steps.Count);
        var listing = Listing.Disassemble(program).Lines.Take(6).ToArray();
        for (int i = 0; i < 6; i++)
        {
            Assert.Equal(listing[i].Offset, trace.Steps[i].Offset);
            Assert.Equal(listing[i].Text, trace.Steps[i].Text);
            Assert.Equal(listing[i].Bytes, trace.Steps[i].Bytes);
        }
        ulong start = trace.Steps[0].Address;
        var lea = trace.Steps[3];
        Assert.Equal([new RegisterChange(Reg64.Rsi, 0, start + 0x20)], lea.RegisterChanges); // lea points at the text, 0x20
        var syscall = trace.Steps[4];
        Assert.Equal("Hello World!", Assert.Single(syscall.Output).Text);
        Assert.Contains(syscall.RegisterChanges, c => c.Register == Reg64.Rax && c.After == 12);
        Assert.Contains(syscall.RegisterChanges, c => c.Register == Reg64.Rcx && c.After == start + 0x1e);
        Assert.Contains(syscall.RegisterChanges, c => c.Register == Reg64.R11);
        Assert.Equal(12, trace.Result!.ReturnValue);
        Assert.Contains("Hello World!", trace.ToText());
    }

    [Fact]
    public void Each_row_continues_where_the_previous_ended_and_lists_exactly_what_changed()
    {
        var function = Parser.Parse("(a + 3) * (b - 7) - c % 5 - a", "a", "b", "c");
        var trace = Emulator.Trace(new X64Compiler(2).Generate(function).Code, 10, 20, 30);
        Assert.Equal(Interpreter.Evaluate(function, 10, 20, 30), trace.Result!.ReturnValue);
        for (int i = 0; i < trace.Steps.Count; i++)
        {
            var s = trace.Steps[i];
            var before = i == 0 ? trace.Initial : trace.Steps[i - 1].After;
            Assert.Same(before.Rip == s.Before.Rip ? s.Before : null, s.Before);
            Assert.Equal(before.Values, s.Before.Values);
            Assert.Equal(Reg64Facts.All.Where(r => s.Before[r] != s.After[r]), s.RegisterChanges.Select(c => c.Register));
            Assert.All(s.RegisterChanges, c => Assert.Equal((c.Before, c.After), (s.Before[c.Register], s.After[c.Register])));
        }
        Assert.Equal(trace.Result.Registers.Values, trace.Steps[^1].After.Values);
        Assert.Equal(trace.Result.Steps, trace.Steps.Count);
    }

    [Fact]
    public void The_loops_backward_jump_and_its_chart()
    {
        var trace = Emulator.Trace(SampleFunctions.SumTo(), 3);
        var jumps = trace.Steps.Where(s => s.Text.StartsWith("jne")).ToArray();
        Assert.Equal([true, true, false], jumps.Select(s => s.Jumped));
        Assert.All(jumps.Take(2), s => Assert.True(s.After.Rip < s.Address)); // backward
        var chart = trace.ToChart(Reg64.Rax, Reg64.Rdi);
        Assert.Equal(["rax", "rdi"], chart.Series.Select(s => s.Name));
        Assert.Equal(trace.Steps.Count + 1, chart.Series[0].Y.Count);
        Assert.Equal(6, chart.Series[0].Y[^1]);          // 3 + 2 + 1
        Assert.Equal([3.0, 2.0, 1.0, 0.0], chart.Series[1].Y.Distinct());
        Assert.Equal(["rax", "rdi"], trace.ToChart().Series.Select(s => s.Name)); // by default: every register that changed, but rsp
    }

    [Fact]
    public unsafe void The_stack_across_a_call_and_the_callback_row()
    {
        nint square = (nint)(delegate* unmanaged<long, long>)&Callbacks.Square;
        var trace = Emulator.Trace(SampleFunctions.CallBack(square), 7);
        Assert.Equal(56, trace.Result!.ReturnValue);
        var call = trace.Steps.Single(s => s.Text.StartsWith("call"));
        var pushed = Assert.Single(call.MemoryChanges);
        Assert.Equal(call.After[Reg64.Rsp], pushed.Address);
        Assert.Equal(call.Address + 2, pushed.After);     // the return address: the add after the 2-byte call
        var callback = trace.Steps[trace.Steps.ToList().IndexOf(call) + 1];
        Assert.True(callback.IsCallback);
        Assert.Equal("C# callback callback(7) = 49", callback.Text);
        Assert.Equal(call.Before[Reg64.Rsp], callback.After[Reg64.Rsp]);
    }

    [Fact]
    public void Html_highlights_changed_registers_and_the_kernel_finds_the_formatter()
    {
        var trace = Emulator.Trace(SampleFunctions.Add(), 2, 40);
        string html = trace.ToHtml();
        Assert.StartsWith("<table class=\"jitnb-trace\">", html);
        Assert.Contains("<mark>rax</mark> <code>0x0</code>→<code>0x2</code>", html);
        Assert.Contains("returned 42", html);
        Assert.Contains(typeof(ExecutionTrace).GetCustomAttributes(false), a => a.GetType().Name == "TypeFormatterSourceAttribute");
        Assert.IsAssignableFrom<JitNotebooks.Display.IRichDisplay>(trace);
        var text = trace.ToText().Split('\n');
        Assert.StartsWith("#  offset  bytes", text[0]);
        Assert.Contains("add    %rsi,%rax", text[3]);
    }

    [Fact]
    public void A_fault_ends_the_trace_with_the_error()
    {
        var trace = Emulator.Trace([0x48, 0xc7, 0xc0, 0x2a, 0, 0, 0, 0xcc]); // mov $42,%rax; int3
        Assert.Single(trace.Steps);
        Assert.IsType<BreakpointTrapException>(trace.Error);
        Assert.Null(trace.Result);
        Assert.Contains("BreakpointTrapException at offset 0x7", trace.Outcome);
    }

    [Fact]
    public void Long_runs_record_a_bounded_number_of_rows_but_run_to_the_end()
    {
        var trace = Emulator.Trace(SampleFunctions.SumTo(), 100_000);
        Assert.Equal(ExecutionTrace.DefaultMaxRows, trace.Steps.Count);
        Assert.True(trace.IsTruncated);
        Assert.Equal(100_000L * 100_001 / 2, trace.Result!.ReturnValue);
        Assert.Contains("more rows", trace.ToText());
        Assert.Throws<InvalidOperationException>(() => Emulator.Trace([0x90, 0xc3]).ToChart());
    }
}
