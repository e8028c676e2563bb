using Iced.Intel;

namespace JitNotebooks.Emulation;

/// <summary>jmp, the sixteen jcc, call and ret.</summary>
internal static class ControlTransfer
{
    /// <summary>The target: Iced resolves a relative one to an absolute address; <c>*%reg</c> / <c>*mem</c> are read.</summary>
    private static ulong Target(Machine m, in Instruction i) =>
        i.Op0Kind == OpKind.NearBranch64 ? i.NearBranch64 : m.Read(i, 0);

    public static void Jmp(Machine m, in Instruction i) => m.NextRip = Target(m, i);

    /// <summary>Jumps when the instruction's condition holds for the current flags.</summary>
    public static void Jcc(Machine m, in Instruction i)
    {
        if (FlagLogic.Holds(i.ConditionCode, m.Cpu.Flags)) m.NextRip = i.NearBranch64;
    }

    /// <summary>
    /// Pushes the address of the next instruction and jumps. With the alignment check on, rsp must
    /// be a multiple of 16 here (System V: the callee then sees rsp ≡ 8 mod 16).
    /// </summary>
    public static void Call(Machine m, in Instruction i)
    {
        ulong target = Target(m, i);
        ulong rsp = m.Cpu.Gpr[(int)Reg64.Rsp];
        if (m.CheckStackAlignment && rsp % 16 != 0) throw new StackMisalignedException(rsp);
        m.Push(i.NextIP);
        m.NextRip = target;
    }

    /// <summary>Pops the return address (then releases imm16 more bytes for <c>ret $n</c>) and jumps there.</summary>
    public static void Ret(Machine m, in Instruction i)
    {
        ref ulong rsp = ref m.Cpu.Gpr[(int)Reg64.Rsp];
        ulong target = m.Load(rsp, 8);
        rsp += 8 + (i.OpCount == 1 ? i.Immediate16 : 0u);
        m.NextRip = target;
    }
}
