using Iced.Intel;

namespace JitNotebooks.Emulation;

/// <summary>What one instruction does to the machine.</summary>
internal delegate void Semantics(Machine machine, in Instruction instruction);

/// <summary>
/// The course's instruction subset: which Iced mnemonics the emulator runs and with which
/// semantics, and the checks that refuse anything else by name (never a silent skip).
/// </summary>
internal static class InstructionTable
{
    public const string SubsetDescription =
        "mov, movabs, lea, add, sub, imul, neg, and, or, xor, cmp, test, idiv, shl, shr, sar, cqto/cltd/cwtd/cltq/cwtl/cbtw, " +
        "jmp, the 16 jcc, call, ret, push, pop, syscall, int3 and the nops";

    private static readonly Dictionary<Mnemonic, Semantics> ByMnemonic = Build();

    private static Dictionary<Mnemonic, Semantics> Build()
    {
        var table = new Dictionary<Mnemonic, Semantics>
        {
            [Mnemonic.Mov] = DataMovement.Mov,
            [Mnemonic.Lea] = DataMovement.Lea,
            [Mnemonic.Push] = DataMovement.Push,
            [Mnemonic.Pop] = DataMovement.Pop,
            [Mnemonic.Nop] = DataMovement.Nop,
            [Mnemonic.Pause] = DataMovement.Nop,
            [Mnemonic.Endbr64] = DataMovement.Nop,

            [Mnemonic.Add] = IntegerArithmetic.Binary((a, b) => a + b, FlagRule.Add, writesResult: true),
            [Mnemonic.Sub] = IntegerArithmetic.Binary((a, b) => a - b, FlagRule.Subtract, writesResult: true),
            [Mnemonic.Cmp] = IntegerArithmetic.Binary((a, b) => a - b, FlagRule.Subtract, writesResult: false),
            [Mnemonic.And] = IntegerArithmetic.Binary((a, b) => a & b, FlagRule.Logic, writesResult: true),
            [Mnemonic.Or] = IntegerArithmetic.Binary((a, b) => a | b, FlagRule.Logic, writesResult: true),
            [Mnemonic.Xor] = IntegerArithmetic.Binary((a, b) => a ^ b, FlagRule.Logic, writesResult: true),
            [Mnemonic.Test] = IntegerArithmetic.Binary((a, b) => a & b, FlagRule.Logic, writesResult: false),
            [Mnemonic.Neg] = IntegerArithmetic.Neg,
            [Mnemonic.Imul] = IntegerArithmetic.Imul,
            [Mnemonic.Idiv] = IntegerArithmetic.Idiv,
            [Mnemonic.Shl] = Shifts.Shl,
            [Mnemonic.Shr] = Shifts.Shr,
            [Mnemonic.Sar] = Shifts.Sar,

            [Mnemonic.Jmp] = ControlTransfer.Jmp,
            [Mnemonic.Call] = ControlTransfer.Call,
            [Mnemonic.Ret] = ControlTransfer.Ret,

            [Mnemonic.Syscall] = SystemInstructions.Syscall,
            [Mnemonic.Int3] = SystemInstructions.Int3,
        };
        foreach (var m in DataMovement.ExtensionMnemonics) table[m] = DataMovement.SignExtend;
        foreach (var m in new[]
                 {
                     Mnemonic.Jo, Mnemonic.Jno, Mnemonic.Jb, Mnemonic.Jae, Mnemonic.Je, Mnemonic.Jne, Mnemonic.Jbe, Mnemonic.Ja,
                     Mnemonic.Js, Mnemonic.Jns, Mnemonic.Jp, Mnemonic.Jnp, Mnemonic.Jl, Mnemonic.Jge, Mnemonic.Jle, Mnemonic.Jg,
                 })
            table[m] = ControlTransfer.Jcc;
        return table;
    }

    /// <summary>
    /// Mnemonics whose other forms are outside the subset: the 16-bit and far branches, 16-bit
    /// push/pop, pushes of segment registers. Only the forms listed here run.
    /// </summary>
    private static readonly Dictionary<Mnemonic, HashSet<Code>> OnlyForms = new()
    {
        [Mnemonic.Push] = [Code.Push_r64, Code.Push_rm64, Code.Pushq_imm8, Code.Pushq_imm32],
        [Mnemonic.Pop] = [Code.Pop_r64, Code.Pop_rm64],
        [Mnemonic.Call] = [Code.Call_rel32_64, Code.Call_rm64],
        [Mnemonic.Jmp] = [Code.Jmp_rel8_64, Code.Jmp_rel32_64, Code.Jmp_rm64],
        [Mnemonic.Ret] = [Code.Retnq, Code.Retnq_imm16],
    };

    public static Semantics Semantics(Mnemonic mnemonic) => ByMnemonic[mnemonic];

    /// <summary>Every mnemonic the emulator runs.</summary>
    public static IReadOnlyCollection<Mnemonic> Mnemonics => ByMnemonic.Keys;

    /// <summary>Throws <see cref="UnsupportedInstructionException"/> naming what is outside the subset.</summary>
    public static void Validate(in Instruction i)
    {
        if (!ByMnemonic.ContainsKey(i.Mnemonic))
            throw Unsupported(i, $"{i.Mnemonic.ToString().ToLowerInvariant()} is not one of the course's instructions");
        if (OnlyForms.TryGetValue(i.Mnemonic, out var forms) && !forms.Contains(i.Code))
            throw Unsupported(i, "only the 64-bit near form is modelled (not 16-bit, far or segment-register forms)");
        if (i.HasLockPrefix)
            throw Unsupported(i, "the lock prefix (an atomic access other threads can see) is not modelled");
        for (int op = 0; op < i.OpCount; op++)
        {
            switch (i.GetOpKind(op))
            {
                case OpKind.Register when !GeneralRegisters.IsGeneral(i.GetOpRegister(op)):
                    throw Unsupported(i, $"it uses {i.GetOpRegister(op).ToString().ToLowerInvariant()}; only the 16 general registers are modelled");
                case OpKind.Memory:
                    if (i.MemorySegment is Register.FS or Register.GS)
                        throw Unsupported(i, "fs/gs-relative memory (thread-local storage) is not modelled");
                    if (!IsAddressRegister(i.MemoryBase) || !IsAddressRegister(i.MemoryIndex) || i.MemorySize.GetSize() is not (1 or 2 or 4 or 8) && i.Mnemonic is not (Mnemonic.Lea or Mnemonic.Nop))
                        throw Unsupported(i, "this kind of memory operand is not modelled");
                    break;
                case OpKind.Register or OpKind.Memory or OpKind.NearBranch64:
                case OpKind.Immediate8 or OpKind.Immediate16 or OpKind.Immediate32 or OpKind.Immediate64:
                case OpKind.Immediate8to16 or OpKind.Immediate8to32 or OpKind.Immediate8to64 or OpKind.Immediate32to64:
                    break;
                default:
                    throw Unsupported(i, $"its operand kind {i.GetOpKind(op)} is not modelled");
            }
        }
    }

    private static bool IsAddressRegister(Register r) =>
        r == Register.None || r == Register.RIP || r == Register.EIP || GeneralRegisters.Size(r) is 4 or 8;

    private static UnsupportedInstructionException Unsupported(in Instruction i, string reason) =>
        new(AttText.Format(i), reason);
}
