using Iced.Intel;
using JitNotebooks.Verification;

namespace JitNotebooks.Exercises;

/// <summary>Notebook 02's exercises: encoding <c>mov $imm32,%r64</c> by hand, and a first function of your own.</summary>
public static class Exercises02
{
    // The expected bytes come from Iced, not from MovImm32, so the checks do not trust the library.
    private static byte[] Mov7(Register reg, int value) => IcedBytes.Encode(Instruction.Create(Code.Mov_rm64_imm32, reg, value));
    private static byte[] Mov5(Register reg32, int value) => IcedBytes.Encode(Instruction.Create(Code.Mov_r32_imm32, reg32, value));
    private static byte[] Mov10(Register reg, long value) => IcedBytes.Encode(Instruction.Create(Code.Mov_r64_imm64, reg, value));

    private const int Sixty = 60;
    private static readonly byte[] MovRax60Bytes = Mov7(Register.RAX, Sixty);
    private static readonly byte[] MovR9MinusOneBytes = Mov7(Register.R9, -1);

    /// <summary>Which field of a 7-byte <c>REX.W C7 ModRM imm32</c> a byte index falls in.</summary>
    private static string FieldAt(int index) => index switch
    {
        0 => "REX prefix (byte 1)",
        1 => "opcode (byte 2)",
        2 => "ModRM (byte 3)",
        _ => "immediate (bytes 4 to 7)",
    };

    /// <summary>The general nudge for a 7-byte mov: Iced's reading, and the first field that differs.</summary>
    private static Judgement SevenBytes(byte[]? answer, byte[] expected, string praise)
    {
        var a = answer!;
        if (a.SequenceEqual(expected)) return Judgement.Right(praise);
        if (a.Length != expected.Length)
            return Judgement.Wrong($"{Answers.Plural(a.Length, "byte")}; the article's form always has {expected.Length}: REX, opcode, ModRM and a four-byte immediate.");
        int first = Enumerable.Range(0, a.Length).First(i => a[i] != expected[i]);
        return Judgement.Wrong($"Iced reads your bytes as {Answers.IcedReads(a)}. Look again at the {FieldAt(first)}.");
    }

    private static bool SameStart(byte[]? a, byte[] expected, int count) =>
        a is not null && a.Length >= count && a.AsSpan(0, count).SequenceEqual(expected.AsSpan(0, count));

    /// <summary>02.1: the seven bytes of <c>mov $60,%rax</c> (exit's syscall number).</summary>
    public static Exercise<byte[]?> MovRax60 { get; } = new(new ExerciseSpec<byte[]?>
    {
        Id = "02.1",
        Name = "Exercises02.MovRax60",
        Title = "mov $60,%rax in the article's seven-byte form",
        Prompt = "Encode `mov $60,%rax` in the article's 7-byte form: the syscall number of `exit`. Type the bytes as `0x..` values.",
        Starter = "byte[] movRax60 = { /* your bytes */ };",
        Arguments = "movRax60",
        UntouchedValue = [],
        IsUntouched = Answers.IsEmpty,
        WhatToDo = "type the seven bytes of mov $60,%rax between the braces, as 0x.. values separated by commas, then run the cell again.",
        Mistakes =
        [
            new("sixty-as-0x60", "typed 60 as 0x60", Mov7(Register.RAX, 0x60), a => a!.SequenceEqual(Mov7(Register.RAX, 0x60)),
                "your immediate is 0x60, which is 96. The 60 we want is decimal: convert it to hexadecimal first."),
            new("unchanged-value", "kept the value of mov $0x1,%rax", Mov7(Register.RAX, 1), a => a!.SequenceEqual(Mov7(Register.RAX, 1)),
                "these are still the bytes of mov $0x1,%rax: REX, opcode and ModRM are right, but the value has not changed."),
            new("byte-order-reversed", "wrote the immediate most significant byte first", [.. MovRax60Bytes[..3], .. Enumerable.Reverse(MovRax60Bytes[3..])],
                a => a!.Length == 7 && SameStart(a, MovRax60Bytes, 3) && Enumerable.Reverse(a[3..]).SequenceEqual(MovRax60Bytes[3..]) && !a.SequenceEqual(MovRax60Bytes),
                "the immediate's bytes are in reading order, most significant first. x86 stores numbers little-endian: least significant byte first."),
            new("short-immediate", "left out the immediate's zero bytes", MovRax60Bytes[..4],
                a => a!.Length is >= 4 and < 7 && SameStart(a, MovRax60Bytes, 3),
                a => $"only {Answers.Plural(a!.Length, "byte")}: the immediate of this form is always four bytes, zeros included."),
            new("five-byte-form", "wrote the 5-byte mov $60,%eax instead", Mov5(Register.EAX, Sixty), a => a!.SequenceEqual(Mov5(Register.EAX, Sixty)),
                "that is the 5-byte form, mov $60,%eax. It would work too, but this exercise asks for the article's form with REX.W and C7."),
            Answers.DecimalBytes([48, 0xc7, 0xc0, 0x3c, 00, 00, 00]),
        ],
        Judge = a => SevenBytes(a, MovRax60Bytes,
            $"{Hex.Of(MovRax60Bytes)}: REX.W, C7, ModRM for rax, then 60 = 0x3c little-endian. Iced reads {Answers.IcedReads(MovRax60Bytes)}."),
        Hints =
        [
            "Start from mov $0x1,%rax (48 c7 c0 01 00 00 00): only one field depends on the value.",
            "Convert 60 to hexadecimal, then write it as four bytes, least significant byte first.",
        ],
        Explanation = "Same REX, opcode and ModRM as `mov $0x1,%rax`; only the immediate changes. 60 = `0x3c`, little-endian `3c 00 00 00`.",
        Solution = MovRax60Bytes,
        Declare = a => $"byte[] movRax60 = {Literal.Bytes(a)};",
        WrongExample = [0x48, 0xc7, 0xc0, 0x3c, 0x00, 0x01, 0x00],
    });

    /// <summary>02.2: the seven bytes of <c>mov $-1,%r9</c>: an extended register and a negative immediate.</summary>
    public static Exercise<byte[]?> MovR9MinusOne { get; } = new(new ExerciseSpec<byte[]?>
    {
        Id = "02.2",
        Name = "Exercises02.MovR9MinusOne",
        Title = "mov $-1,%r9: an extended register, a negative value",
        Prompt = "Encode `mov $-1,%r9` in the same 7-byte form. Two new things: `r9` is one of the extended registers, and the value is negative.",
        Starter = "byte[] movR9 = { /* your bytes */ };",
        Arguments = "movR9",
        UntouchedValue = [],
        IsUntouched = Answers.IsEmpty,
        WhatToDo = "type the seven bytes of mov $-1,%r9 between the braces, as 0x.. values, then run the cell again.",
        Mistakes =
        [
            new("rex-b-missing", "left out REX.B, so rm names rcx", [0x48, .. MovR9MinusOneBytes[1..]],
                a => a!.Length == 7 && a[0] == 0x48 && a[1..].SequenceEqual(MovR9MinusOneBytes[1..]),
                a => $"Iced reads {Answers.IcedReads(a!)}: ModRM.rm holds only three bits of r9's number, and without the REX prefix's help they name another register."),
            new("rex-r-instead-of-b", "set REX.R instead of REX.B", [0x4c, .. MovR9MinusOneBytes[1..]],
                a => a!.Length == 7 && a[0] == 0x4c && a[1..].SequenceEqual(MovR9MinusOneBytes[1..]),
                "REX.R extends ModRM.reg, which here holds C7's opcode extension /0, not a register. r9 sits in ModRM.rm: which REX bit extends rm?"),
            new("whole-number-in-modrm", "added all of 9 to ModRM (0xc9)", [MovR9MinusOneBytes[0], 0xc7, 0xc9, .. MovR9MinusOneBytes[3..]],
                a => a!.Length == 7 && a[2] == 0xc9,
                "ModRM 0xc9 is 11 001 001: the extra 1 spills into the reg field, which must stay 000 (the /0 of C7). Only three bits of r9's number fit in rm."),
            new("sign-magnitude", "wrote -1 as sign and magnitude (01 00 00 80)", [.. MovR9MinusOneBytes[..3], 0x01, 0x00, 0x00, 0x80],
                a => a!.Length == 7 && a[3..].SequenceEqual(new byte[] { 0x01, 0x00, 0x00, 0x80 }),
                "that is -1 as a sign bit plus the magnitude 1, which the CPU reads as -2147483647. x86 uses two's complement for negative numbers."),
            new("plus-one", "wrote +1", [.. MovR9MinusOneBytes[..3], 0x01, 0x00, 0x00, 0x00],
                a => a!.Length == 7 && a[3..].SequenceEqual(new byte[] { 0x01, 0x00, 0x00, 0x00 }),
                "that immediate is +1. How is -1 written in 32-bit two's complement?"),
            new("eight-byte-immediate", "wrote an 8-byte immediate", [.. MovR9MinusOneBytes, 0xff, 0xff, 0xff, 0xff],
                a => a!.Length == 11 && a[..7].SequenceEqual(MovR9MinusOneBytes),
                "C7's immediate is four bytes even for a 64-bit register: the CPU sign-extends it, so four bytes of ff already fill r9 with ones."),
            Answers.DecimalBytes([49, 0xc7, 0xc1, 0xff, 0xff, 0xff, 0xff]),
        ],
        Judge = a => SevenBytes(a, MovR9MinusOneBytes,
            $"{Hex.Of(MovR9MinusOneBytes)}: REX.W + REX.B (r9's top bit), C7, ModRM rm = 001 (r9's low bits), and -1 as ff ff ff ff."),
        Hints =
        [
            "r9 is register number 9, which takes four bits; ModRM.rm has room for three.",
            "The low three bits go into ModRM.rm, the top bit into the REX prefix's B bit. And -1 in 32-bit two's complement is all ones.",
        ],
        Explanation = "- `r9` is register 9 = `1001`. The low three bits `001` go into ModRM.rm → ModRM = `11 000 001` = `0xc1`.\n" +
                      "- The high bit goes into REX.B → REX = `0100 1001` = `0x49`.\n" +
                      "- −1 in 32-bit two's complement is `0xffffffff` → `ff ff ff ff`; sign extension makes `r9` all ones.",
        Solution = MovR9MinusOneBytes,
        Declare = a => $"byte[] movR9 = {Literal.Bytes(a)};",
        WrongExample = [0x49, 0xc7, 0xc1, 0xfe, 0xff, 0xff, 0xff],
    });

    private static int Seven => Mov7(Register.RAX, 1).Length;
    private static int Five => Mov5(Register.EAX, 1).Length;
    private static int Ten => Mov10(Register.RAX, 1).Length;
    private static int Saved => Seven - Five;
    private static int MovsInTheProgram => HelloWorldProgram.Unpacked().Roles.Count(r => r.Role == ByteRole.Opcode && r.Owner.StartsWith("mov", StringComparison.Ordinal));

    /// <summary>02.3: how many bytes the 5-byte form saves on one <c>mov</c>.</summary>
    public static Exercise<int?> BytesSavedPerMov { get; } = new(new ExerciseSpec<int?>
    {
        Id = "02.3",
        Name = "Exercises02.BytesSavedPerMov",
        Title = "Bytes saved per mov by the 5-byte form",
        Prompt = "How many bytes does the 5-byte form save on *one* `mov`, compared with the article's form?",
        Starter = "int? saved = null; // your answer, a number of bytes",
        Arguments = "saved",
        UntouchedValue = null,
        IsUntouched = a => a is null,
        WhatToDo = "replace null with the number of bytes saved on one mov, then run the cell again.",
        Mistakes =
        [
            new("whole-program-saving", "gave the saving over the whole program instead of per mov", MovsInTheProgram * Saved,
                a => a == MovsInTheProgram * Saved,
                "that is what the program's three movs save together. The question asks about one mov."),
            new("short-form-length", "gave the length of the short form", Five, a => a == Five,
                "that is the length of the short form itself, not what it saves."),
            new("long-form-length", "gave the length of the article's form", Seven, a => a == Seven,
                "that is the length of the article's form, not the saving."),
            new("compared-with-movabs", "compared the article's form with movabs", Ten - Seven, a => a == Ten - Seven,
                "that is what the article's form saves against the 10-byte movabs. Compare the short form with the article's form."),
            new("negative", "gave the saving as a negative number", -Saved, a => a < 0,
                "the short form is the smaller one, so the saving is a positive number."),
        ],
        Judge = a => a == Saved
            ? Judgement.Right($"{Seven} - {Five} = {Saved} bytes per mov: the short form has no REX prefix and no ModRM byte.")
            : Judgement.Wrong($"{a} is not it. Count the bytes of each form."),
        Hints =
        [
            "Count the bytes of mov $0x1,%rax (article form) and of mov $0x1,%eax (short form).",
            "The short form has neither the REX prefix nor the ModRM byte: the register is in the opcode.",
        ],
        Explanation = "**2** bytes: the 5-byte form drops the REX prefix (no 64-bit operand needed, thanks to zero extension) and the " +
                      "ModRM byte (the register is in the opcode). Three movs save 6, which is why the code shrinks from 31 to 25 bytes.",
        Solution = Saved,
        Declare = a => $"int? saved = {Literal.Number(a)};",
        WrongExample = 4,
    });

    // ---- 02.4: return 42 --------------------------------------------------------------------------

    private const int FortyTwo = 42;
    private static readonly byte[] Return42Bytes = [.. Mov7(Register.RAX, FortyTwo), .. IcedBytes.Encode(Instruction.Create(Code.Retnq))];

    /// <summary>A <c>mov</c> of an immediate into a register (any of its three encodings): the register and the value.</summary>
    private static bool IsMovImmediate(Instruction i, out Register register, out long value)
    {
        register = i.Op0Register;
        value = 0;
        if (i.Mnemonic != Mnemonic.Mov || i.OpCount != 2 || i.Op0Kind != OpKind.Register) return false;
        if (i.Op1Kind is not (OpKind.Immediate32 or OpKind.Immediate32to64 or OpKind.Immediate64)) return false;
        value = (long)i.GetImmediate(1);
        return true;
    }

    private static bool IsRax(Register r) => r is Register.RAX or Register.EAX;

    private static bool IsPlainRet(Instruction i) => i.Code == Code.Retnq;

    /// <summary>Iced's instructions, or null when some bytes do not decode.</summary>
    internal static IReadOnlyList<Instruction>? Decoded(byte[] code)
    {
        var all = IcedBytes.Decode(code);
        return all.Any(i => i.IsInvalid) || Listing.Disassemble(code).Lines.Any(l => l.Kind == ListingLineKind.Invalid) ? null : all;
    }

    /// <summary>mov $value,(some register); ret — nothing else.</summary>
    private static bool MovThenRet(byte[]? code, Func<Register, long, bool> movMatches) =>
        code is not null && Decoded(code) is { Count: 2 } d && IsMovImmediate(d[0], out var r, out long v) && movMatches(r, v) && IsPlainRet(d[1]);

    /// <summary>
    /// The shape a "return 42" function may have: one <c>mov</c> of 42 into rax (or eax: the upper half
    /// is zeroed), then <c>ret</c>. Only this shape is ever run, so a wrong byte cannot crash the kernel.
    /// </summary>
    internal static bool IsReturn42(byte[]? code) => MovThenRet(code, (r, v) => IsRax(r) && v == FortyTwo);

    /// <summary>The mistakes of a "return 42" function, shared by 02.4 (read by Iced) and 06.2 (run).</summary>
    internal static IReadOnlyList<Mistake<byte[]?>> Return42Mistakes { get; } =
    [
        new("calls-syscall", "used syscall (for instance to call exit)", [.. Mov7(Register.RAX, Sixty), 0x0f, 0x05],
            a => a is not null && Decoded(a) is { } d && d.Any(i => i.Mnemonic is Mnemonic.Syscall or Mnemonic.Int or Mnemonic.Sysenter),
            "your bytes contain a system call. A function that returns a value needs none, and exit would end the whole notebook kernel, not just your function."),
        Answers.DecimalBytes([48, 0xc7, 0xc0, 0x2a, 00, 00, 00, 0xc3]),
        new("no-ret", "left out the return", Mov7(Register.RAX, FortyTwo),
            a => a is not null && Decoded(a) is { Count: 1 } d && IsMovImmediate(d[0], out var r, out long v) && IsRax(r) && v == FortyTwo,
            "the value is in place, but nothing hands control back to the caller: the CPU would run whatever bytes follow the mov."),
        new("ret-first", "put the return before the mov", [0xc3, .. Mov7(Register.RAX, FortyTwo)],
            a => a is not null && Decoded(a) is { Count: > 1 } d && IsPlainRet(d[0]),
            "your function returns before anything else runs: the first instruction is the return."),
        new("forty-two-as-0x42", "typed 42 as 0x42", [.. Mov7(Register.RAX, 0x42), 0xc3],
            a => MovThenRet(a, (r, v) => IsRax(r) && v == 0x42),
            "your value is 0x42, which is 66. The 42 we want is decimal: convert it to hexadecimal first."),
        new("byte-order-reversed", "wrote the immediate most significant byte first", [.. Mov7(Register.RAX, FortyTwo << 24), 0xc3],
            a => MovThenRet(a, (r, v) => IsRax(r) && v == FortyTwo << 24),
            "the immediate's bytes are in reading order; x86 stores numbers least significant byte first."),
        new("wrong-register", "put 42 in a register other than rax", [.. Mov7(Register.RDI, FortyTwo), 0xc3],
            a => MovThenRet(a, (r, v) => !IsRax(r) && v == FortyTwo),
            a => $"Iced reads {Answers.IcedReads(a!)}. The caller reads a function's result from rax."),
    ];

    /// <summary>The general nudge for a "return 42" attempt that is none of the known mistakes.</summary>
    internal static string Return42Nudge(byte[] code) =>
        Decoded(code) is null
            ? $"Iced cannot decode all of your bytes ({Answers.IcedReads(code)}). Check each instruction's bytes."
            : $"Iced reads your bytes as {Answers.IcedReads(code)}. A function returning 42 leaves 42 in rax and then returns.";

    /// <summary>02.4: the bytes of a function that returns 42. Checked by Iced here; notebook 06 runs them.</summary>
    public static Exercise<byte[]?> Return42 { get; } = new(new ExerciseSpec<byte[]?>
    {
        Id = "02.4",
        Name = "Exercises02.Return42",
        Title = "Your first function: return 42",
        Prompt = "A function returns its result in `rax`. Write the bytes of a function `long f()` that returns 42: a `mov` like " +
                 "the ones above, then the one-byte `ret`. Keep your bytes: in notebook 06 you will run them.",
        Starter = "byte[] return42 = { /* your bytes */ };",
        Arguments = "return42",
        UntouchedValue = [],
        IsUntouched = Answers.IsEmpty,
        WhatToDo = "type the bytes of your function between the braces, as 0x.. values, then run the cell again.",
        Mistakes = Return42Mistakes,
        Judge = a => IsReturn42(a)
            ? Judgement.Right($"Iced reads {Answers.IcedReads(a!)}: 42 in rax, then back to the caller. Save these bytes for notebook 06.")
            : Judgement.Wrong(Return42Nudge(a!)),
        Hints =
        [
            "Two instructions: the mov you built above, with another value, then ret.",
            "42 in hexadecimal is 2 × 16 + 10; ret is the single byte c3.",
        ],
        Explanation = "`mov $42,%rax` in the article's form is REX.W `48`, `c7`, ModRM `c0` (rax), then 42 = `0x2a` as four little-endian " +
                      "bytes; `ret` is `c3`. (The 5-byte `b8 2a 00 00 00` + `c3` is right too: writing `eax` zeroes the upper half of `rax`.)",
        Solution = Return42Bytes,
        Declare = a => $"byte[] return42 = {Literal.Bytes(a)};",
        WrongExample = [0x48, 0xc7, 0xc0, 0x2b, 0x00, 0x00, 0x00, 0xc3],
    });
}
