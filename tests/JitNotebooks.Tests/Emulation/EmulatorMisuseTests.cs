using JitNotebooks.Emulation;

namespace JitNotebooks.Tests.Emulation;

/// <summary>Wrong use of the emulator's API: a typed exception that names the problem and the fix.</summary>
public class EmulatorMisuseTests
{
    [Theory]
    [InlineData(0UL, 65536, 10L, "null pointer")]
    [InlineData(0x400001UL, 65536, 10L, "page size")]
    [InlineData(0x400000UL, 1000, 10L, "whole number")]
    [InlineData(0x400000UL, 65536, 0L, "at least one step")]
    public void Bad_options_are_refused_with_the_reason(ulong code, int stack, long steps, string reason)
    {
        var e = Assert.Throws<ArgumentException>(() => new Emulator(new EmulatorOptions { CodeAddress = code, StackSize = stack, MaxSteps = steps }));
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void Loading_and_calling_in_the_wrong_order_says_what_to_do()
    {
        var emulator = new Emulator();
        Assert.Contains("Load(code) first", Assert.Throws<InvalidOperationException>(() => emulator.PrepareCall()).Message);
        Assert.Contains("ret", Assert.Throws<ArgumentException>(() => emulator.Load(ReadOnlySpan<byte>.Empty)).Message);
        emulator.Load([0xc3]);
        Assert.Contains("new Emulator", Assert.Throws<InvalidOperationException>(() => emulator.Load([0xc3])).Message);
        Assert.Contains("Continue()", Assert.Throws<InvalidOperationException>(() => emulator.Result).Message);
        Assert.Contains("at most 6", Assert.Throws<ArgumentException>(() => emulator.PrepareCall(1, 2, 3, 4, 5, 6, 7)).Message);
    }

    [Fact]
    public void An_unpatched_program_is_refused()
    {
        var b = new CodeBuilder();
        var l = b.CreateLabel("l");
        b.Jmp(l).Bind(l).Ret();
        Assert.Contains("Patch()", Assert.Throws<InvalidOperationException>(() => Emulator.Run(b)).Message);
    }

    [Fact]
    public void Memory_regions_may_not_overlap_and_the_debugger_view_needs_mapped_addresses()
    {
        var memory = new Emulator().Memory;
        memory.Map(0x1000, 0x2000, Protection.Read, "a");
        Assert.Contains("overlaps a", Assert.Throws<ArgumentException>(() => memory.Map(0x2000, 0x10, Protection.Read, "b")).Message);
        Assert.Contains("not inside one mapped region", Assert.Throws<ArgumentException>(() => memory.ReadBytes(0x2ff8, 16)).Message);
        Assert.Throws<ArgumentException>(() => memory.Map(0x9000, 0, Protection.Read, "empty"));
    }

    [Fact]
    public void Flags_outside_the_model_and_bad_callbacks_are_refused()
    {
        var cpu = new Emulator().Cpu;
        Assert.Contains("outside the flags", Assert.Throws<ArgumentException>(() => cpu.Flags = (CpuFlags)0x100).Message);
        var registry = new CallbackRegistry().Add(0x10, "f", () => 1);
        Assert.Contains("already belongs", Assert.Throws<ArgumentException>(() => registry.Add(0x10, "g", () => 2)).Message);
        Assert.Contains("null", Assert.Throws<ArgumentException>(() => NativeCallbacks.Register(0)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new EmulatedCallback(0x10, "seven", 7, _ => 0));
        Assert.Throws<ArgumentException>(() => CpuFlags.Zero.Describe() == "" ? 0 : (CpuFlags.Zero | CpuFlags.Carry).ShortName().Length);
    }
}
