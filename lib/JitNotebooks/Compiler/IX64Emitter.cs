namespace JitNotebooks.Compiler;

/// <summary>The labels the expression compiler uses; the listing emitter turns them into names.</summary>
internal enum LabelKind
{
    Exit,
    DivideByZero,
    Overflow,
    /// <summary>Where a guarded idiv starts (numbered).</summary>
    Divide,
    /// <summary>The head of the batch loop.</summary>
    Loop,
    /// <summary>After the batch loop.</summary>
    Done,
}

/// <summary>
/// Everything <see cref="X64Compiler"/> emits, as one interface with two implementations:
/// <see cref="ListingEmitter"/> (through <see cref="CodeBuilder"/>: every byte tagged with its role
/// and every instruction with its AT&amp;T text, for listings and charts) and
/// <see cref="LeanEmitter"/> (bytes straight into executable memory's writable view, nothing
/// else). The compiler is generic over it, so both run the same generation code and must produce
/// the same bytes; a property test holds them to it.
/// </summary>
internal interface IX64Emitter
{
    /// <summary>Bytes emitted so far.</summary>
    int Position { get; }

    int CreateLabel(LabelKind kind, int number = 0);
    void Bind(int label);
    /// <summary>jcc rel32 (always the 6-byte form: the target may be far).</summary>
    void Jcc(JumpCondition condition, int label);
    /// <summary>jmp rel32.</summary>
    void Jmp(int label);

    void MovRegReg(Reg64 dst, Reg64 src);
    void AddRegReg(Reg64 dst, Reg64 src);
    void SubRegReg(Reg64 dst, Reg64 src);
    void XorRegReg(Reg64 dst, Reg64 src);
    void TestRegReg(Reg64 dst, Reg64 src);
    void ImulRegReg(Reg64 dst, Reg64 src);
    void AddImm(Reg64 reg, int imm);
    void SubImm(Reg64 reg, int imm);
    void CmpImm(Reg64 reg, int imm);
    void AndImm(Reg64 reg, int imm);
    void ImulImm(Reg64 dst, Reg64 src, int imm);
    void Neg(Reg64 reg);
    void Idiv(Reg64 reg);
    void ImulWide(Reg64 reg);
    void Cqo();
    void ShlImm(Reg64 reg, int count);
    void ShrImm(Reg64 reg, int count);
    void SarImm(Reg64 reg, int count);
    void Push(Reg64 reg);
    void Pop(Reg64 reg);
    /// <summary>mov $imm32 (7 bytes) when the value fits, else movabs (10 bytes).</summary>
    void LoadConstant(Reg64 reg, long value);
    void MovImm32(Reg64 reg, int value);
    void Load(Reg64 dst, Reg64 baseReg, int disp);
    void Store(Reg64 baseReg, int disp, Reg64 src);
    void AddFromMemory(Reg64 dst, Reg64 baseReg, int disp);
    void SubFromMemory(Reg64 dst, Reg64 baseReg, int disp);
    void ImulFromMemory(Reg64 dst, Reg64 baseReg, int disp);
    void Ret();
    /// <summary>Bytes from outside the compiler (a <see cref="MultiplyRule"/>), copied as they are.</summary>
    void Raw(byte[] bytes);

    /// <summary>Fills every jump's displacement. Called once, at the end.</summary>
    void Patch();
}

/// <summary>The compiler's output through <see cref="CodeBuilder"/>: bytes plus roles and AT&amp;T text per instruction.</summary>
internal struct ListingEmitter(CodeBuilder code) : IX64Emitter
{
    private readonly List<CodeLabel> _labels = [];

    public readonly CodeBuilder Code => code;
    public readonly int Position => code.Position;

    public readonly int CreateLabel(LabelKind kind, int number = 0)
    {
        _labels.Add(code.CreateLabel(kind switch
        {
            LabelKind.Exit => "exit",
            LabelKind.DivideByZero => "divide_by_zero",
            LabelKind.Overflow => "overflow",
            LabelKind.Divide => $"divide_{number}",
            LabelKind.Loop => "loop",
            _ => "done",
        }));
        return _labels.Count - 1;
    }

    public readonly void Bind(int label) => code.Bind(_labels[label]);
    public readonly void Jcc(JumpCondition condition, int label) => code.Jcc(condition, _labels[label]);
    public readonly void Jmp(int label) => code.Jmp(_labels[label]);
    public readonly void MovRegReg(Reg64 dst, Reg64 src) => code.MovRegReg(dst, src);
    public readonly void AddRegReg(Reg64 dst, Reg64 src) => code.AddRegReg(dst, src);
    public readonly void SubRegReg(Reg64 dst, Reg64 src) => code.SubRegReg(dst, src);
    public readonly void XorRegReg(Reg64 dst, Reg64 src) => code.XorRegReg(dst, src);
    public readonly void TestRegReg(Reg64 dst, Reg64 src) => code.TestRegReg(dst, src);
    public readonly void ImulRegReg(Reg64 dst, Reg64 src) => code.ImulRegReg(dst, src);
    public readonly void AddImm(Reg64 reg, int imm) => code.AddImm(reg, imm);
    public readonly void SubImm(Reg64 reg, int imm) => code.SubImm(reg, imm);
    public readonly void CmpImm(Reg64 reg, int imm) => code.CmpImm(reg, imm);
    public readonly void AndImm(Reg64 reg, int imm) => code.AndImm(reg, imm);
    public readonly void ImulImm(Reg64 dst, Reg64 src, int imm) => code.ImulImm(dst, src, imm);
    public readonly void Neg(Reg64 reg) => code.Neg(reg);
    public readonly void Idiv(Reg64 reg) => code.Idiv(reg);
    public readonly void ImulWide(Reg64 reg) => code.ImulWide(reg);
    public readonly void Cqo() => code.Cqo();
    public readonly void ShlImm(Reg64 reg, int count) => code.ShlImm(reg, count);
    public readonly void ShrImm(Reg64 reg, int count) => code.ShrImm(reg, count);
    public readonly void SarImm(Reg64 reg, int count) => code.SarImm(reg, count);
    public readonly void Push(Reg64 reg) => code.Push(reg);
    public readonly void Pop(Reg64 reg) => code.Pop(reg);
    public readonly void LoadConstant(Reg64 reg, long value) => code.LoadConstant(reg, value);
    public readonly void MovImm32(Reg64 reg, int value) => code.MovImm32(reg, value);
    public readonly void Load(Reg64 dst, Reg64 baseReg, int disp) => code.Load(dst, baseReg, disp);
    public readonly void Store(Reg64 baseReg, int disp, Reg64 src) => code.Store(baseReg, disp, src);
    public readonly void AddFromMemory(Reg64 dst, Reg64 baseReg, int disp) => code.AddFromMemory(dst, baseReg, disp);
    public readonly void SubFromMemory(Reg64 dst, Reg64 baseReg, int disp) => code.SubFromMemory(dst, baseReg, disp);
    public readonly void ImulFromMemory(Reg64 dst, Reg64 baseReg, int disp) => code.ImulFromMemory(dst, baseReg, disp);
    public readonly void Ret() => code.Ret();
    public readonly void Raw(byte[] bytes) => code.Emit(ByteRole.Other, "multiply rule", bytes);
    public readonly void Patch() => code.Patch();
}
