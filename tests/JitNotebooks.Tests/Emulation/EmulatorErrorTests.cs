using JitNotebooks.Emulation;
using JitNotebooks.Isolation;

namespace JitNotebooks.Tests.Emulation;

/// <summary>Everything that stops a run: a typed exception that says what, where (offset, AT&amp;T, registers) and how to fix it.</summary>
public class EmulatorErrorTests
{
    private static T Stops<T>(byte[] code, EmulatorOptions? options = null, params long[] args) where T : EmulationException
    {
        var e = Assert.Throws<T>(() => Emulator.Run(code, options, args));
        Assert.NotNull(e.Location);
        Assert.Contains("Fix:", e.Message);
        Assert.Contains("On a real CPU:", e.Message);
        Assert.Contains("Registers:", e.Message);
        Assert.Contains(e.Offset >= 0 ? $"offset 0x{e.Offset:x}" : $"offset -0x{-e.Offset:x}", e.Message);
        return e;
    }

    [Fact]
    public void Bytes_that_are_no_instruction_stop_with_SIGILLs_explanation()
    {
        var e = Stops<InvalidInstructionException>([0x90, 0x06]); // nop; push %es (invalid in 64-bit mode)
        Assert.Equal(1, e.Offset);
        Assert.Equal("(bad)", e.InstructionText);
        Assert.Equal(LinuxSignal.SIGILL, e.Signal);
        Assert.Contains("SIGILL", e.Message);
    }

    [Theory]
    [InlineData(new byte[] { 0x48, 0xff, 0xc0, 0xc3 }, "inc", "not one of the course's instructions")]
    [InlineData(new byte[] { 0x8c, 0xc0, 0xc3 }, "%es", "only the 16 general registers")]
    [InlineData(new byte[] { 0x64, 0x48, 0x8b, 0x04, 0x25, 0x28, 0x00, 0x00, 0x00, 0xc3 }, "%fs:", "thread-local storage")]
    [InlineData(new byte[] { 0xf0, 0x48, 0x01, 0x04, 0x24, 0xc3 }, "lock", "lock prefix")]
    [InlineData(new byte[] { 0x66, 0x50, 0xc3 }, "push", "64-bit near form")]
    public void Instructions_outside_the_subset_are_named_never_skipped(byte[] code, string named, string reason)
    {
        var e = Stops<UnsupportedInstructionException>(code);
        Assert.Equal(0, e.Offset);
        Assert.Contains(named, e.Instruction);
        Assert.Contains(reason, e.Reason);
        Assert.Null(e.Signal);
    }

    [Fact]
    public void Reading_unmapped_memory_is_a_memory_fault_with_the_address()
    {
        var e = Stops<UnmappedMemoryException>([0x31, 0xc0, 0x48, 0x8b, 0x18, 0xc3]); // xor %eax,%eax; mov (%rax),%rbx
        Assert.Equal(0UL, e.Address);
        Assert.Equal(MemoryAccess.Read, e.Access);
        Assert.Equal(8, e.Size);
        Assert.Equal(2, e.Offset);
        Assert.Equal("mov    (%rax),%rbx", e.InstructionText);
        Assert.Equal(LinuxSignal.SIGSEGV, e.Signal);
    }

    [Fact]
    public void Writing_to_the_read_execute_code_is_a_protection_fault()
    {
        // lea (%rip),%rax ; mov %rax,(%rax): the code may not write itself (W^X).
        var e = Stops<ProtectionFaultException>([0x48, 0x8d, 0x05, 0x00, 0x00, 0x00, 0x00, 0x48, 0x89, 0x00, 0xc3]);
        Assert.Equal(MemoryAccess.Write, e.Access);
        Assert.Equal(Protection.Read | Protection.Execute, e.Protection);
        Assert.Equal(7, e.Offset);
        Assert.Contains("r-x", e.Message);
        Assert.Contains("W^X", e.Message);
    }

    [Fact]
    public void Running_into_a_CodeBuilders_data_is_executing_data()
    {
        var b = new CodeBuilder();
        var text = b.CreateLabel("text");
        b.Jmp(text).MarkCodeEnd().Bind(text).EmitAscii("Hi");
        b.Patch();
        var e = Assert.Throws<ExecutingDataException>(() => Emulator.Run(b));
        Assert.Equal(5, e.Offset);
        Assert.Contains("\"Hi\"", e.Message);
        Assert.Contains("jmp", e.Location!.Registers is not null ? "jmp" : "");
    }

    [Fact]
    public void Jumping_to_the_stack_is_executing_data()
    {
        var e = Stops<ExecutingDataException>([0x48, 0x89, 0xe0, 0xff, 0xe0]); // mov %rsp,%rax; jmp *%rax
        Assert.Contains("the stack", e.What);
        Assert.Contains("rw-", e.What);
    }

    [Fact]
    public void A_call_with_a_misaligned_stack_is_refused_unless_the_check_is_off()
    {
        byte[] code = [0xe8, 0x01, 0x00, 0x00, 0x00, 0xc3, 0xc3]; // call +1 (to the second ret); ret
        var e = Stops<StackMisalignedException>(code);
        Assert.Equal(8UL, e.Rsp % 16);
        Assert.Equal(0, e.Offset);
        Assert.Contains("push an odd number", e.Fix);
        Assert.Equal(RunEnding.Returned, Emulator.Run(code, new EmulatorOptions { CheckStackAlignment = false }).Ending);
    }

    [Fact]
    public void Division_by_zero_and_overflow_are_divide_errors_with_SIGFPE()
    {
        var zero = Stops<DivideErrorException>([0x31, 0xc9, 0x48, 0x99, 0x48, 0xf7, 0xf9, 0xc3], null, 0); // xor %ecx,%ecx; cqto; idiv %rcx
        Assert.Equal(DivideErrorKind.DivideByZero, zero.Kind);
        Assert.Equal(4, zero.Offset);
        Assert.Equal(LinuxSignal.SIGFPE, zero.Signal);

        // movabs $MinValue,%rax; mov $-1,%rcx; cqto; idiv %rcx
        byte[] overflow = [0x48, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0x80, 0x48, 0xc7, 0xc1, 0xff, 0xff, 0xff, 0xff, 0x48, 0x99, 0x48, 0xf7, 0xf9, 0xc3];
        var e = Stops<DivideErrorException>(overflow);
        Assert.Equal(DivideErrorKind.QuotientOverflow, e.Kind);
        Assert.Equal(-1, e.Divisor);
        Assert.Contains(long.MinValue.ToString(), e.Dividend);
    }

    [Fact]
    public void A_runaway_loop_hits_the_step_limit()
    {
        var e = Stops<StepLimitExceededException>([0xeb, 0xfe], new EmulatorOptions { MaxSteps = 1000 }); // jmp .
        Assert.Equal(1000, e.Limit);
        Assert.Equal("jmp    0x0", e.InstructionText);
    }

    [Fact]
    public void Int3_is_a_breakpoint_trap_not_a_no_op()
    {
        var e = Stops<BreakpointTrapException>([0x90, 0xcc, 0xc3]);
        Assert.Equal(1, e.Offset);
        Assert.Equal("int3", e.InstructionText);
        Assert.Equal(LinuxSignal.SIGTRAP, e.Signal);
    }

    [Fact]
    public void A_syscall_the_emulator_lacks_is_named()
    {
        var e = Stops<UnsupportedSyscallException>([0xb8, 39, 0, 0, 0, 0x0f, 0x05, 0xc3]); // mov $39,%eax; syscall
        Assert.Equal(39, e.Number);
        Assert.Contains("getpid", e.Message);
        Assert.Equal(5, e.Offset);
    }

    [Fact]
    public void Exit_ends_the_run_with_its_status()
    {
        // mov $60,%eax; mov $0x103,%edi; syscall; int3 (never reached)
        var result = Emulator.Run([0xb8, 60, 0, 0, 0, 0xbf, 0x03, 0x01, 0, 0, 0x0f, 0x05, 0xcc]);
        Assert.Equal(RunEnding.Exited, result.Ending);
        Assert.Equal(3, result.ExitStatus); // the parent sees status & 0xff
        Assert.Contains("exited with status 3", result.ToString());
    }

    [Theory]
    [InlineData(7, 0x100, -9)]        // a closed fd: -EBADF
    [InlineData(1, 0x10, -14)]        // an unmapped buffer: -EFAULT, like the kernel (no crash)
    public void Write_errors_come_back_in_rax_like_the_kernels(int fd, int buffer, long rax)
    {
        // mov $1,%eax; mov $fd,%edi; mov $buffer,%esi; mov $4,%edx; syscall; ret
        byte[] code = [0xb8, 1, 0, 0, 0, 0xbf, (byte)fd, 0, 0, 0, 0xbe, (byte)buffer, (byte)(buffer >> 8), 0, 0, 0xba, 4, 0, 0, 0, 0x0f, 0x05, 0xc3];
        var result = Emulator.Run(code);
        Assert.Equal(rax, result.ReturnValue);
        Assert.Empty(result.Writes);
    }

    [Fact]
    public void A_ret_into_nothing_says_which_instruction_sent_execution_there()
    {
        // push $0x1234; ret — an unbalanced stack: ret pops the pushed value, not the return address
        var e = Stops<UnmappedMemoryException>([0x68, 0x34, 0x12, 0, 0, 0xc3]);
        Assert.Equal(0x1234UL, e.Address);
        Assert.Equal(MemoryAccess.Execute, e.Access);
        Assert.Contains("ret", e.CameFrom);
        Assert.Contains("every push", e.Fix);
    }

    [Fact]
    public void A_throwing_callback_is_reported_with_its_exception()
    {
        var options = new EmulatorOptions();
        options.Callbacks.Add(0x5000_0000, "Boom", (long x) => throw new InvalidOperationException("no"));
        var e = Assert.Throws<CallbackFailedException>(() => Emulator.Run(SampleFunctions.CallBackCode(0x5000_0000), options, 1));
        Assert.IsType<InvalidOperationException>(e.InnerException);
        Assert.Equal("Boom", e.Callback);
        Assert.Contains("callback Boom", e.InstructionText);
    }

    [Fact]
    public void A_faulting_instruction_commits_nothing()
    {
        // mov $0x10,%esp (rsp points at nothing); push %rax — the push faults, rsp keeps its value
        var emulator = new Emulator();
        emulator.Load([0xbc, 0x10, 0, 0, 0, 0x50, 0xc3]);
        emulator.PrepareCall();
        emulator.Step();
        var before = emulator.Cpu.Snapshot();
        var e = Assert.Throws<UnmappedMemoryException>(() => emulator.Step());
        Assert.Equal(MemoryAccess.Write, e.Access);
        Assert.Equal(0x10UL - 8, e.Address);
        Assert.Equal(before.Values, emulator.Cpu.Snapshot().Values);
        Assert.Equal(before.Rip, emulator.Cpu.Rip);
    }
}
