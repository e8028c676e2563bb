using Iced.Intel;
using JitNotebooks.Exercises;

namespace JitNotebooks.Tests.Exercises;

public class Exercises07Tests
{
    // Counted by hand: loop: starts at 0x0c (xor 3 + test 3 + jle 6); body add 3 + add 3 + sub 4 = 10
    // bytes; the 6-byte jne ends at 0x1c; 0x0c - 0x1c = -16.
    [Fact]
    public void Displacement_accepts_the_worked_solution() =>
        Assert.True(Exercises07.BackwardJumpDisplacement(-16).IsCorrect);

    [Theory]
    [InlineData(0)]    // the untouched starting value
    [InlineData(-13)]  // the original SumTo's displacement
    [InlineData(16)]   // wrong sign
    [InlineData(int.MinValue)]
    public void Displacement_rejects_wrong_answers(int answer) =>
        Assert.False(Exercises07.BackwardJumpDisplacement(answer).IsCorrect);

    [Fact]
    public void Displacement_names_a_wrong_sign() =>
        Assert.Contains("sign", Exercises07.BackwardJumpDisplacement(16).Message);

    [Fact]
    public void The_doubled_variant_branches_back_to_its_loop_start_by_iced()
    {
        var code = Exercises07.DoubledSumTo().ToArray();
        var decoder = Iced.Intel.Decoder.Create(64, new ByteArrayCodeReader(code));
        var all = new List<Instruction>();
        while (decoder.IP < (ulong)code.Length) all.Add(decoder.Decode());
        var jne = all.Single(i => i.Mnemonic == Mnemonic.Jne);
        Assert.Equal(0x0cUL, jne.NearBranch64);
        Assert.Equal(Mnemonic.Add, all.Single(i => i.IP == 0x0c).Mnemonic);
    }

    public static TheoryData<byte[]> CorrectAdd3 => new()
    {
        new byte[] { 0x48, 0x89, 0xf8, 0x48, 0x01, 0xf0, 0x48, 0x01, 0xd0, 0xc3 }, // the worked solution
        new byte[] { 0x48, 0x89, 0xf8, 0x48, 0x01, 0xd0, 0x48, 0x01, 0xf0, 0xc3 }, // adds swapped
        new byte[] { 0x48, 0x8b, 0xc7, 0x48, 0x03, 0xc6, 0x48, 0x03, 0xc2, 0xc3 }, // the other ModRM direction
    };

    [Theory]
    [MemberData(nameof(CorrectAdd3))]
    public void Add3_accepts_correct_encodings(byte[] answer) => Assert.True(Exercises07.Add3(answer).IsCorrect, Exercises07.Add3(answer).Message);

    public static TheoryData<byte[]?> WrongAdd3 => new()
    {
        null,
        Array.Empty<byte>(),                                               // the untouched starting value
        new byte[] { 0x48, 0x89, 0xf8, 0x48, 0x01, 0xf0, 0xc3 },           // add(a, b): c forgotten
        new byte[] { 0x48, 0x89, 0xf8, 0x48, 0x01, 0xf0, 0x48, 0x01, 0xc8, 0xc3 }, // rcx: the 4th argument, not the 3rd
        new byte[] { 0x48, 0x89, 0xf8, 0x48, 0x01, 0xf0, 0x48, 0x01, 0xf0, 0xc3 }, // b twice
        new byte[] { 0x48, 0x89, 0xf8, 0x48, 0x01, 0xf0, 0x48, 0x01, 0xd0 },       // no ret
        new byte[] { 0x48, 0x89, 0xf8, 0x48, 0x29, 0xf0, 0x48, 0x01, 0xd0, 0xc3 }, // sub, not add
        new byte[] { 0x48, 0x01 },                                          // truncated
        new byte[] { 0x0f, 0x0b, 0x0f, 0x0b },                              // ud2: valid but wrong
    };

    [Theory]
    [MemberData(nameof(WrongAdd3))]
    public void Add3_rejects_wrong_answers_without_throwing(byte[]? answer) =>
        Assert.False(Exercises07.Add3(answer).IsCorrect);
}
