using JitNotebooks.Emulation;
using JitNotebooks.Isolation;

namespace JitNotebooks.Tests.Isolation;

/// <summary>
/// Isolated runs, natively (a sandboxed worker process) and in the emulator: every kind of ending
/// classified, located where it can be, and the test process unharmed throughout.
/// </summary>
// One collection with FuzzTests: this class kills the fork server on purpose, which the fuzz test must not see.
[Collection("fork server")]
public class IsolatedRunnerTests
{
    public static TheoryData<bool> BothModes => new() { false, true };

    private static IsolatedRun Run(bool emulated, byte[] code, TimeSpan? timeout = null, params long[] args)
    {
        using var scope = emulated ? NativePlatform.UseEmulator() : null;
        var run = IsolatedRunner.RunIsolated(code, timeout ?? IsolatedRunner.DefaultTimeout, args);
        Assert.Equal(emulated, run.Emulated);
        return run;
    }

    [Theory, MemberData(nameof(BothModes))]
    public void A_function_returns_its_value(bool emulated)
    {
        var run = Assert.IsType<IsolatedRun.Returned>(Run(emulated, SampleFunctions.Add().ToArray(), null, 2, 40));
        Assert.Equal(42, run.Value);
        Assert.Equal("Returned 42 (rax).", run.Explanation);
    }

    [Theory, MemberData(nameof(BothModes))]
    public void Hello_world_is_captured(bool emulated)
    {
        var run = Assert.IsType<IsolatedRun.Returned>(Run(emulated, HelloWorldProgram.Packed().ToArray()));
        Assert.Equal("Hello World!", run.OutputText);
        Assert.Equal(12, run.Value);
    }

    [Theory, MemberData(nameof(BothModes))]
    public void SIGSEGV_names_the_instruction_and_the_address(bool emulated)
    {
        // nop; mov (%rdi),%rax; ret — called with rdi = 0x10
        var run = Assert.IsType<IsolatedRun.Crashed>(Run(emulated, [0x90, 0x48, 0x8b, 0x07, 0xc3], null, 0x10));
        Assert.Equal(LinuxSignal.SIGSEGV, run.Signal);
        Assert.Equal(1, run.Offset);
        Assert.Equal("mov    (%rdi),%rax", run.Instruction);
        Assert.Equal(0x10UL, run.FaultAddress);
        Assert.Contains("SIGSEGV (11)", run.ToString());
        Assert.Contains("address 0x10", run.ToString());
        Assert.Contains("The emulator explains: Memory fault reading 8 bytes at 0x10", run.Detail); // the same arguments, the same fault
    }

    [Theory, MemberData(nameof(BothModes))]
    public void SIGILL_for_bytes_that_are_no_instruction(bool emulated)
    {
        var run = Assert.IsType<IsolatedRun.Crashed>(Run(emulated, [0x90, 0x90, 0x06, 0xc3]));
        Assert.Equal(LinuxSignal.SIGILL, run.Signal);
        Assert.Equal(2, run.Offset);
    }

    [Theory, MemberData(nameof(BothModes))]
    public void SIGTRAP_for_int3_at_the_int3_itself(bool emulated)
    {
        var run = Assert.IsType<IsolatedRun.Crashed>(Run(emulated, [0x90, 0xcc, 0xc3]));
        Assert.Equal(LinuxSignal.SIGTRAP, run.Signal);
        Assert.Equal(1, run.Offset);
        Assert.Equal("int3", run.Instruction);
    }

    [Theory, MemberData(nameof(BothModes))]
    public void SIGFPE_for_a_division_by_zero(bool emulated)
    {
        var run = Assert.IsType<IsolatedRun.Crashed>(Run(emulated, [0x31, 0xc9, 0x48, 0x99, 0x48, 0xf7, 0xf9, 0xc3]));
        Assert.Equal(LinuxSignal.SIGFPE, run.Signal);
        Assert.Equal(4, run.Offset);
        Assert.Equal("idiv   %rcx", run.Instruction);
        Assert.Contains("The emulator explains: idiv divided", run.Detail);
    }

    [Theory, MemberData(nameof(BothModes))]
    public void A_runaway_loop_times_out(bool emulated)
    {
        var run = Assert.IsType<IsolatedRun.TimedOut>(Run(emulated, [0xeb, 0xfe], TimeSpan.FromMilliseconds(150)));
        Assert.Equal(TimeSpan.FromMilliseconds(150), run.Limit);
        if (!emulated) Assert.InRange(run.Elapsed.TotalMilliseconds, 150, 3000);
    }

    [Theory, MemberData(nameof(BothModes))]
    public void Exit_is_reported_with_its_status_and_the_output_before_it(bool emulated)
    {
        // write(1, "Hi", 2) from a pushed word, then exit(7)
        byte[] code =
        [
            0x68, (byte)'H', (byte)'i', 0, 0,              // push $0x6948
            0xb8, 1, 0, 0, 0, 0xbf, 1, 0, 0, 0,            // mov $1,%eax; mov $1,%edi
            0x48, 0x89, 0xe6, 0xba, 2, 0, 0, 0, 0x0f, 0x05, // mov %rsp,%rsi; mov $2,%edx; syscall
            0xb8, 60, 0, 0, 0, 0xbf, 7, 0, 0, 0, 0x0f, 0x05, // exit(7)
        ];
        var run = Assert.IsType<IsolatedRun.Exited>(Run(emulated, code));
        Assert.Equal(7, run.Status);
        Assert.Equal("Hi", run.OutputText);
    }

    [Theory, MemberData(nameof(BothModes))]
    public void The_sandbox_refuses_other_system_calls_with_SIGSYS(bool emulated)
    {
        var run = Assert.IsType<IsolatedRun.Crashed>(Run(emulated, [0x90, 0xb8, 39, 0, 0, 0, 0x0f, 0x05, 0xc3])); // getpid
        Assert.Equal(LinuxSignal.SIGSYS, run.Signal);
        Assert.Equal(39, run.BlockedSyscall);
        Assert.Equal(6, run.Offset);
        Assert.Contains("getpid", run.ToString());
    }

    [Theory, MemberData(nameof(BothModes))]
    public void A_wrong_lea_displacement_crashes_safely(bool emulated)
    {
        // The article's program, but reading through rsi with the displacement off by 16 MiB.
        var b = new CodeBuilder();
        var message = b.CreateLabel("message");
        b.LeaRipRelative(Reg64.Rsi, message).Emit(0x48, 0x8b, 0x06).Ret().MarkCodeEnd(); // lea; mov (%rsi),%rax; ret
        b.BindExternal(message, 16 << 20);
        b.Patch();
        var run = Assert.IsType<IsolatedRun.Crashed>(Run(emulated, b.ToArray()));
        Assert.Equal(LinuxSignal.SIGSEGV, run.Signal);
        Assert.Equal(7, run.Offset);
        Assert.Equal("mov    (%rsi),%rax", run.Instruction);
    }

    [Fact]
    public void Output_beyond_a_pipe_buffer_is_drained_while_the_code_runs()
    {
        // 40 × write(1, page, 4096): 160 KiB, more than a pipe holds.
        var a = new Iced.Intel.Assembler(64);
        var start = a.CreateLabel();
        var loop = a.CreateLabel();
        a.Label(ref start);
        a.lea(Iced.Intel.AssemblerRegisters.rsi, Iced.Intel.AssemblerRegisters.__[start]);
        a.mov(Iced.Intel.AssemblerRegisters.ebx, 40);
        a.Label(ref loop);
        a.mov(Iced.Intel.AssemblerRegisters.eax, 1);
        a.mov(Iced.Intel.AssemblerRegisters.edi, 1);
        a.mov(Iced.Intel.AssemblerRegisters.edx, 4096);
        a.syscall();
        a.dec(Iced.Intel.AssemblerRegisters.ebx);
        a.jne(loop);
        a.ret();
        var stream = new MemoryStream();
        a.Assemble(new Iced.Intel.StreamCodeWriter(stream), 0);
        byte[] code = stream.ToArray();
        var run = IsolatedRunner.RunIsolated(code);
        if (run is not IsolatedRun.Returned) Assert.Fail(run.ToString());
        Assert.Equal(40 * 4096, run.Output.Length);
    }

    [Fact]
    public void The_server_is_restarted_after_it_dies()
    {
        Assert.IsType<IsolatedRun.Returned>(IsolatedRunner.RunIsolated([0xc3]));
        int first = ForkServer.ServerProcessId;
        Assert.True(first > 0);
        Assert.Equal(0, Kill(first, 9));
        Assert.IsType<IsolatedRun.Returned>(IsolatedRunner.RunIsolated([0xc3]));
        Assert.NotEqual(first, ForkServer.ServerProcessId);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);

    [Fact]
    public void Misuse_is_refused_with_the_fix()
    {
        Assert.Throws<ArgumentException>(() => IsolatedRunner.RunIsolated(ReadOnlySpan<byte>.Empty));
        Assert.Contains("at most", Assert.Throws<ArgumentException>(() => IsolatedRunner.RunIsolated(new byte[IsolatedRunner.MaxCodeSize + 1])).Message);
        Assert.Contains("rdi", Assert.Throws<ArgumentException>(() => IsolatedRunner.RunIsolated([0xc3], 1, 2, 3, 4, 5, 6, 7)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => IsolatedRunner.RunIsolated([0xc3], TimeSpan.Zero));
        var b = new CodeBuilder();
        var l = b.CreateLabel("l");
        b.Jmp(l).Bind(l).Ret();
        Assert.Contains("Patch()", Assert.Throws<InvalidOperationException>(() => IsolatedRunner.RunIsolated(b)).Message);
    }
}

public class IsolatedRunDisplayTests
{
    [Fact]
    public void Results_show_as_html_and_text_in_a_notebook()
    {
        var crash = IsolatedRunner.RunIsolated([0xcc]);
        Assert.Contains("SIGTRAP", crash.ToText());
        Assert.Contains("#c62828", crash.ToHtml());
        var hello = IsolatedRunner.RunIsolated(HelloWorldProgram.Packed());
        Assert.Contains("<pre>Hello World!</pre>", hello.ToHtml());
        Assert.Contains(typeof(IsolatedRun).GetCustomAttributes(true), a => a.GetType().Name == "TypeFormatterSourceAttribute");
        Assert.Contains(typeof(EmulationResult).GetCustomAttributes(true), a => a.GetType().Name == "TypeFormatterSourceAttribute");
        Assert.Equal("<p>returned 3 (rax) after 3 instructions</p>", Emulator.Run(SampleFunctions.Add(), 1, 2).ToHtml());
    }
}
