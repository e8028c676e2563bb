using System.Runtime.InteropServices;
using CsCheck;
using Iced.Intel;
using IcedDecoder = Iced.Intel.Decoder;

namespace JitNotebooks.Tests.Functions;

/// <summary>Notebook 07's functions: decoded by Iced, then run for real and checked against C#.</summary>
public unsafe class SampleFunctionsTests
{
    private static List<Instruction> Decode(byte[] bytes)
    {
        var decoder = IcedDecoder.Create(64, new ByteArrayCodeReader(bytes));
        var list = new List<Instruction>();
        while (decoder.IP < (ulong)bytes.Length) list.Add(decoder.Decode());
        return list;
    }

    [Fact]
    public void Add_decodes_to_mov_add_ret()
    {
        var code = Decode(SampleFunctions.Add().ToArray()).Select(i => i.Code);
        Assert.Equal([Code.Mov_rm64_r64, Code.Add_rm64_r64, Code.Retnq], code);
    }

    [Fact]
    public void Add_runs_and_wraps_like_unchecked_CSharp()
    {
        using var arena = new CodeArena();
        var add = arena.Add(SampleFunctions.Add());
        Assert.Equal(5, add.Call(2, 3));
        Assert.Equal(long.MinValue, add.Call(long.MaxValue, 1));
        Gen.Long.Select(Gen.Long).Sample((a, b) => add.Call(a, b) == unchecked(a + b));
    }

    [Fact]
    public void SumTo_ends_with_a_backward_jne_whose_patched_displacement_is_negative()
    {
        var builder = SampleFunctions.SumTo();
        var instructions = Decode(builder.ToArray());
        var jne = instructions.Single(i => i.Code == Code.Jne_rel32_64);
        var loopStart = builder.Labels.Single(l => l.Name == "loop").Offset!.Value;
        Assert.Equal((ulong)loopStart, jne.NearBranch64);           // Iced agrees on the target
        Assert.True(jne.NearBranch64 < jne.IP);                        // backward
        var backward = builder.Report!.Patches.Single(p => p.Fixup.Target.Name == "loop");
        Assert.True(backward.Displacement < 0);
        var forward = builder.Report!.Patches.Single(p => p.Fixup.Target.Name == "done");
        Assert.True(forward.Displacement > 0);
        Assert.Equal(instructions.Single(i => i.Code == Code.Jle_rel32_64).NearBranch64, (ulong)builder.Labels.Single(l => l.Name == "done").Offset!.Value);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(-5, 0)]
    [InlineData(long.MinValue, 0)]
    [InlineData(1, 1)]
    [InlineData(10, 55)]
    [InlineData(100_000, 5_000_050_000)]
    public void SumTo_adds_one_to_n(long n, long expected)
    {
        using var arena = new CodeArena();
        Assert.Equal(expected, arena.Add(SampleFunctions.SumTo()).Call(n));
    }

    [Fact]
    public void SumTo_agrees_with_a_CSharp_loop()
    {
        using var arena = new CodeArena();
        var sum = arena.Add(SampleFunctions.SumTo());
        Gen.Long[-1000, 20_000].Sample(n =>
        {
            long expected = 0;
            for (long i = 1; i <= n; i++) expected += i;
            return sum.Call(n) == expected;
        });
    }

    [UnmanagedCallersOnly]
    private static long Square(long x) => unchecked(x * x);

    private static int _calls;

    [UnmanagedCallersOnly]
    private static long CountingTriple(long x)
    {
        Interlocked.Increment(ref _calls);
        // Allocate and collect inside the callback: managed code must be fully usable here.
        GC.KeepAlive(new byte[1000]);
        GC.Collect();
        return x * 3;
    }

    [Fact]
    public void CallBack_calls_the_CSharp_method_and_adds_x()
    {
        using var arena = new CodeArena();
        var f = arena.Add(SampleFunctions.CallBack((nint)(delegate* unmanaged<long, long>)&Square));
        Assert.Equal(12, f.Call(3));          // 3*3 + 3
        Assert.Equal(-20 + 400, f.Call(-20));
        Gen.Int.Select(x => (long)x).Sample(x => f.Call(x) == unchecked(x * x + x));
    }

    [Fact]
    public void CallBack_can_run_a_garbage_collection_inside_the_callback()
    {
        using var arena = new CodeArena();
        var f = arena.Add(SampleFunctions.CallBack((nint)(delegate* unmanaged<long, long>)&CountingTriple));
        int before = _calls;
        Assert.Equal(40, f.Call(10));
        Assert.Equal(before + 1, _calls);
    }

    [Fact]
    public void CallBack_keeps_the_stack_16_byte_aligned_at_the_call()
    {
        // The "callback" is JIT'd too: it returns rsp as it is on entry. After an aligned call,
        // the pushed return address leaves rsp ≡ 8 (mod 16).
        var probe = new CodeBuilder().MovRegReg(Reg64.Rax, Reg64.Rsp).Ret();
        using var arena = new CodeArena();
        var probeFn = arena.Add(probe);
        var f = arena.Add(SampleFunctions.CallBackCode(probeFn.Address));
        long rspAtEntry = f.Call(0);
        Assert.Equal(8, rspAtEntry & 15);
    }

    [Fact]
    public void CallBack_decodes_to_push_mov_movabs_call_add_pop_ret_with_the_pointer_inside()
    {
        nint pointer = (nint)(delegate* unmanaged<long, long>)&Square;
        var instructions = Decode(SampleFunctions.CallBackCode(pointer).ToArray());
        Assert.Equal([Code.Push_r64, Code.Mov_rm64_r64, Code.Mov_r64_imm64, Code.Call_rm64, Code.Add_rm64_r64, Code.Pop_r64, Code.Retnq],
            instructions.Select(i => i.Code));
        Assert.Equal((ulong)pointer, instructions[2].Immediate64);
        // One push between entry (rsp ≡ 8 mod 16) and the call: aligned.
        Assert.Equal(1, instructions.TakeWhile(i => i.Code != Code.Call_rm64).Count(i => i.Code == Code.Push_r64));
    }

    [Fact]
    public void CallBack_refuses_a_null_pointer()
    {
        var e = Assert.Throws<ArgumentException>(() => SampleFunctions.CallBack(0));
        Assert.Contains("UnmanagedCallersOnly", e.Message);
    }

    [Fact]
    public void SysV_table_lists_the_six_argument_registers_and_the_syscall_difference()
    {
        Assert.Equal([Reg64.Rdi, Reg64.Rsi, Reg64.Rdx, Reg64.Rcx, Reg64.R8, Reg64.R9], SysVConvention.ArgumentRegisters);
        Assert.Equal(Reg64.R10, SysVConvention.SyscallArgumentRegisters[3]);
        Assert.Empty(SysVConvention.CalleeSaved.Intersect(SysVConvention.CallerSaved));
        Assert.Equal(15, SysVConvention.CalleeSaved.Count + SysVConvention.CallerSaved.Count); // all but rsp
        var text = SysVConvention.ToText();
        Assert.Contains("argument 4", text);
        Assert.Contains("r10", text);
        var html = SysVConvention.ToHtml();
        Assert.Equal(SysVConvention.Rows.Count + 1, html.Split("<tr>").Length - 1);
        Assert.Contains("r8–r11", html);
    }
}
