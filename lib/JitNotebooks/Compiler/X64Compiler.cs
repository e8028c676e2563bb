using System.Runtime.CompilerServices;
namespace JitNotebooks.Compiler;

/// <summary>
/// Bytes that multiply <paramref name="register"/> by <paramref name="factor"/> in place (and change
/// nothing else the generated code relies on: other registers, the stack), or <c>null</c> to let the
/// compiler emit its <c>imul</c>. See <see cref="X64Compiler.MultiplyByConstant"/>.
/// </summary>
public delegate byte[]? MultiplyRule(Reg64 register, long factor);

/// <summary>
/// Engine 2: compiles the tree to x86-64 machine code, one recursive walk, left operand before
/// right (the order decides which error wins, as in C#).
/// <list type="bullet">
/// <item>Calling convention: System V. Arguments arrive in rdi, rsi, rdx, rcx, r8, r9. Because
/// <c>idiv</c> and the one-operand <c>imul</c> need rdx, the third argument is moved to r11 first;
/// parameters are then read from <see cref="ParameterRegisters"/> in place, never copied unless an
/// operation needs a copy.</item>
/// <item>Registers: values live on an evaluation stack mapped onto a fixed pool of scratch registers
/// (<see cref="RegisterWindow"/>); beyond the pool they spill to the machine stack with push/pop,
/// so any depth compiles. rax and rdx stay free for division and for the result.</item>
/// <item>Division: by a register, <c>idiv</c>, after checking for a zero divisor and for
/// <c>long.MinValue / -1</c> (both fault in hardware: SIGFPE would kill the process). By a
/// literal, no <c>idiv</c> at all: a multiply-high, shifts and a correction
/// (<see cref="MagicDivisor"/>), as RyuJIT does; only the literal 0 keeps the guarded idiv.</item>
/// <item>Result: a <see cref="JitResult"/> in rax:rdx; an error is a status in rdx, which the
/// managed wrapper turns into .NET's exception.</item>
/// <item>Two emitters, same bytes: <see cref="Compile(ParsedFunction, CodeArena)"/> and
/// <see cref="Generate"/> go through <see cref="CodeBuilder"/> (listing metadata for every byte);
/// <see cref="Compile(ParsedFunction, DoubleMappedCodeArena)"/> writes the bytes straight into the
/// arena's writable view (the lean emitter), several times faster.</item>
/// <item>Two shapes: one call per evaluation (<see cref="Compile(ParsedFunction, CodeArena)"/>), or
/// one call for many rows of arguments with the loop in the generated code
/// (<see cref="CompileBatch(ParsedFunction, DoubleMappedCodeArena)"/>).</item>
/// </list>
/// </summary>
public sealed class X64Compiler
{
    /// <summary>Where each parameter lives during the body (index = parameter position).</summary>
    public static IReadOnlyList<Reg64> ParameterRegisters => Parameters;
    private static readonly Reg64[] Parameters = [Reg64.Rdi, Reg64.Rsi, Reg64.R11, Reg64.Rcx, Reg64.R8, Reg64.R9];

    /// <summary>
    /// The evaluation stack's registers in order of use: r10 first (caller-saved, free), then the
    /// callee-saved rbx, r12–r15, which the prologue saves only when the expression needs them.
    /// </summary>
    public static IReadOnlyList<Reg64> DefaultScratchRegisters { get; } = [Reg64.R10, Reg64.Rbx, Reg64.R12, Reg64.R13, Reg64.R14, Reg64.R15];

    /// <summary>
    /// Batch code keeps its loop state in these callee-saved registers: the current row of
    /// arguments, the current result slot, and how many rows are left. The evaluation stack of
    /// batch code does without them (<see cref="BatchScratchRegisters"/>).
    /// </summary>
    public static IReadOnlyList<Reg64> BatchLoopRegisters { get; } = [RowPointer, ResultPointer, RowsLeft];
    private const Reg64 RowPointer = Reg64.R13, ResultPointer = Reg64.R14, RowsLeft = Reg64.R15;

    private readonly Reg64[] _pool, _batchPool;

    /// <summary>The most bytes a <see cref="MultiplyByConstant"/> rule may return: what fits the room <see cref="MaxCodeBytes"/> reserves per node.</summary>
    public const int MaxRuleBytes = 32;

    /// <summary>A compiler with the full pool.</summary>
    public X64Compiler() : this(DefaultScratchRegisters.Count) { }

    /// <summary>A compiler with a smaller pool: spilling starts sooner (for demonstrations and tests).</summary>
    /// <param name="scratchRegisterCount">2 to 6: a binary operation needs both operands in registers.</param>
    public X64Compiler(int scratchRegisterCount)
    {
        if (scratchRegisterCount < 2 || scratchRegisterCount > DefaultScratchRegisters.Count)
            throw new ArgumentOutOfRangeException(nameof(scratchRegisterCount), scratchRegisterCount,
                $"Use 2 to {DefaultScratchRegisters.Count} scratch registers: a binary operation needs both operands in registers.");
        _pool = DefaultScratchRegisters.Take(scratchRegisterCount).ToArray();
        _batchPool = _pool.Except(BatchLoopRegisters).ToArray();
    }

    public IReadOnlyList<Reg64> ScratchRegisters => _pool;

    /// <summary>
    /// Asked each time the code multiplies a register by a literal that fits 32 bits
    /// (<c>x * 2</c>, say): the bytes it returns replace the compiler's <c>imul $k,%reg,%reg</c>;
    /// <c>null</c> keeps the imul. The one place where code generation can be changed from outside,
    /// for notebook 08's exercise 08.3. The compiler trusts the bytes: it neither decodes nor checks them.
    /// </summary>
    public MultiplyRule? MultiplyByConstant { get; init; }

    /// <summary>The pool batch code uses: <see cref="ScratchRegisters"/> without the <see cref="BatchLoopRegisters"/>.</summary>
    public IReadOnlyList<Reg64> BatchScratchRegisters => _batchPool;

    // ---- through CodeBuilder: every byte with its role, for listings --------------------------

    /// <summary>Compiles and places the code in <paramref name="arena"/> (one mprotect flip pair).</summary>
    public CompiledFunction Compile(ParsedFunction function, CodeArena arena)
    {
        ArgumentNullException.ThrowIfNull(arena);
        var (program, facts) = GenerateListing(function, batch: false);
        var code = arena.Add(program.Code);
        return new CompiledFunction(function, code, code.Lifetime, program, this, facts.CanFail);
    }

    /// <summary>
    /// Compiles several functions and places them with one read-write → read-execute flip (one
    /// pair of mprotect calls for the whole batch instead of one pair per function).
    /// </summary>
    public IReadOnlyList<CompiledFunction> CompileAll(IReadOnlyList<ParsedFunction> functions, CodeArena arena)
    {
        ArgumentNullException.ThrowIfNull(functions);
        ArgumentNullException.ThrowIfNull(arena);
        var programs = functions.Select(f => GenerateListing(f, batch: false)).ToArray();
        var code = arena.AddBatch(programs.Select(p => p.Program.Bytes).ToArray());
        return programs.Select((p, i) => new CompiledFunction(p.Program.Function, code[i], code[i].Lifetime, p.Program, this, p.Facts.CanFail)).ToArray();
    }

    /// <summary>Batch code (see <see cref="CompiledBatchFunction"/>) placed in <paramref name="arena"/>.</summary>
    public CompiledBatchFunction CompileBatch(ParsedFunction function, CodeArena arena)
    {
        ArgumentNullException.ThrowIfNull(arena);
        var program = GenerateBatch(function);
        var code = arena.Add(program.Code);
        return new CompiledBatchFunction(function, code, code.Lifetime, program, this);
    }

    /// <summary>Generates the machine code without running anything (works on any OS).</summary>
    public X64Program Generate(ParsedFunction function) => GenerateListing(function, batch: false).Program;

    /// <summary>Generates batch code (one call, many rows of arguments) without running anything.</summary>
    public X64Program GenerateBatch(ParsedFunction function) => GenerateListing(function, batch: true).Program;

    private (X64Program Program, GenerationFacts Facts) GenerateListing(ParsedFunction function, bool batch)
    {
        ArgumentNullException.ThrowIfNull(function);
        var code = new CodeBuilder();
        var facts = new Generation<ListingEmitter>(function, batch ? _batchPool : _pool, batch, MultiplyByConstant, new ListingEmitter(code)).Run();
        return (new X64Program(function, code, facts.RegistersNeeded, batch ? _batchPool : _pool, facts.SavedRegisters,
            facts.SpillCount, facts.UsesFramePointer), facts);
    }

    // ---- the lean emitter: bytes straight into executable memory ------------------------------

    /// <summary>
    /// Compiles with the lean emitter straight into the arena's writable view: no listing
    /// metadata, no intermediate buffer, no mprotect. The bytes equal <see cref="Generate"/>'s;
    /// <see cref="CompiledFunction.Program"/> regenerates the listing version on request.
    /// </summary>
    /// <exception cref="FunctionTooLargeException">The function's code could exceed the arena's capacity.</exception>
    /// <exception cref="CodeArenaFullException">The arena has no room left.</exception>
    public CompiledFunction Compile(ParsedFunction function, DoubleMappedCodeArena arena)
    {
        var (code, canFail) = EmitLean(function, arena, batch: false);
        return new CompiledFunction(function, code, code.Lifetime, null, this, canFail);
    }

    /// <summary>Batch code (see <see cref="CompiledBatchFunction"/>) written straight into the arena.</summary>
    public CompiledBatchFunction CompileBatch(ParsedFunction function, DoubleMappedCodeArena arena)
    {
        var (code, _) = EmitLean(function, arena, batch: true);
        return new CompiledBatchFunction(function, code, code.Lifetime, null, this);
    }

    /// <summary>The lean emitter's bytes in a plain array (works on any OS): for comparing with <see cref="Generate"/>.</summary>
    public byte[] GenerateLean(ParsedFunction function, bool batch = false)
    {
        ArgumentNullException.ThrowIfNull(function);
        var buffer = new byte[CheckedBound(function, long.MaxValue)];
        int length;
        unsafe
        {
            fixed (byte* start = buffer)
            {
                var generation = new Generation<LeanEmitter>(function, batch ? _batchPool : _pool, batch, MultiplyByConstant, new LeanEmitter(start, buffer.Length));
                generation.Run();
                length = generation.Emitter.Position;
            }
        }
        return buffer[..length];
    }

    /// <summary>
    /// An upper bound on the bytes of code for <paramref name="function"/>, in either shape: what
    /// the lean emitter reserves before writing (the unused rest goes back to the arena at once).
    /// No node emits more than 64 bytes (a guarded idiv with its checks is 42, a division by a
    /// constant at most 50, a movabs plus a spill 12); prologue, epilogue, error exits and the batch
    /// loop together stay under 256.
    /// </summary>
    public static long MaxCodeBytes(ParsedFunction function)
    {
        ArgumentNullException.ThrowIfNull(function);
        return 64L * function.Size + 256;
    }

    private unsafe (DoubleMappedFunction Code, bool CanFail) EmitLean(ParsedFunction function, DoubleMappedCodeArena arena, bool batch)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(arena);
        var reservation = arena.Reserve(CheckedBound(function, arena.Capacity));
        int length;
        GenerationFacts facts;
        try
        {
            var generation = new Generation<LeanEmitter>(function, batch ? _batchPool : _pool, batch, MultiplyByConstant,
                new LeanEmitter((byte*)reservation.Writable, (int)reservation.Length));
            facts = generation.Run();
            length = generation.Emitter.Position;
        }
        catch
        {
            arena.Cancel(reservation);
            throw;
        }
        return (arena.Commit(reservation, length), facts.CanFail);
    }

    private static long CheckedBound(ParsedFunction function, long capacity)
    {
        long bound = MaxCodeBytes(function);
        return bound <= Array.MaxLength ? bound : throw new FunctionTooLargeException(bound, Math.Min(capacity, Array.MaxLength));
    }

    // ---- code generation, shared by both emitters ------------------------------------------------

    /// <summary>
    /// What a generation decided, besides the bytes (as in <see cref="X64Program"/>), and whether
    /// the code has an error exit (a division by a register, by 0 or by -1): then its status must be read.
    /// </summary>
    private readonly record struct GenerationFacts(int RegistersNeeded, Reg64[] SavedRegisters, int SpillCount, bool UsesFramePointer, bool CanFail);

    /// <summary>One compilation: the emitter, the register window and the error exits.</summary>
    private sealed class Generation<TEmitter> where TEmitter : struct, IX64Emitter
    {
        private readonly ParsedFunction _function;
        private readonly Reg64[] _pool;
        private readonly bool _batch;
        private readonly MultiplyRule? _multiplyRule;
        private readonly RegisterWindow _stack;
        private readonly int _exit;
        private TEmitter _emit;
        private int _divideByZero = -1, _overflow = -1;
        private int _divisions;

        public Generation(ParsedFunction function, Reg64[] pool, bool batch, MultiplyRule? multiplyRule, TEmitter emitter)
        {
            _function = function;
            _pool = pool;
            _batch = batch;
            _multiplyRule = multiplyRule;
            _emit = emitter;
            _stack = new RegisterWindow(pool);
            _exit = _emit.CreateLabel(LabelKind.Exit);
        }

        public TEmitter Emitter => _emit;

        public GenerationFacts Run()
        {
            int needed = RegistersNeeded(_function.Body);
            var saved = CalleeSaved(needed);
            bool spills = needed > _pool.Length;
            int loop = -1, done = -1;

            // Prologue: save what we will overwrite, set up a frame if rsp will move, free rdx.
            if (_batch)
                foreach (var reg in BatchLoopRegisters) _emit.Push(reg);
            foreach (var reg in saved) _emit.Push(reg);
            if (spills)
            {
                _emit.Push(Reg64.Rbp);
                _emit.MovRegReg(Reg64.Rbp, Reg64.Rsp);
            }
            if (_batch)
            {
                // rdi = first row of arguments, rsi = first result slot, rdx = number of rows (≥ 1).
                _emit.MovRegReg(RowPointer, Reg64.Rdi);
                _emit.MovRegReg(ResultPointer, Reg64.Rsi);
                _emit.MovRegReg(RowsLeft, Reg64.Rdx);
                loop = _emit.CreateLabel(LabelKind.Loop);
                done = _emit.CreateLabel(LabelKind.Done);
                _emit.TestRegReg(RowsLeft, RowsLeft);
                _emit.Jcc(JumpCondition.Equal, done);
                _emit.Bind(loop); // the parameters are read from the row where they are used (memory operands)
            }
            else if (_function.Arity >= 3) _emit.MovRegReg(Parameters[2], Reg64.Rdx);

            Emit(_function.Body);

            if (_batch)
            {
                // Store the value, step to the next row, loop; then status 0 and rax = rows left (0).
                _emit.Store(ResultPointer, 0, _stack.Top);
                if (_function.Arity > 0) _emit.AddImm(RowPointer, 8 * _function.Arity);
                _emit.AddImm(ResultPointer, 8);
                _emit.SubImm(RowsLeft, 1);
                _emit.Jcc(JumpCondition.NotEqual, loop);
                _emit.Bind(done);
                _emit.XorRegReg(Reg64.Rdx, Reg64.Rdx);
                // The error exits arrive here too: rax tells the wrapper which row stopped the loop.
                _emit.Bind(_exit);
                _emit.MovRegReg(Reg64.Rax, RowsLeft);
            }
            else
            {
                // Success: value in rax, status 0 in rdx.
                _emit.MovRegReg(Reg64.Rax, _stack.Top);
                _emit.XorRegReg(Reg64.Rdx, Reg64.Rdx);
                _emit.Bind(_exit);
            }
            // Epilogue, shared with the error exits (rbp restores rsp whatever was spilled).
            if (spills)
            {
                _emit.MovRegReg(Reg64.Rsp, Reg64.Rbp);
                _emit.Pop(Reg64.Rbp);
            }
            for (int i = saved.Length - 1; i >= 0; i--) _emit.Pop(saved[i]);
            if (_batch)
                for (int i = BatchLoopRegisters.Count - 1; i >= 0; i--) _emit.Pop(BatchLoopRegisters[i]);
            _emit.Ret();
            EmitErrorExit(_divideByZero, JitStatus.DivideByZero);
            EmitErrorExit(_overflow, JitStatus.Overflow);
            _emit.Patch();
            return new GenerationFacts(needed, saved, _stack.SpillCount, spills, CanFail: _divideByZero >= 0 || _overflow >= 0);
        }

        private Reg64[] CalleeSaved(int needed)
        {
            int used = Math.Min(needed, _pool.Length), count = 0;
            for (int i = 0; i < used; i++) if (SysVConvention.IsCalleeSaved(_pool[i])) count++;
            var saved = new Reg64[count];
            for (int i = 0, j = 0; i < used; i++) if (SysVConvention.IsCalleeSaved(_pool[i])) saved[j++] = _pool[i];
            return saved;
        }

        /// <summary>Emits code that pushes the node's value onto the evaluation stack.</summary>
        private void Emit(ExprNode node)
        {
            RuntimeHelpers.EnsureSufficientExecutionStack();
            switch (node)
            {
                case NumberNode n:
                    _emit.LoadConstant(_stack.Push(ref _emit), n.Value);
                    break;
                case ParameterNode p when _batch:
                    _emit.Load(_stack.Push(ref _emit), RowPointer, 8 * p.Index);
                    break;
                case ParameterNode p:
                    _emit.MovRegReg(_stack.Push(ref _emit), Parameters[p.Index]);
                    break;
                case NegateNode n:
                    Emit(n.Operand);
                    _emit.Neg(_stack.Top);
                    break;
                case BinaryNode b when FoldsRightOperand(b):
                    Emit(b.Left);
                    EmitWithDirectOperand(b, _stack.Top);
                    break;
                case BinaryNode b:
                    Emit(b.Left);
                    Emit(b.Right);
                    EmitOperation(b.Operator, _stack.BelowTop, _stack.Top, b.Right);
                    _stack.Pop(ref _emit);
                    break;
            }
        }

        /// <summary>
        /// The right operand needs no register of its own when it is a parameter (used straight
        /// from its register), a literal fitting 32 bits on the right of + - * (an immediate), or a
        /// literal divisor other than 0 (division by a constant needs only rax and rdx).
        /// </summary>
        private static bool FoldsRightOperand(BinaryNode b) => b.Right switch
        {
            ParameterNode => true,
            NumberNode n => b.Operator switch
            {
                BinaryOperator.Add or BinaryOperator.Subtract or BinaryOperator.Multiply => n.Value is >= int.MinValue and <= int.MaxValue,
                _ => n.Value != 0,
            },
            _ => false,
        };

        private void EmitWithDirectOperand(BinaryNode b, Reg64 left)
        {
            if (b.Right is ParameterNode p && _batch)
            {
                // Batch code reads the parameter from the current row: x86 arithmetic takes a memory operand.
                int disp = 8 * p.Index;
                switch (b.Operator)
                {
                    case BinaryOperator.Add: _emit.AddFromMemory(left, RowPointer, disp); break;
                    case BinaryOperator.Subtract: _emit.SubFromMemory(left, RowPointer, disp); break;
                    case BinaryOperator.Multiply: _emit.ImulFromMemory(left, RowPointer, disp); break;
                    default:
                        // The divisor's checks and idiv want a register: the parameter's own is free in batch code.
                        _emit.Load(Parameters[p.Index], RowPointer, disp);
                        EmitOperation(b.Operator, left, Parameters[p.Index], b.Right);
                        break;
                }
                return;
            }
            if (b.Right is ParameterNode q)
            {
                EmitOperation(b.Operator, left, Parameters[q.Index], b.Right);
                return;
            }
            long value = ((NumberNode)b.Right).Value;
            switch (b.Operator)
            {
                case BinaryOperator.Add: _emit.AddImm(left, (int)value); break;
                case BinaryOperator.Subtract: _emit.SubImm(left, (int)value); break;
                case BinaryOperator.Multiply: EmitMultiplyByConstant(left, (int)value); break;
                default: EmitDivisionByConstant(b.Operator, left, MagicDivisor.For(value)); break;
            }
        }

        /// <summary>left = left * factor: the <see cref="MultiplyByConstant"/> rule's bytes if it gives some, else <c>imul $factor,%left,%left</c>.</summary>
        private void EmitMultiplyByConstant(Reg64 left, int factor)
        {
            if (_multiplyRule?.Invoke(left, factor) is not { } bytes)
            {
                _emit.ImulImm(left, left, factor);
                return;
            }
            if (bytes.Length > MaxRuleBytes)
                throw new ArgumentException(
                    $"The MultiplyByConstant rule returned {bytes.Length} bytes for {left.AttName()} * {factor}; at most {MaxRuleBytes} fit " +
                    "the room the compiler reserves per node. Return fewer bytes, or null to keep the imul.", nameof(MultiplyByConstant));
            _emit.Raw(bytes);
        }

        /// <summary>left = left op right, for two registers.</summary>
        private void EmitOperation(BinaryOperator op, Reg64 left, Reg64 right, ExprNode rightNode)
        {
            switch (op)
            {
                case BinaryOperator.Add: _emit.AddRegReg(left, right); break;
                case BinaryOperator.Subtract: _emit.SubRegReg(left, right); break;
                case BinaryOperator.Multiply: _emit.ImulRegReg(left, right); break;
                default: EmitDivision(op, left, right, rightNode); break;
            }
        }

        /// <summary>
        /// Division by a register (or by the literal 0):
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
        /// </summary>
        private void EmitDivision(BinaryOperator op, Reg64 left, Reg64 right, ExprNode rightNode)
        {
            if (rightNode is not NumberNode { Value: not 0 and not -1 })
            {
                int divide = _emit.CreateLabel(LabelKind.Divide, ++_divisions);
                _emit.TestRegReg(right, right);
                _emit.Jcc(JumpCondition.Equal, DivideByZeroLabel());
                _emit.CmpImm(right, -1);
                _emit.Jcc(JumpCondition.NotEqual, divide);
                _emit.MovRegReg(Reg64.Rax, left);
                _emit.Neg(Reg64.Rax);
                _emit.Jcc(JumpCondition.Overflow, OverflowLabel());
                _emit.Bind(divide);
            }
            _emit.MovRegReg(Reg64.Rax, left);
            _emit.Cqo();
            _emit.Idiv(right);
            _emit.MovRegReg(left, op == BinaryOperator.Divide ? Reg64.Rax : Reg64.Rdx);
        }

        /// <summary>
        /// Division by a nonzero literal d, without idiv (see <see cref="MagicDivisor"/> for the
        /// arithmetic, which these instructions perform). For <c>d = 7</c>:
        /// <code>
        ///         movabs $0x4924924924924925,%rax  ; M
        ///         imul   %left             ; rdx = high 64 bits of M * left
        ///         sar    $1,%rdx           ; >> s
        ///         mov    %rdx,%rax
        ///         shr    $63,%rax          ; 1 if the quotient is negative
        ///         add    %rax,%rdx         ; rounds toward zero: rdx = left / 7
        ///         mov    %rdx,%left        ; (for %: imul $7,%rdx,%rdx ; sub %rdx,%left)
        /// </code>
        /// </summary>
        private void EmitDivisionByConstant(BinaryOperator op, Reg64 left, MagicDivisor d)
        {
            bool remainder = op == BinaryOperator.Remainder;
            switch (d.Strategy)
            {
                case DivisionStrategy.One:
                    if (remainder) _emit.XorRegReg(left, left);
                    break;
                case DivisionStrategy.MinusOne:
                    _emit.Neg(left);                                     // OF exactly when left was long.MinValue
                    _emit.Jcc(JumpCondition.Overflow, OverflowLabel());
                    if (remainder) _emit.XorRegReg(left, left);
                    break;
                case DivisionStrategy.PowerOfTwo:
                    int k = d.Shift;
                    _emit.MovRegReg(Reg64.Rax, left);
                    _emit.SarImm(Reg64.Rax, 63);                         // -1 if negative, else 0
                    _emit.ShrImm(Reg64.Rax, 64 - k);                     // 2^k - 1 if negative, else 0
                    _emit.AddRegReg(Reg64.Rax, left);                    // the bias makes the shift round toward zero
                    if (!remainder)
                    {
                        _emit.SarImm(Reg64.Rax, k);
                        if (d.IsNegative) _emit.Neg(Reg64.Rax);
                        _emit.MovRegReg(left, Reg64.Rax);
                        break;
                    }
                    // left - (quotient by 2^k) * 2^k: clear the low k bits of the biased value.
                    if (k <= 31) _emit.AndImm(Reg64.Rax, (int)-(1L << k));
                    else
                    {
                        _emit.SarImm(Reg64.Rax, k);
                        _emit.ShlImm(Reg64.Rax, k);
                    }
                    _emit.SubRegReg(left, Reg64.Rax);
                    break;
                default:
                    _emit.LoadConstant(Reg64.Rax, d.Multiplier);
                    _emit.ImulWide(left);                               // rdx:rax = M * left
                    if (d.DividendCorrection > 0) _emit.AddRegReg(Reg64.Rdx, left);
                    else if (d.DividendCorrection < 0) _emit.SubRegReg(Reg64.Rdx, left);
                    if (d.Shift > 0) _emit.SarImm(Reg64.Rdx, d.Shift);
                    _emit.MovRegReg(Reg64.Rax, Reg64.Rdx);
                    _emit.ShrImm(Reg64.Rax, 63);
                    _emit.AddRegReg(Reg64.Rdx, Reg64.Rax);              // rdx = quotient
                    if (!remainder)
                    {
                        _emit.MovRegReg(left, Reg64.Rdx);
                        break;
                    }
                    if (d.Divisor is >= int.MinValue and <= int.MaxValue) _emit.ImulImm(Reg64.Rdx, Reg64.Rdx, (int)d.Divisor);
                    else
                    {
                        _emit.LoadConstant(Reg64.Rax, d.Divisor);
                        _emit.ImulRegReg(Reg64.Rdx, Reg64.Rax);
                    }
                    _emit.SubRegReg(left, Reg64.Rdx);                   // left - quotient * d
                    break;
            }
        }

        private int DivideByZeroLabel() => _divideByZero >= 0 ? _divideByZero : _divideByZero = _emit.CreateLabel(LabelKind.DivideByZero);

        private int OverflowLabel() => _overflow >= 0 ? _overflow : _overflow = _emit.CreateLabel(LabelKind.Overflow);

        /// <summary>error: mov $status,%rdx; jmp exit (rax is ignored by the wrapper).</summary>
        private void EmitErrorExit(int label, JitStatus status)
        {
            if (label < 0) return;
            _emit.Bind(label);
            _emit.MovImm32(Reg64.Rdx, (int)status);
            _emit.Jmp(_exit);
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
