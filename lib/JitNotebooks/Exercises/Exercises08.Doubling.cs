using Iced.Intel;
using JitNotebooks.Compiler;
using JitNotebooks.Verification;

namespace JitNotebooks.Exercises;

/// <summary>Exercise 08.3: change the code generator, so that <c>x * 2</c> doubles without <c>imul</c>.</summary>
public static partial class Exercises08
{
    /// <summary>Exercise 08.3's function: one parameter, which the compiler copies into r10, then doubles.</summary>
    public static ParsedFunction Doubling { get; } = Parser.Parse("x * 2", "x");

    /// <summary>
    /// The compiler 08.3 checks: the learner's bytes stand in for <c>imul $2,%r10,%r10</c>, and every
    /// other multiplication keeps its imul.
    /// </summary>
    public static X64Compiler WithDoubling(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        return new X64Compiler { MultiplyByConstant = (reg, factor) => reg == Reg64.R10 && factor == 2 ? bytes : null };
    }

    /// <summary>The inputs the new function runs on: small, negative, zero, beyond 32 bits, and one whose double wraps.</summary>
    public static IReadOnlyList<long> DoublingInputs { get; } = [21, -3, 0, 1L << 40, -(1L << 40) - 5, long.MaxValue];

    // The samples come from Iced, so the checks do not trust the library's encoders.
    private static byte[] Encode(Code code, Register op0, Register op1) => IcedBytes.Encode(Instruction.Create(code, op0, op1));

    private static readonly byte[] AddR10R10 = Encode(Code.Add_rm64_r64, Register.R10, Register.R10);

    /// <summary>The only instruction the bytes decode to, or null (several instructions, or bytes Iced cannot read).</summary>
    private static Instruction? Single(byte[]? code) =>
        code is not null && Exercises02.Decoded(code) is { Count: 1 } d ? d[0] : null;

    private static Register WrittenRegister(Instruction i) => i.Op0Kind == OpKind.Register ? i.Op0Register : Register.None;

    private static Judgement JudgeDoubling(byte[]? answer)
    {
        var bytes = answer!;
        if (bytes.Length > X64Compiler.MaxRuleBytes)
            return Judgement.Wrong($"that is {bytes.Length} bytes; one x86 instruction has at most 15, and doubling needs far fewer.");
        if (Exercises02.Decoded(bytes) is null)
            return Judgement.Wrong($"Iced cannot decode all of your bytes ({Answers.IcedReads(bytes)}). Check each byte of the instruction.");
        var program = WithDoubling(bytes).Generate(Doubling);
        foreach (long x in DoublingInputs)
        {
            long expected = unchecked(x * 2);
            var run = LearnerCode.Run(program.Bytes, x);
            if (run.Status != LearnerRunStatus.Returned)
                return Judgement.Wrong($"the compiled function did not return: {run.Detail}", "crashed");
            if (run.ReturnValue != expected)
                return Judgement.Wrong($"Iced reads your bytes as {Answers.IcedReads(bytes)}; for x = {x} the compiled function returned {run.ReturnValue}, not {expected}.");
        }
        int saved = ImulR10By2().Length - bytes.Length;
        return Judgement.Right($"Iced reads {Answers.IcedReads(bytes)} where the imul was; the compiled function doubled all {DoublingInputs.Count} inputs" +
                               (saved > 0 ? $", in {Answers.Plural(saved, "byte")} less." : "."));
    }

    private static byte[] ImulR10By2() => IcedBytes.Encode(Instruction.Create(Code.Imul_r64_rm64_imm8, Register.R10, Register.R10, 2));

    /// <summary>08.3: bytes that double r10 in place without imul, used by the compiler for <c>x * 2</c>.</summary>
    public static Exercise<byte[]?> DoubleWithoutImul { get; } = new(new ExerciseSpec<byte[]?>
    {
        Id = "08.3",
        Name = "Exercises08.DoubleWithoutImul",
        Title = "Double without imul",
        Prompt = "In `x * 2` the compiler copies `x` into `r10`, then multiplies: `imul $0x2,%r10` in the listing above, 4 bytes. Doubling needs no " +
                 "multiplier. Write the bytes of one instruction that doubles `r10` in place. The check hands them to the compiler's " +
                 "`MultiplyByConstant` rule, reads them with Iced, and runs the new `x * 2` on a few inputs, isolated, so a wrong byte " +
                 "cannot harm this notebook.",
        Starter = "byte[] doubleR10 = { /* one instruction that doubles r10 */ };",
        Arguments = "doubleR10",
        UntouchedValue = [],
        IsUntouched = Answers.IsEmpty,
        WhatToDo = "write the bytes of your instruction between the braces, then run the cell again.",
        Mistakes =
        [
            Answers.DecimalBytes([49, 0xd1, 0xe2]),
            new("still-imul", "kept a multiplication", ImulR10By2(),
                a => a is not null && Exercises02.Decoded(a) is { } d && d.Any(i => i.Mnemonic == Mnemonic.Imul),
                a => $"Iced reads {Answers.IcedReads(a!)}: that is still a multiplication, what the compiler emits already. " +
                     "Which instruction doubles a number without multiplying?"),
            new("32-bit-operation", "left REX.W out: a 32-bit operation", Encode(Code.Add_rm32_r32, Register.R10D, Register.R10D),
                a => Single(a) is { } i && WrittenRegister(i) == Register.R10D,
                a => $"Iced reads {Answers.IcedReads(a!)}: a 32-bit operation (bit 3 of the REX byte, REX.W, is 0). Writing a 32-bit " +
                     "register clears the upper half, so an x beyond 32 bits comes out wrong."),
            new("wrong-register", "changed another register than r10", Encode(Code.Add_rm64_r64, Register.RAX, Register.RAX),
                a => Single(a) is { } i && WrittenRegister(i) is var r && r != Register.None && r.GetSize() == 8 && r != Register.R10,
                a => $"Iced reads {Answers.IcedReads(a!)}, which changes {WrittenRegister(Single(a)!.Value).ToString().ToLowerInvariant()}; x waits " +
                     "in r10. REX.R and REX.B (bits 2 and 0 of the REX byte) extend ModRM's two register fields to r8–r15."),
        ],
        Judge = JudgeDoubling,
        Hints =
        [
            "Doubling a number is adding it to itself, or shifting it left by one bit.",
            "add %r10,%r10 is REX.W 01 /r with both ModRM fields naming r10; r10 needs REX.R and REX.B, and its low three bits are 010.",
        ],
        Explanation = "`add %r10,%r10` adds `r10` to itself. Its encoding is REX `4d` (0100, W = 1 for 64 bits, R = 1 and B = 1 because " +
                      "both operands are r8–r15), the opcode `01` (add r/m64, r64), and ModRM `d2` (mod 11: register; reg 010 and rm 010: " +
                      "r10 with REX's extra bit). Three bytes instead of four, and an add takes one cycle where imul takes three. " +
                      "`shl $1,%r10` (`49 d1 e2`) and `lea (%r10,%r10),%r10` (`4f 8d 14 12`) are right too.",
        Solution = AddR10R10,
        Declare = a => $"byte[] doubleR10 = {Literal.Bytes(a)};",
        WrongExample = IcedBytes.Encode(Instruction.Create(Code.Inc_rm64, Register.R10)),
    });
}
