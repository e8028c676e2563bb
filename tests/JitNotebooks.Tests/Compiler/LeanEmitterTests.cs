using JitNotebooks.Compiler;

namespace JitNotebooks.Tests.Compiler;

/// <summary>
/// The lean emitter's encodings, instruction by instruction, against the CodeBuilder ones (which
/// CodeBuilderInstructionsTests holds to Iced): every register, the immediates at the imm8/imm32
/// boundary, every base register of a memory operand.
/// </summary>
public unsafe class LeanEmitterTests
{
    private static readonly Reg64[] All = Enum.GetValues<Reg64>();
    private static readonly int[] Immediates = [0, 1, -1, 127, -128, 128, -129, 0x1234, int.MaxValue, int.MinValue];

    /// <summary>Emits the same thing through both emitters and compares the bytes.</summary>
    private static void Same(Action<IX64Emitter> emit)
    {
        var builder = new CodeBuilder();
        IX64Emitter listing = new ListingEmitter(builder);
        emit(listing);
        listing.Patch();
        var buffer = new byte[64];
        fixed (byte* start = buffer)
        {
            IX64Emitter lean = new LeanEmitter(start, buffer.Length); // boxed: the calls mutate the box
            emit(lean);
            lean.Patch();
            Assert.Equal(Convert.ToHexString(builder.ToArray()), Convert.ToHexString(buffer, 0, lean.Position));
        }
    }

    [Fact]
    public void Register_pairs()
    {
        foreach (var d in All)
            foreach (var s in All)
            {
                Same(e => e.MovRegReg(d, s));
                Same(e => e.AddRegReg(d, s));
                Same(e => e.SubRegReg(d, s));
                Same(e => e.XorRegReg(d, s));
                Same(e => e.TestRegReg(d, s));
                Same(e => e.ImulRegReg(d, s));
                foreach (int imm in Immediates) Same(e => e.ImulImm(d, s, imm));
            }
    }

    [Fact]
    public void One_register()
    {
        foreach (var r in All)
        {
            Same(e => e.Neg(r));
            Same(e => e.Idiv(r));
            Same(e => e.ImulWide(r));
            Same(e => e.Push(r));
            Same(e => e.Pop(r));
            foreach (int imm in Immediates)
            {
                Same(e => e.AddImm(r, imm));
                Same(e => e.SubImm(r, imm));
                Same(e => e.CmpImm(r, imm));
                Same(e => e.AndImm(r, imm));
                Same(e => e.MovImm32(r, imm));
            }
            foreach (long value in new[] { 0L, -1, int.MaxValue, (long)int.MaxValue + 1, int.MinValue, (long)int.MinValue - 1, long.MinValue, long.MaxValue })
                Same(e => e.LoadConstant(r, value));
            for (int n = 0; n < 64; n++)
            {
                Same(e => e.ShlImm(r, n));
                Same(e => e.ShrImm(r, n));
                Same(e => e.SarImm(r, n));
            }
        }
        Same(e => e.Cqo());
        Same(e => e.Ret());
    }

    [Fact]
    public void Memory_operands_with_every_base()
    {
        foreach (var r in All)
            foreach (var b in All)
                foreach (int disp in new[] { 0, 8, -8, 127, 128, -129, 4096 })
                {
                    Same(e => e.Load(r, b, disp));
                    Same(e => e.Store(b, disp, r));
                    Same(e => e.AddFromMemory(r, b, disp));
                    Same(e => e.SubFromMemory(r, b, disp));
                    Same(e => e.ImulFromMemory(r, b, disp));
                }
    }

    [Fact]
    public void Jumps_forward_and_backward_with_every_condition()
    {
        foreach (var condition in Enum.GetValues<JumpCondition>())
            Same(e =>
            {
                int back = e.CreateLabel(LabelKind.Loop), ahead = e.CreateLabel(LabelKind.Exit);
                e.Bind(back);
                e.Jcc(condition, ahead);
                e.Jmp(back);
                e.Ret();
                e.Bind(ahead);
                e.Jcc(condition, back);
            });
    }

    [Fact]
    public void Writing_past_the_reservation_is_refused_before_the_byte_is_written()
    {
        var buffer = new byte[8];
        fixed (byte* start = buffer)
        {
            var lean = new LeanEmitter(start, 4);
            lean.Ret();
            Assert.Contains("compiler bug", Assert.Throws<InvalidOperationException>(() => lean.MovImm32(Reg64.Rax, 1)).Message);
            Assert.Equal(1, lean.Position);
            Assert.Equal(new byte[7], buffer[1..]);
        }
    }
}
