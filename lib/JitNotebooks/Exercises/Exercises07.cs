using Iced.Intel;
using JitNotebooks.Verification;

namespace JitNotebooks.Exercises;

/// <summary>Notebook 07's exercises: the backward jump's displacement, and add3's bytes.</summary>
public static class Exercises07
{
    /// <summary>SumTo with the loop body's add doubled: the variant of exercise 07.1.</summary>
    internal static CodeBuilder DoubledSumTo() => SampleFunctions.SumTo(addsPerIteration: 2);

    /// <summary>The first jne of the code as Iced decodes it: where it starts, how long it is, its rel32.</summary>
    internal static (int Start, int Length, int Displacement) DecodedJne(byte[] code)
    {
        var jne = IcedBytes.Decode(code).First(i => i.Mnemonic == Mnemonic.Jne);
        return ((int)jne.IP, jne.Length, checked((int)((long)jne.NearBranch64 - (long)jne.NextIP)));
    }

    /// <summary>The rel32 of the first jne, as Iced decodes it: target − next instruction.</summary>
    internal static int DecodedJneDisplacement(byte[] code) => DecodedJne(code).Displacement;

    // Read from the variant's bytes by Iced, not from our own patch report.
    private static readonly (int Start, int Length, int Displacement) Doubled = DecodedJne(DoubledSumTo().ToArray());
    private static readonly int Single = DecodedJneDisplacement(SampleFunctions.SumTo().ToArray());
    private static int LoopStart => Doubled.Start + Doubled.Length + Doubled.Displacement;

    /// <summary>07.1: SumTo with one more <c>add %rdi,%rax</c> in the loop: what rel32 does the backward jne get?</summary>
    public static Exercise<int?> BackwardJumpDisplacement { get; } = new(new ExerciseSpec<int?>
    {
        Id = "07.1",
        Name = "Exercises07.BackwardJumpDisplacement",
        Title = "Predict the backward jump's displacement",
        Prompt = "Suppose the loop body of `sum_to` held *two* `add %rdi,%rax` instructions (computing twice the sum). Everything " +
                 "else stays the same. What 32-bit displacement does `Patch()` write into the backward `jne`? (A signed decimal number.)",
        Starter = "int? displacement = null; // your answer, e.g. -20",
        Arguments = "displacement",
        UntouchedValue = null,
        IsUntouched = a => a is null,
        WhatToDo = "replace null with the displacement, a signed decimal number, then run the cell again.",
        Mistakes =
        [
            new("sign-reversed", "gave the right size with the wrong sign", -Doubled.Displacement, a => a == -Doubled.Displacement,
                "right size, wrong sign: the jump goes back to an earlier offset, so the displacement is negative."),
            new("unchanged-value", "gave the displacement of the loop with one add", Single, a => a == Single,
                "that is the displacement of the original loop, with one add. The body has grown."),
            new("from-jne-start", "measured from the start of the jne", LoopStart - Doubled.Start, a => a == LoopStart - Doubled.Start,
                "that measures from the start of the jne; the CPU measures from the instruction after it."),
            new("from-the-field", "measured from the rel32 field", LoopStart - (Doubled.Start + Doubled.Length - 4),
                a => a == LoopStart - (Doubled.Start + Doubled.Length - 4),
                "that measures from the four rel32 bytes; the CPU measures from the end of the jne."),
        ],
        Judge = a => a == Doubled.Displacement
            ? Judgement.Right($"the jne's rel32 is {Doubled.Displacement} (0x{unchecked((uint)Doubled.Displacement):x8}): loop: at 0x{LoopStart:x} minus the end of the jne at 0x{Doubled.Start + Doubled.Length:x}.")
            : Judgement.Wrong($"{a} is not it. Where does the jne end now that the body is longer?"),
        Hints =
        [
            "The loop: label does not move; the jne moves further by the length of the extra add.",
            "displacement = offset of loop: − offset of the instruction after the jne. add %rdi,%rax is 3 bytes.",
        ],
        Explanation = "`xor` (3 bytes) + `test` (3) + `jle` (6) put `loop:` at `0x0c`. The body is now `add` (3) + `add` (3) + `sub $1` (4) " +
                      "= 10 bytes, so the 6-byte `jne` runs from `0x16` to `0x1c`. The displacement counts from the end of the `jne`: " +
                      "`0x0c − 0x1c` = **−16** (bytes `f0 ff ff ff`).",
        Solution = Doubled.Displacement,
        Declare = a => $"int? displacement = {Literal.Number(a)};",
        WrongExample = -19,
    });

    private static readonly byte[] AddBytes = SampleFunctions.Add().ToArray();
    private static readonly Register[] ArgumentRegisters = [Register.RDI, Register.RSI, Register.RDX];

    private static IReadOnlyList<Instruction>? Decoded(byte[]? code) =>
        code is null || Listing.Disassemble(code).Lines.Any(l => l.Kind == ListingLineKind.Invalid) ? null : IcedBytes.Decode(code);

    private static bool RegisterToRegister(Instruction i) => i.OpCount == 2 && i.Op0Kind == OpKind.Register && i.Op1Kind == OpKind.Register;

    /// <summary>The body: a mov and two adds, all register to register.</summary>
    private static IReadOnlyList<Instruction> Body(IReadOnlyList<Instruction> d) => d.Where(i => i.Mnemonic != Mnemonic.Ret).ToList();

    private static readonly byte[] Add3Bytes = [.. AddBytes[..^1], .. IcedBytes.Encode(Instruction.Create(Code.Add_rm64_r64, Register.RAX, Register.RDX)), .. AddBytes[^1..]];

    /// <summary>07.2: the bytes of <c>long add3(long a, long b, long c)</c>, checked by Iced (never run).</summary>
    public static Exercise<byte[]?> Add3 { get; } = new(new ExerciseSpec<byte[]?>
    {
        Id = "07.2",
        Name = "Exercises07.Add3",
        Title = "Write add3(a, b, c)",
        Prompt = "Give the bytes of a function returning `a + b + c`. The third argument arrives in `rdx`. Start from `add`'s bytes. " +
                 "The check decodes your bytes with Iced (it never runs them). Accepted: a `mov` of one argument into `rax`, two `add`s " +
                 "of the other two, then `ret`, in any order.",
        Starter = "byte[] add3 = { /* your bytes */ };",
        Arguments = "add3",
        UntouchedValue = [],
        IsUntouched = Answers.IsEmpty,
        WhatToDo = "type the bytes of add3 between the braces, as 0x.. values, then run the cell again.",
        Mistakes =
        [
            Answers.DecimalBytes([48, 89, 0xf8, 48, 01, 0xf0, 48, 01, 0xd0, 0xc3]),
            new("add-unchanged", "gave add's bytes, which ignore c", AddBytes, a => a!.SequenceEqual(AddBytes),
                "these are add's bytes: they compute a + b and ignore the third argument."),
            new("no-ret", "left out the ret", Add3Bytes[..^1],
                a => Decoded(a) is { Count: > 0 } d && d.All(RegisterToRegister),
                "nothing returns: after the last add the CPU would run whatever bytes follow."),
            new("fourth-argument-register", "took c from rcx, the fourth argument", [.. AddBytes[..^1], 0x48, 0x01, 0xc8, 0xc3],
                a => Decoded(a) is { } d && Body(d).Any(i => RegisterToRegister(i) && i.Op1Register == Register.RCX),
                "rcx carries the fourth argument of a System V call. The third arrives in rdx."),
            new("into-another-register", "swapped ModRM's reg and rm, adding into the wrong register", [.. AddBytes[..^1], 0x48, 0x01, 0xc2, 0xc3],
                a => Decoded(a) is { } d && Body(d).Any(i => i.Mnemonic == Mnemonic.Add && RegisterToRegister(i) && i.Op0Register != Register.RAX),
                a => $"Iced reads {Answers.IcedReads(a!)}: one add puts its result in another register. In 01 /r the destination is ModRM.rm, the source ModRM.reg."),
        ],
        Judge = a =>
        {
            var d = Decoded(a);
            if (d is null) return Judgement.Wrong($"Iced cannot decode all of these bytes ({Answers.IcedReads(a!)}): check each REX, opcode and ModRM.");
            string text = Answers.IcedReads(a!);
            if (d.Count != 4)
                return Judgement.Wrong($"Iced reads {Answers.Plural(d.Count, "instruction")}: {text}. add3 needs a mov, two adds and ret.");
            bool shape = d[0].Mnemonic == Mnemonic.Mov && d[1].Mnemonic == Mnemonic.Add && d[2].Mnemonic == Mnemonic.Add && d[3].Code == Code.Retnq
                         && d.Take(3).All(i => RegisterToRegister(i) && i.Op0Register == Register.RAX);
            if (!shape)
                return Judgement.Wrong($"Iced reads {text}. add3 needs a mov into rax, two adds into rax (register operands), then ret.");
            var sources = d.Take(3).Select(i => i.Op1Register).Order().ToArray();
            if (!sources.SequenceEqual(ArgumentRegisters.Order()))
                return Judgement.Wrong($"Iced reads {text}. a, b and c arrive in rdi, rsi and rdx: each must be used exactly once.");
            return Judgement.Right($"Iced reads {text}.");
        },
        Hints =
        [
            "add3 is add with one more add before the ret.",
            "add %rdx,%rax has the same shape as add %rsi,%rax; only ModRM's reg field changes (rdx is register 2).",
        ],
        Explanation = "`add %rdx,%rax` is `48 01 d0`: ModRM `11 010 000` = `0xd0` (mod 11 = register, reg = rdx = 2, rm = rax = 0). " +
                      "Inserted before `ret`:\n\n`mov %rdi,%rax` (`48 89 f8`), `add %rsi,%rax` (`48 01 f0`), `add %rdx,%rax` (`48 01 d0`), `ret` (`c3`). " +
                      "Try it: `arena.Add(add3).Call(1, 2, 3)` gives 6.",
        Solution = Add3Bytes,
        Declare = a => $"byte[] add3 = {Literal.Bytes(a)};",
        WrongExample = [0x48, 0x89, 0xf8, 0x48, 0x01, 0xf0, 0x48, 0x01, 0xf8, 0xc3],
    });
}
