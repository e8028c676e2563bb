using Iced.Intel;
using JitNotebooks.Exercises;

namespace JitNotebooks.Tests.Exercises;

// Runs JIT'd code that writes to fd 1, so it joins the serial fd-1 collection.
[Collection(Fd1Collection.Name)]
public class Exercises06Tests
{
    [Fact]
    public void PrintsTarget_runs_the_program_and_accepts_the_solution()
    {
        var result = Exercises06.PrintsTarget.Check("JIT says hi!\n", 13);
        Assert.True(result.IsCorrect, result.ToText());
        Assert.Contains("\"JIT says hi!\\n\" (13 bytes)", result.Message);
    }

    [Theory]
    [InlineData("Hello World!", 12, null)]                    // untouched: not answered
    [InlineData("JIT says hi!\n", 12, "count-unchanged")]
    [InlineData("JIT says hi!", 12, "no-newline")]
    [InlineData("JIT says hi!\\n", 14, "escaped-backslash")]
    [InlineData("JIT says hi!\n", 14, "newline-counted-as-two")]
    [InlineData("JIT says hi!\n", 99, "count-past-message")]
    [InlineData("JIT says hi!\n", -1, "negative-count")]
    [InlineData(null, 0, "no-message")]
    [InlineData("JIT says hi", 11, null)]                     // runs, prints the wrong text: the general nudge
    public void PrintsTarget_diagnoses_before_running(string? message, int count, string? diagnosis)
    {
        var result = Exercises06.PrintsTarget.Check(message, count);
        Assert.False(result.IsCorrect);
        Assert.Equal(diagnosis, result.Diagnosis);
        if (message == "Hello World!") Assert.Equal(ExerciseStatus.NotAnswered, result.Status);
    }

    [Fact]
    public void PrintsTarget_general_nudge_shows_what_was_printed()
    {
        var result = Exercises06.PrintsTarget.Check("JIT says hi", 11);
        Assert.Contains("it printed \"JIT says hi\"", result.Message);
    }

    [Fact]
    public void PrintsTarget_does_not_leak_to_the_real_stdout()
    {
        string leaked = Fd1.RedirectToFile(() => Exercises06.PrintsTarget.Check("JIT says hi!\n", 13));
        Assert.Equal("", leaked);
    }

    [Fact]
    public void BuildPrintProgram_decodes_to_the_write_syscall_with_the_count()
    {
        byte[] bytes = Exercises06.BuildPrintProgram("JIT says hi!\n", 13).ToArray();
        var code = IcedHelpers.DecodeAll(bytes, 0x1f);
        Assert.Equal(Code.Mov_rm64_imm32, code[2].Code);
        Assert.Equal(Register.RDX, code[2].Op0Register);
        Assert.Equal(13u, code[2].Immediate32);
        Assert.Equal(Code.Lea_r64_m, code[3].Code);
        Assert.Equal(0x1fUL, code[3].IPRelativeMemoryAddress); // data right after ret at 0x1e
        Assert.Equal(Code.Syscall, code[4].Code);
        Assert.Equal("JIT says hi!\n", System.Text.Encoding.ASCII.GetString(bytes, 0x1f, 13));
    }

    [Fact]
    public void RunReturn42_runs_the_bytes_and_reads_42_from_rax()
    {
        // Encoded by Iced, not by the library.
        byte[] bytes = [.. IcedHelpers.Encode(Instruction.Create(Code.Mov_rm64_imm32, Register.RAX, 42)), .. IcedHelpers.Encode(Instruction.Create(Code.Retnq))];
        var result = Exercises06.RunReturn42.Check(bytes);
        Assert.True(result.IsCorrect, result.ToText());
        Assert.True(Exercises06.RunReturn42.Check([0xb8, 0x2a, 0x00, 0x00, 0x00, 0xc3]).IsCorrect); // mov $42,%eax; ret
    }

    [Fact]
    public void RunReturn42_diagnoses_known_mistakes_without_running_them_and_runs_anything_else_isolated()
    {
        int runs = 0;
        using (LearnerCode.SubstituteRunner(_ => { runs++; return new LearnerRun(LearnerRunStatus.Returned, 42, [], ""); }))
        {
            Assert.Equal("calls-syscall", Exercises06.RunReturn42.Check([0x48, 0xc7, 0xc0, 0x3c, 0x00, 0x00, 0x00, 0x0f, 0x05]).Diagnosis);
            Assert.Equal("no-ret", Exercises06.RunReturn42.Check([0x48, 0xc7, 0xc0, 0x2a, 0x00, 0x00, 0x00]).Diagnosis);
        }
        Assert.Equal(0, runs);
        // Other bytes run, isolated: xor %rax,%rax; ret returns 0.
        var other = Exercises06.RunReturn42.Check([0x48, 0x31, 0xc0, 0xc3]);
        Assert.Null(other.Diagnosis); // not a known mistake: the general nudge
        Assert.Contains("returned 0", other.Message);
        // A crash comes back as an explanation: a jump to nowhere.
        var crash = Exercises06.RunReturn42.Check([0xff, 0xe0]); // jmp *%rax
        Assert.Equal("crashed", crash.Diagnosis);
    }

    [Fact]
    public void RunReturn42_reports_what_the_runner_reports()
    {
        byte[] right = [0x48, 0xc7, 0xc0, 0x2a, 0x00, 0x00, 0x00, 0xc3];
        using (LearnerCode.SubstituteRunner(_ => new LearnerRun(LearnerRunStatus.Crashed, 0, [], "SIGSEGV")))
        {
            var crashed = Exercises06.RunReturn42.Check(right);
            Assert.Equal("crashed", crashed.Diagnosis);
            Assert.Contains("SIGSEGV", crashed.Message);
        }
        using (LearnerCode.SubstituteRunner(_ => new LearnerRun(LearnerRunStatus.Returned, 41, [], "")))
            Assert.Equal("returned-something-else", Exercises06.RunReturn42.Check(right).Diagnosis);
        using (NativePlatform.SimulateUnsupportedMachine())
            Assert.True(Exercises06.RunReturn42.Check(right).IsCorrect, "elsewhere the emulator runs it");
    }

    [Fact]
    public void The_learner_code_seam_runs_isolated_and_captures_fd_1()
    {
        var run = LearnerCode.Run(Exercises06.BuildPrintProgram("seam\n", 5).ToArray());
        Assert.Equal(LearnerRunStatus.Returned, run.Status);
        Assert.Equal("seam\n", run.OutputText);
        Assert.Throws<ArgumentException>(() => LearnerCode.Run([]));
    }
}
