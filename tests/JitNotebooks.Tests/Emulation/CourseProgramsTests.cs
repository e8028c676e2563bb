using JitNotebooks.Compiler;
using JitNotebooks.Emulation;

namespace JitNotebooks.Tests.Emulation;

/// <summary>Every program of the course, run in the emulator: the same results the notebooks show natively.</summary>
public class CourseProgramsTests
{
    [Fact]
    public void Hello_world_writes_twelve_bytes_and_returns_what_write_returned()
    {
        foreach (var program in new[] { HelloWorldProgram.Packed(), HelloWorldProgram.Unpacked() })
        {
            var result = Emulator.Run(program);
            Assert.Equal(RunEnding.Returned, result.Ending);
            Assert.Equal("Hello World!", result.OutputText);
            Assert.Equal(12, result.ReturnValue);         // write returns the count in rax
            Assert.Equal(6, result.Steps);                // mov, mov, mov, lea, syscall, ret
            Assert.Single(result.Writes);
            Assert.Equal(1, result.Writes[0].Fd);
        }
    }

    [Fact]
    public void Syscall_leaves_the_return_address_in_rcx_and_rflags_in_r11()
    {
        var program = HelloWorldProgram.Packed();
        var emulator = new Emulator();
        emulator.Load(program);
        emulator.PrepareCall();
        for (int i = 0; i < 5; i++) emulator.Step();      // up to and including the syscall
        Assert.Equal(emulator.ProgramStart + 0x1e, emulator.Cpu[Reg64.Rcx]); // the ret after the 2-byte syscall at 0x1c
        Assert.Equal(emulator.Cpu.RFlags, emulator.Cpu[Reg64.R11]);
        Assert.Equal(0x202UL, emulator.Cpu[Reg64.R11] & 0x202);
    }

    [Theory]
    [InlineData(2, 40, 42)]
    [InlineData(-7, 3, -4)]
    [InlineData(long.MaxValue, 1, long.MinValue)]
    public void Add_adds(long a, long b, long sum) => Assert.Equal(sum, Emulator.Run(SampleFunctions.Add(), a, b).ReturnValue);

    [Theory]
    [InlineData(0, 0)]
    [InlineData(-5, 0)]
    [InlineData(1, 1)]
    [InlineData(10, 55)]
    [InlineData(1000, 500500)]
    public void Sum_to_loops_with_its_backward_jump(long n, long sum)
    {
        var result = Emulator.Run(SampleFunctions.SumTo(), n);
        Assert.Equal(sum, result.ReturnValue);
        Assert.Equal(n > 0 ? 3 + 3 * n + 1 : 4, result.Steps);
    }

    [Fact]
    public void The_callback_program_calls_a_registered_csharp_function()
    {
        const ulong square = 0x7000_1000;
        var options = new EmulatorOptions();
        options.Callbacks.Add(square, "Square", x => x * x);
        var result = Emulator.Run(SampleFunctions.CallBack((nint)square), options, 7);
        Assert.Equal(7 * 7 + 7, result.ReturnValue);
    }

    [Fact]
    public unsafe void The_callback_program_calls_a_native_UnmanagedCallersOnly_method_registered_by_SampleFunctions()
    {
        nint pointer = (nint)(delegate* unmanaged<long, long>)&CountedSquare.Square; // used by this test only
        var program = SampleFunctions.CallBack(pointer); // registers the pointer with NativeCallbacks
        Assert.Equal(1000L * 1000 + 1000, Emulator.Run(program, 1000).ReturnValue);
        Assert.Equal(1, CountedSquare.Calls);
    }

    [Theory]
    [InlineData("a * b + c", new long[] { 6, 7, 8 })]
    [InlineData("(a + 3) * (b - 7) - c % 5 - a", new long[] { 10, 20, 30 })]
    [InlineData("a / b", new long[] { 7, -2, 0 })]
    [InlineData("a % b", new long[] { -7, 2, 0 })]
    [InlineData("(a * a + b * b) % 1000 + a / c - b % (c + 7)", new long[] { 123, -456, 7 })]
    public void Compiled_expressions_agree_with_the_interpreter(string source, long[] arguments)
    {
        var function = Parser.Parse(source, "a", "b", "c");
        var program = new X64Compiler().Generate(function);
        var result = Emulator.Run(program.Code, arguments);
        Assert.Equal(JitStatus.Ok, (JitStatus)result.SecondReturnValue);
        Assert.Equal(Interpreter.Evaluate(function, arguments), result.ReturnValue);
    }

    [Theory]
    [InlineData(1, 0, JitStatus.DivideByZero)]
    [InlineData(long.MinValue, -1, JitStatus.Overflow)]
    public void Compiled_division_reports_its_errors_as_status(long a, long b, JitStatus status)
    {
        var program = new X64Compiler().Generate(Parser.Parse("a / b", "a", "b"));
        Assert.Equal(status, (JitStatus)Emulator.Run(program.Code, a, b).SecondReturnValue);
    }
}

/// <summary>A C# function for the callback program, as notebook 07 has one.</summary>
public static class Callbacks
{
    [System.Runtime.InteropServices.UnmanagedCallersOnly]
    public static long Square(long x) => x * x;
}

/// <summary>The same, counting its calls: for the one test that checks the C# method really ran.</summary>
public static class CountedSquare
{
    public static int Calls;

    [System.Runtime.InteropServices.UnmanagedCallersOnly]
    public static long Square(long x)
    {
        Interlocked.Increment(ref Calls);
        return x * x;
    }
}
