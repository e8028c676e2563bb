using System.Runtime.CompilerServices;
namespace JitNotebooks.Compiler;

/// <summary>
/// Engine 2: compiles the tree to x86-64 machine code with <see cref="CodeBuilder"/>, one
/// recursive walk, left operand before right (the order decides which error wins, as in C#).
/// <list type="bullet">
/// <item>Calling convention: System V. Arguments arrive in rdi, rsi, rdx, rcx, r8, r9. Because
/// <c>idiv</c> needs rdx, the third argument is moved to r11 first; parameters are then read from
/// <see cref="ParameterRegisters"/> in place, never copied unless an operation needs a copy.</item>
/// <item>Registers: values live on an evaluation stack mapped onto a fixed pool of scratch registers
/// (<see cref="RegisterWindow"/>); beyond the pool they spill to the machine stack with push/pop,
/// so any depth compiles. rax and rdx stay free for <c>idiv</c> and for the result.</item>
/// <item>Result: a <see cref="JitResult"/> in rax:rdx. Before each <c>idiv</c> the code checks for
/// a zero divisor and for <c>long.MinValue / -1</c> (both fault in hardware: SIGFPE would kill
/// the process) and returns a status instead; the managed wrapper throws.</item>
/// </list>
/// </summary>
public sealed class X64Compiler
{
    /// <summary>Where each parameter lives during the body (index = parameter position).</summary>
    public static IReadOnlyList<Reg64> ParameterRegisters { get; } = [Reg64.Rdi, Reg64.Rsi, Reg64.R11, Reg64.Rcx, Reg64.R8, Reg64.R9];

    /// <summary>
    /// The evaluation stack's registers in order of use: r10 first (caller-saved, free), then the
    /// callee-saved rbx, r12–r15, which the prologue saves only when the expression needs them.
    /// </summary>
    public static IReadOnlyList<Reg64> DefaultScratchRegisters { get; } = [Reg64.R10, Reg64.Rbx, Reg64.R12, Reg64.R13, Reg64.R14, Reg64.R15];

    /// <summary>A compiler with the full pool.</summary>
    public X64Compiler() : this(DefaultScratchRegisters.Count) { }

    /// <summary>A compiler with a smaller pool: spilling starts sooner (for demonstrations and tests).</summary>
    /// <param name="scratchRegisterCount">2 to 6: a binary operation needs both operands in registers.</param>
    public X64Compiler(int scratchRegisterCount)
    {
        if (scratchRegisterCount < 2 || scratchRegisterCount > DefaultScratchRegisters.Count)
            throw new ArgumentOutOfRangeException(nameof(scratchRegisterCount), scratchRegisterCount,
                $"Use 2 to {DefaultScratchRegisters.Count} scratch registers: a binary operation needs both operands in registers.");
        ScratchRegisters = DefaultScratchRegisters.Take(scratchRegisterCount).ToArray();
    }

    public IReadOnlyList<Reg64> ScratchRegisters { get; }

    /// <summary>Compiles and places the code in <paramref name="arena"/>.</summary>
    public CompiledFunction Compile(ParsedFunction function, CodeArena arena)
    {
        ArgumentNullException.ThrowIfNull(arena);
        var program = Generate(function);
        return new CompiledFunction(program, arena.Add(program.Code));
    }

    /// <summary>
    /// Compiles several functions and places them with one read-write → read-execute flip (one
    /// pair of mprotect calls for the whole batch instead of one pair per function).
    /// </summary>
    public IReadOnlyList<CompiledFunction> CompileAll(IReadOnlyList<ParsedFunction> functions, CodeArena arena)
    {
        ArgumentNullException.ThrowIfNull(functions);
        ArgumentNullException.ThrowIfNull(arena);
        var programs = functions.Select(Generate).ToArray();
        var code = arena.AddBatch(programs.Select(p => p.Bytes).ToArray());
        return programs.Select((p, i) => new CompiledFunction(p, code[i])).ToArray();
    }

    /// <summary>Generates the machine code without running anything (works on any OS).</summary>
    public X64Program Generate(ParsedFunction function)
    {
        ArgumentNullException.ThrowIfNull(function);
        return new Generation(function, ScratchRegisters).Run();
    }

    /// <summary>One compilation: the builder, the register window and the error exits.</summary>
    private sealed class Generation
    {
        private readonly ParsedFunction _function;
        private readonly IReadOnlyList<Reg64> _pool;
        private readonly CodeBuilder _code = new();
        private readonly RegisterWindow _stack;
        private readonly CodeLabel _exit;
        private CodeLabel? _divideByZero, _overflow;
        private int _divisions;

        public Generation(ParsedFunction function, IReadOnlyList<Reg64> pool)
        {
            _function = function;
            _pool = pool;
            _stack = new RegisterWindow(_code, pool);
            _exit = _code.CreateLabel("exit");
        }

        public X64Program Run()
        {
            int needed = RegistersNeeded(_function.Body);
            var saved = _pool.Take(needed).Where(SysVConvention.IsCalleeSaved).ToArray();
            bool spills = needed > _pool.Count;

            // Prologue: save what we will overwrite, set up a frame if rsp will move, free rdx.
            foreach (var reg in saved) _code.Push(reg);
            if (spills) _code.Push(Reg64.Rbp).MovRegReg(Reg64.Rbp, Reg64.Rsp);
            if (_function.Arity >= 3) _code.MovRegReg(ParameterRegisters[2], Reg64.Rdx);

            Emit(_function.Body);

            // Success: value in rax, status 0 in rdx.
            _code.MovRegReg(Reg64.Rax, _stack.Top).XorRegReg(Reg64.Rdx, Reg64.Rdx);
            // Epilogue, shared with the error exits (rbp restores rsp whatever was spilled).
            _code.Bind(_exit);
            if (spills) _code.MovRegReg(Reg64.Rsp, Reg64.Rbp).Pop(Reg64.Rbp);
            foreach (var reg in Enumerable.Reverse(saved)) _code.Pop(reg);
            _code.Ret();
            EmitErrorExit(_divideByZero, JitStatus.DivideByZero);
            EmitErrorExit(_overflow, JitStatus.Overflow);
            _code.Patch();
            return new X64Program(_function, _code, needed, _pool, saved, _stack.SpillCount, spills);
        }

        /// <summary>Emits code that pushes the node's value onto the evaluation stack.</summary>
        private void Emit(ExprNode node)
        {
            RuntimeHelpers.EnsureSufficientExecutionStack();
            switch (node)
            {
                case NumberNode n:
                    _code.LoadConstant(_stack.Push(), n.Value);
                    break;
                case ParameterNode p:
                    _code.MovRegReg(_stack.Push(), ParameterRegisters[p.Index]);
                    break;
                case NegateNode n:
                    Emit(n.Operand);
                    _code.Neg(_stack.Top);
                    break;
                case BinaryNode b when FoldsRightOperand(b):
                    Emit(b.Left);
                    EmitWithDirectOperand(b, _stack.Top);
                    break;
                case BinaryNode b:
                    Emit(b.Left);
                    Emit(b.Right);
                    EmitOperation(b.Operator, _stack.BelowTop, _stack.Top, b.Right);
                    _stack.Pop();
                    break;
            }
        }

        /// <summary>
        /// A parameter on the right is used straight from its register, and a small literal on the
        /// right of + - * goes into the instruction as an immediate: no register needed for either.
        /// </summary>
        private static bool FoldsRightOperand(BinaryNode b) => b.Right switch
        {
            ParameterNode => true,
            NumberNode n => b.Operator is BinaryOperator.Add or BinaryOperator.Subtract or BinaryOperator.Multiply
                            && n.Value is >= int.MinValue and <= int.MaxValue,
            _ => false,
        };

        private void EmitWithDirectOperand(BinaryNode b, Reg64 left)
        {
            if (b.Right is ParameterNode p)
            {
                EmitOperation(b.Operator, left, ParameterRegisters[p.Index], b.Right);
                return;
            }
            int imm = (int)((NumberNode)b.Right).Value;
            switch (b.Operator)
            {
                case BinaryOperator.Add: _code.AddImm(left, imm); break;
                case BinaryOperator.Subtract: _code.SubImm(left, imm); break;
                case BinaryOperator.Multiply: _code.ImulImm(left, left, imm); break;
            }
        }

        /// <summary>left = left op right, for two registers.</summary>
        private void EmitOperation(BinaryOperator op, Reg64 left, Reg64 right, ExprNode rightNode)
        {
            switch (op)
            {
                case BinaryOperator.Add: _code.AddRegReg(left, right); break;
                case BinaryOperator.Subtract: _code.SubRegReg(left, right); break;
                case BinaryOperator.Multiply: _code.ImulRegReg(left, right); break;
                default: EmitDivision(op, left, right, rightNode); break;
            }
        }

        /// <summary>
        /// <code>
        ///         test %right,%right ; divisor 0?          → status DivideByZero
        ///         je   divide_by_zero
        ///         cmp  $-1,%right    ; divisor -1?         → only MinValue / -1 overflows:
        ///         jne  divide_N
        ///         mov  %left,%rax    ;   neg sets OF exactly when its operand is long.MinValue
        ///         neg  %rax
        ///         jo   overflow
        /// divide_N:
        ///         mov  %left,%rax    ; rdx:rax = left, sign-extended
        ///         cqto
        ///         idiv %right        ; rax = quotient, rdx = remainder
        ///         mov  %rax,%left    ; (or %rdx for %)
        /// </code>
        /// A literal divisor other than 0 and -1 needs neither check.
        /// </summary>
        private void EmitDivision(BinaryOperator op, Reg64 left, Reg64 right, ExprNode rightNode)
        {
            if (rightNode is not NumberNode { Value: not 0 and not -1 })
            {
                var divide = _code.CreateLabel($"divide_{++_divisions}");
                _code.TestRegReg(right, right)
                     .Jcc(JumpCondition.Equal, _divideByZero ??= _code.CreateLabel("divide_by_zero"))
                     .CmpImm(right, -1)
                     .Jcc(JumpCondition.NotEqual, divide)
                     .MovRegReg(Reg64.Rax, left)
                     .Neg(Reg64.Rax)
                     .Jcc(JumpCondition.Overflow, _overflow ??= _code.CreateLabel("overflow"))
                     .Bind(divide);
            }
            _code.MovRegReg(Reg64.Rax, left)
                 .Cqo()
                 .Idiv(right)
                 .MovRegReg(left, op == BinaryOperator.Divide ? Reg64.Rax : Reg64.Rdx);
        }

        /// <summary>error: mov $status,%rdx; jmp exit (rax is ignored by the wrapper).</summary>
        private void EmitErrorExit(CodeLabel? label, JitStatus status)
        {
            if (label is null) return;
            _code.Bind(label).MovImm32(Reg64.Rdx, (int)status).Jmp(_exit);
        }

        /// <summary>
        /// How deep the evaluation stack gets: the left operand's need, or one more than the right
        /// operand's (the left value waits in a register meanwhile). Mirrors <see cref="Emit"/>.
        /// </summary>
        private static int RegistersNeeded(ExprNode node)
        {
            // One frame per tree level: refuse cleanly (InsufficientExecutionStackException) rather than overflow.
            RuntimeHelpers.EnsureSufficientExecutionStack();
            return node switch
            {
                NegateNode n => RegistersNeeded(n.Operand),
                BinaryNode b when FoldsRightOperand(b) => RegistersNeeded(b.Left),
                BinaryNode b => Math.Max(RegistersNeeded(b.Left), 1 + RegistersNeeded(b.Right)),
                _ => 1,
            };
        }
    }
}
