using Iced.Intel;

namespace JitNotebooks.Exercises;

/// <summary>Notebook 07's self-checking exercises: the backward jump's displacement, and add3's bytes.</summary>
public static class Exercises07
{
    /// <summary>
    /// Exercise 1: SumTo with one more <c>add %rdi,%rax</c> in the loop body (so it computes twice
    /// the sum). What rel32 does the backward <c>jne</c> get? The expected value is read from the
    /// variant's bytes by Iced, not taken from our own patch report.
    /// </summary>
    public static CheckResult BackwardJumpDisplacement(int answer) => Check.Safely(() =>
    {
        int expected = DecodedJneDisplacement(DoubledSumTo().ToArray());
        if (answer == expected)
            return CheckResult.Correct($"the jne's rel32 is {expected} (0x{unchecked((uint)expected):x8}): the loop start minus the end of the jne.");
        if (answer == -expected)
            return CheckResult.NotYet("right size, wrong sign: the jump goes back to an earlier offset, so the displacement is negative.");
        return CheckResult.NotYet(
            "the displacement is (offset of loop:) − (offset of the instruction after the jne). Add the extra add's 3 bytes to the loop body, then count.");
    });

    /// <summary>
    /// Exercise 2: the bytes of <c>long add3(long a, long b, long c)</c>. Accepted: a <c>mov</c> of one
    /// argument register into rax, two <c>add</c>s of the other two, then <c>ret</c> (any order, either
    /// ModRM direction). Checked by decoding with Iced; the bytes are never run.
    /// </summary>
    public static CheckResult Add3(byte[]? answer) => Check.Safely(() =>
    {
        if (answer is null || answer.Length == 0)
            return CheckResult.NotYet("no bytes yet. Start from add's bytes (48 89 f8 48 01 f0 c3) and add the third argument's register, rdx.");
        var decoded = Decode(answer);
        if (decoded.Any(i => i.IsInvalid))
            return CheckResult.NotYet($"Iced cannot decode these bytes ({Check.Hex(answer)}): check each REX/opcode/ModRM triple.");
        string text = string.Join("; ", decoded.Select(Format));
        if (decoded.Count != 4)
            return CheckResult.NotYet($"expected 4 instructions (mov, add, add, ret), Iced decodes {decoded.Count}: {text}.");
        var (mov, add1, add2, ret) = (decoded[0], decoded[1], decoded[2], decoded[3]);
        bool shapeOk = mov.Mnemonic == Mnemonic.Mov && add1.Mnemonic == Mnemonic.Add && add2.Mnemonic == Mnemonic.Add
                       && ret.Mnemonic == Mnemonic.Ret && new[] { mov, add1, add2 }.All(IsRaxFromRegister);
        if (!shapeOk)
            return CheckResult.NotYet($"Iced reads: {text}. Expected mov into rax, two adds into rax (register operands), ret.");
        var sources = new[] { mov.Op1Register, add1.Op1Register, add2.Op1Register }.OrderBy(r => r).ToArray();
        var arguments = new[] { Register.RDI, Register.RSI, Register.RDX }.OrderBy(r => r).ToArray();
        if (!sources.SequenceEqual(arguments))
            return CheckResult.NotYet($"Iced reads: {text}. a, b and c arrive in rdi, rsi and rdx: each must be used exactly once.");
        return CheckResult.Correct($"Iced reads: {text}.");
    });

    /// <summary>SumTo with the loop body's add doubled: the variant of exercise 1.</summary>
    internal static CodeBuilder DoubledSumTo() => SampleFunctions.SumTo(addsPerIteration: 2);

    /// <summary>The rel32 of the first jne, as Iced decodes it: target − next instruction.</summary>
    internal static int DecodedJneDisplacement(byte[] code)
    {
        var jne = Decode(code).First(i => i.Mnemonic == Mnemonic.Jne);
        return checked((int)((long)jne.NearBranch64 - (long)jne.NextIP));
    }

    private static bool IsRaxFromRegister(Instruction i) =>
        i.OpCount == 2 && i.Op0Kind == OpKind.Register && i.Op1Kind == OpKind.Register && i.Op0Register == Register.RAX;

    private static List<Instruction> Decode(byte[] code)
    {
        var decoder = Iced.Intel.Decoder.Create(64, new ByteArrayCodeReader(code));
        var list = new List<Instruction>();
        while (decoder.IP < (ulong)code.Length) list.Add(decoder.Decode());
        return list;
    }

    private static string Format(Instruction i)
    {
        var output = new StringOutput();
        new GasFormatter().Format(i, output);
        return output.ToStringAndReset();
    }
}
