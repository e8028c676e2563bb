using CsCheck;
using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;

namespace JitNotebooks.Tests.Calling;

public class CallTests
{
    // add(a, b): lea (%rdi,%rsi),%rax ; ret — hand-encoded.
    private static readonly byte[] AddBytes = [0x48, 0x8d, 0x04, 0x37, 0xc3];

    private static byte[] Assemble(Action<Assembler> body)
    {
        var a = new Assembler(64);
        body(a);
        var stream = new MemoryStream();
        a.Assemble(new StreamCodeWriter(stream), 0);
        return stream.ToArray();
    }

    [Fact]
    public void The_hand_encoded_add_is_lea_rdi_plus_rsi_into_rax_then_ret_according_to_Iced()
    {
        var decoder = Iced.Intel.Decoder.Create(64, new ByteArrayCodeReader(AddBytes));
        var lea = decoder.Decode();
        Assert.Equal(Mnemonic.Lea, lea.Mnemonic);
        Assert.Equal(4, lea.Length);
        Assert.Equal(Register.RAX, lea.Op0Register);
        Assert.Equal(Register.RDI, lea.MemoryBase);
        Assert.Equal(Register.RSI, lea.MemoryIndex);
        Assert.Equal(1, lea.MemoryIndexScale);
        Assert.Equal(0UL, lea.MemoryDisplacement64);
        Assert.Equal(Mnemonic.Ret, decoder.Decode().Mnemonic);

        // And Iced's assembler picks the same bytes.
        Assert.Equal(AddBytes, Assemble(a => { a.lea(rax, __[rdi + rsi]); a.ret(); }));
    }

    [Theory]
    [InlineData(2, 3, 5)]
    [InlineData(0, 0, 0)]
    [InlineData(-7, 7, 0)]
    [InlineData(-1, -1, -2)]
    [InlineData(long.MaxValue, 1, long.MinValue)]      // wraps around, as the CPU does
    [InlineData(long.MinValue, -1, long.MaxValue)]
    [InlineData(long.MaxValue, long.MaxValue, -2)]
    public void JIT_compiled_add_returns_the_sum(long a, long b, long sum)
    {
        using var add = ExecutableMemory.Create(AddBytes);
        Assert.Equal(sum, add.Call(a, b));
    }

    [Fact]
    public void JIT_compiled_add_agrees_with_unchecked_addition_for_any_longs()
    {
        using var add = ExecutableMemory.Create(AddBytes);
        Gen.Long.Select(Gen.Long).Sample((a, b) => add.Call(a, b) == unchecked(a + b));
    }

    [Fact]
    public unsafe void The_raw_function_pointer_calls_the_same_code()
    {
        using var add = ExecutableMemory.Create(AddBytes);
        var f = (delegate* unmanaged<long, long, long>)add.Address;
        Assert.Equal(42, f(40, 2));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Each_argument_arrives_in_its_System_V_register(int index)
    {
        AssemblerRegister64[] argRegs = [rdi, rsi, rdx, rcx, r8, r9];
        using var pick = ExecutableMemory.Create(Assemble(a => { a.mov(rax, argRegs[index]); a.ret(); }));
        long[] args = [11, 22, 33, 44, 55, 66];
        // Every overload passes its arguments in order; the code returns the one in argRegs[index].
        Assert.Equal(args[index], pick.Call(11, 22, 33, 44, 55, 66));
        if (index < 5) Assert.Equal(args[index], pick.Call(11, 22, 33, 44, 55));
        if (index < 4) Assert.Equal(args[index], pick.Call(11, 22, 33, 44));
        if (index < 3) Assert.Equal(args[index], pick.Call(11, 22, 33));
        if (index < 2) Assert.Equal(args[index], pick.Call(11, 22));
        if (index < 1) Assert.Equal(args[index], pick.Call(11));
    }

    [Fact]
    public void Call_without_arguments_returns_rax_and_CallVoid_returns()
    {
        using var answer = ExecutableMemory.Create(Assemble(a => { a.mov(eax, 42); a.ret(); }));
        Assert.Equal(42, answer.Call());
        answer.CallVoid();
    }

    [Fact]
    public unsafe void AddressAt_reaches_a_second_function_in_the_same_region()
    {
        // offset 0: return a; offset 4: return a + b (the add above)
        byte[] code = [.. Assemble(a => { a.mov(rax, rdi); a.ret(); }), .. AddBytes];
        using var memory = ExecutableMemory.Create(code);
        Assert.Equal(4, code.Length - AddBytes.Length);
        var add = (delegate* unmanaged<long, long, long>)memory.AddressAt(4);
        Assert.Equal(9, add(4, 5));
        Assert.Equal(4, memory.Call(4));
        Assert.Equal(memory.Address + 4, memory.AddressAt(4));
        Assert.Throws<ArgumentOutOfRangeException>(() => memory.AddressAt(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => memory.AddressAt(code.Length));
    }
}

public class OutputCaptureExceptionTests
{
    [Fact]
    public void Names_the_call_errno_and_its_meaning()
    {
        // Running out of descriptors is how pipe2/dup really fail; provoking it would starve the
        // whole test process, so the message is checked on its own.
        var e = new OutputCaptureException("pipe2", 24, "Could not create the pipe.");
        Assert.Equal("pipe2", e.Call);
        Assert.Equal(24, e.Errno);
        Assert.Contains("EMFILE", e.Message);
        Assert.Contains("Too many open files", e.Message);
        Assert.IsAssignableFrom<IOException>(e);
    }
}
