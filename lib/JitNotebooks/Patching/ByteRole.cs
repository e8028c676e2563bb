namespace JitNotebooks;

/// <summary>What a byte of the program is for; used to colour the byte map charts.</summary>
public enum ByteRole
{
    Rex,
    Opcode,
    ModRM,
    Immediate,
    Displacement,
    Syscall,
    Ret,
    Filler,
    Data,
    Other,
}

/// <summary>A run of bytes with one role, and the instruction (or data) it belongs to.</summary>
public readonly record struct RoleSpan(int Start, int Length, ByteRole Role, string Owner);
