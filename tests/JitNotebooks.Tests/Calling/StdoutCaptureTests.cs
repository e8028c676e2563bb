using System.Runtime.InteropServices;
using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;

namespace JitNotebooks.Tests.Calling;

[Collection(Fd1Collection.Name)]
public class StdoutCaptureTests
{
    public static TheoryData<string> Programs => ["Unpacked", "Packed"];

    private static byte[] ProgramBytes(string which) =>
        (which == "Unpacked" ? HelloWorldProgram.Unpacked() : HelloWorldProgram.Packed()).ToArray();

    [Theory]
    [MemberData(nameof(Programs))]
    public void The_articles_program_prints_Hello_World_into_the_capture_and_nothing_to_real_stdout(string which)
    {
        CapturedOutput? captured = null;
        string realStdout = Fd1.RedirectToFile(() =>
        {
            Fd1.Write("<before>"); // control: proves that what reaches fd 1 does land in the file
            using var memory = ExecutableMemory.Create(ProgramBytes(which));
            captured = memory.RunCapturingStdout();
            Fd1.Write("<after>");
        });

        Assert.Equal("Hello World!"u8.ToArray(), captured!.Bytes); // 12 bytes, no 00 0a, no newline
        Assert.Equal(12, captured.Length);
        Assert.Equal("Hello World!", captured.Text);
        Assert.Equal("<before><after>", realStdout);
    }

    [Fact]
    public void Uncaptured_the_program_does_write_to_fd_1_so_the_check_above_can_fail()
    {
        string realStdout = Fd1.RedirectToFile(() =>
        {
            using var memory = ExecutableMemory.Create(HelloWorldProgram.Packed().ToArray());
            memory.CallVoid();
        });
        Assert.Equal("Hello World!", realStdout);
    }

    [Fact]
    public void The_article_demo_maps_rwx_and_runs()
    {
        using var memory = ExecutableMemory.CreateReadWriteExecute_ArticleDemo(HelloWorldProgram.Packed().ToArray());
        var entry = memory.ReadMapsEntry()!;
        Assert.Equal("rwxp", entry.Permissions);
        Assert.True(entry.IsWritableAndExecutable);
        Assert.Equal(Protection.Read | Protection.Write | Protection.Execute, memory.Protection);
        Assert.Equal("Hello World!", memory.RunCapturingStdout().Text);
    }

    /// <summary>
    /// write_all(buf = rdi, len = rsi): loops on write(1, ...) until every byte is out, retrying
    /// on EINTR; returns len, or a negative errno.
    /// </summary>
    private static byte[] WriteAllProgram()
    {
        var a = new Assembler(64);
        var loop = a.CreateLabel();
        var done = a.CreateLabel();
        var fail = a.CreateLabel();
        a.mov(r8, rdi);    // cursor
        a.mov(r9, rsi);    // bytes left
        a.mov(r10, rsi);   // total, the return value
        a.Label(ref loop);
        a.test(r9, r9);
        a.jz(done);
        a.mov(eax, 1);     // write
        a.mov(edi, 1);     // fd 1
        a.mov(rsi, r8);
        a.mov(rdx, r9);
        a.syscall();       // clobbers rcx and r11 only
        a.cmp(rax, -4);    // -EINTR: interrupted before writing, try again
        a.je(loop);
        a.test(rax, rax);
        a.js(fail);
        a.add(r8, rax);
        a.sub(r9, rax);
        a.jmp(loop);
        a.Label(ref done);
        a.mov(rax, r10);
        a.Label(ref fail);
        a.ret();
        var stream = new MemoryStream();
        a.Assemble(new StreamCodeWriter(stream), 0);
        return stream.ToArray();
    }

    [Fact]
    public unsafe void One_MiB_is_captured_byte_exact_without_deadlock()
    {
        byte[] data = new byte[1 << 20];
        new Random(1234).NextBytes(data);
        using var memory = ExecutableMemory.Create(WriteAllProgram());

        CapturedOutput<long>? captured = null;
        string realStdout = Fd1.RedirectToFile(() =>
        {
            fixed (byte* p = data)
            {
                long address = (long)p;
                captured = StdoutCapture.Run(() => memory.Call(address, data.Length));
            }
        });

        Assert.Equal(data.Length, captured!.Result);
        Assert.Equal(data.Length, captured.Length);
        Assert.True(data.AsSpan().SequenceEqual(captured.Bytes));
        Assert.Equal("", realStdout);
    }

    [Fact]
    public void Fd_1_is_restored_when_the_captured_action_throws()
    {
        string before = Fd1.Target();
        InvalidOperationException? thrown = null;
        string realStdout = Fd1.RedirectToFile(() =>
        {
            thrown = Assert.Throws<InvalidOperationException>(() => StdoutCapture.Run(() =>
            {
                Fd1.Write("inside");
                throw new InvalidOperationException("boom");
            }));
            Fd1.Write("after"); // must reach the original target: the file
        });
        Assert.Equal("boom", thrown!.Message);
        Assert.Equal("after", realStdout);
        Assert.Equal(before, Fd1.Target());
    }

    [Fact]
    public void Run_of_a_func_returns_its_result_and_its_output()
    {
        var r = StdoutCapture.Run(() => { Fd1.Write("forty-two"); return 42; });
        Assert.Equal(42, r.Result);
        Assert.Equal("forty-two", r.Text);
    }

    [Fact]
    public void A_capture_with_no_output_is_empty()
    {
        Assert.Empty(StdoutCapture.Run(() => { }).Bytes);
    }

    [Fact]
    public void Captures_do_not_leak_file_descriptors()
    {
        StdoutCapture.Run(() => Fd1.Write("warm-up"));
        int before = Fd1.OpenDescriptorCount();
        for (int i = 0; i < 200; i++)
            StdoutCapture.Run(() => Fd1.Write("x"));
        // Each capture opens three descriptors; a leak would add hundreds.
        Assert.InRange(Fd1.OpenDescriptorCount(), 0, before + 20);
    }

    [Fact]
    public void Null_actions_are_rejected()
    {
        Assert.Throws<ArgumentNullException>(() => StdoutCapture.Run(null!));
        Assert.Throws<ArgumentNullException>(() => StdoutCapture.Run<int>(null!));
    }

    [Fact]
    public void Console_Out_keeps_going_to_the_real_stdout()
    {
        // .NET's Console writes through its own duplicate of the original fd 1, so it is not
        // captured; the library flushes it before capturing so nothing buffered lands in the pipe.
        var captured = StdoutCapture.Run(() => { Console.Out.Write("console"); Console.Out.Flush(); Fd1.Write("native"); });
        Assert.Equal("native", captured.Text);
    }

    [Fact]
    public void Use_after_dispose_of_a_capturing_call_throws()
    {
        var memory = ExecutableMemory.Create([0xC3]);
        memory.Dispose();
        Assert.Throws<ObjectDisposedException>(() => memory.RunCapturingStdout());
    }

    [Fact]
    public unsafe void The_region_is_unmapped_after_dispose()
    {
        var memory = ExecutableMemory.Create([0xC3]);
        nint address = memory.Address;
        Assert.NotNull(ProcMaps.Find(address));
        memory.Dispose();
        // Runs alone (see Fd1Collection), so no other test can map the freed address meanwhile.
        var after = ProcMaps.Find(address);
        Assert.True(after is null || !after.Permissions.StartsWith("r-x"), after?.Line);
    }
}
