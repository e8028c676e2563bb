using Iced.Intel;
using JitNotebooks.Exercises;

namespace JitNotebooks.Tests.Exercises;

public class Exercises03Tests
{
    [Fact]
    public void DisplacementWithOneFiller_accepts_4_which_is_the_articles_packed_lea()
    {
        // The article's packed program has one 0xcc after ret and lea 0x4(%rip): Iced decodes the
        // lea at 0x15 with displacement 4 and a target of 0x20, one byte past 0x1f.
        byte[] lea = [0x48, 0x8d, 0x35, 0x04, 0x00, 0x00, 0x00];
        var decoded = Iced.Intel.Decoder.Create(64, new ByteArrayCodeReader(lea), 0x15);
        decoded.Decode(out var instr);
        Assert.Equal(0x20UL, instr.IPRelativeMemoryAddress);
        Assert.True(Exercises03.DisplacementWithOneFiller(4).IsCorrect);
    }

    [Theory]
    [InlineData(0)]   // the untouched starting value (and the placeholder)
    [InlineData(3)]   // without the filler
    [InlineData(5)]
    [InlineData(0x20)] // the data's offset, not the displacement
    public void DisplacementWithOneFiller_rejects_wrong_answers(int answer) =>
        Assert.False(Exercises03.DisplacementWithOneFiller(answer).IsCorrect);

    [Fact]
    public void BackwardJmpDisplacement_accepts_minus_7_which_Iced_decodes_as_a_jump_to_0()
    {
        // syscall at 0, jmp at 2: E9 with rel32 -7 (f9 ff ff ff) lands on 0.
        byte[] code = [0x0f, 0x05, 0xe9, 0xf9, 0xff, 0xff, 0xff];
        var jmp = IcedHelpers.DecodeAll(code)[1];
        Assert.Equal(Mnemonic.Jmp, jmp.Mnemonic);
        Assert.Equal(0UL, jmp.NearBranchTarget);
        Assert.True(Exercises03.BackwardJmpDisplacement(-7).IsCorrect);
    }

    [Theory]
    [InlineData(0)]   // the untouched starting value
    [InlineData(-2)]  // measured from the start of the jmp
    [InlineData(7)]
    [InlineData(-5)]
    [InlineData(int.MinValue)]
    public void BackwardJmpDisplacement_rejects_wrong_answers(int answer) =>
        Assert.False(Exercises03.BackwardJmpDisplacement(answer).IsCorrect);
}
