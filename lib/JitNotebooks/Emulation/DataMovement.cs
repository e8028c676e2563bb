using Iced.Intel;

namespace JitNotebooks.Emulation;

/// <summary>mov (every form), lea, push, pop, the sign-extension family (cqto, cltd, …) and the nops.</summary>
internal static class DataMovement
{
    /// <summary>
    /// <c>mov</c>: copy the source into the destination. The size rules of <see cref="Machine.WriteRegister"/>
    /// make <c>mov $imm32,%eax</c> zero the upper half, while <c>mov $imm32,%rax</c> (C7, the article's
    /// 7-byte form) gets an immediate Iced has already sign-extended, and <c>movabs</c> a full 64-bit one.
    /// </summary>
    public static void Mov(Machine m, in Instruction i) => m.Write(i, 0, m.Read(i, 1));

    /// <summary><c>lea</c>: the address of the memory operand, never the memory itself (no access, no fault).</summary>
    public static void Lea(Machine m, in Instruction i) => m.Write(i, 0, m.EffectiveAddress(i));

    /// <summary><c>push</c>: the value is read first (so <c>push %rsp</c> pushes the old rsp).</summary>
    public static void Push(Machine m, in Instruction i) => m.Push(m.Read(i, 0));

    /// <summary>
    /// <c>pop</c>: load from rsp, then rsp += 8, then write the destination, whose address
    /// (if it uses rsp) is computed after the increment, as the hardware does.
    /// </summary>
    public static void Pop(Machine m, in Instruction i)
    {
        ref ulong rsp = ref m.Cpu.Gpr[(int)Reg64.Rsp];
        ulong value = m.Load(rsp, 8), before = rsp;
        rsp += 8;
        try { m.Write(i, 0, value); }
        catch (EmulationException) { rsp = before; throw; } // a faulting pop changes nothing
    }

    /// <summary>
    /// The sign-extension family as a table: (source, destination) and whether the destination
    /// receives the whole widened value (cbtw, cwtl, cltq) or only copies of the sign bit (cwtd, cltd, cqto).
    /// </summary>
    private static readonly Dictionary<Mnemonic, (Register Source, Register Destination, bool SignOnly)> Extensions = new()
    {
        [Mnemonic.Cbw] = (Register.AL, Register.AX, false),
        [Mnemonic.Cwde] = (Register.AX, Register.EAX, false),
        [Mnemonic.Cdqe] = (Register.EAX, Register.RAX, false),
        [Mnemonic.Cwd] = (Register.AX, Register.DX, true),
        [Mnemonic.Cdq] = (Register.EAX, Register.EDX, true),
        [Mnemonic.Cqo] = (Register.RAX, Register.RDX, true), // before idiv: rdx:rax = rax as a 128-bit number
    };

    public static IEnumerable<Mnemonic> ExtensionMnemonics => Extensions.Keys;

    public static void SignExtend(Machine m, in Instruction i)
    {
        var (source, destination, signOnly) = Extensions[i.Mnemonic];
        int size = source.GetSize();
        long value = Bits.SignExtend(m.ReadRegister(source), size);
        m.WriteRegister(destination, signOnly ? (value < 0 ? ulong.MaxValue : 0) : (ulong)value);
    }

    /// <summary>nop, nopw/nopl with a memory operand (never accessed), pause, endbr64.</summary>
    public static void Nop(Machine m, in Instruction i) { }
}
