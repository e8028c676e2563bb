using JitNotebooks.Compiler;
using JitNotebooks.Verification;

namespace JitNotebooks.Diagrams;

/// <summary>One instruction the expression compiler emitted for one node of the tree.</summary>
/// <param name="Number">1 for the first instruction of the body.</param>
/// <param name="Node">The node, as source text (<c>(a + 3)</c>, <c>b</c>).</param>
/// <param name="Register">The register that holds the node's value afterwards: the top of the evaluation stack.</param>
/// <param name="Instruction">The instruction as Iced reads the compiled bytes (AT&amp;T).</param>
/// <param name="Bytes">Its bytes in hex.</param>
/// <param name="StackAfter">The evaluation stack afterwards, bottom first: <c>%r10 = (a + 3)</c>.</param>
public sealed record CodegenStep(int Number, string Node, Reg64 Register, string Instruction, string Bytes, IReadOnlyList<string> StackAfter);

/// <summary>
/// Notebook 08's walk through code generation: which instruction each node of the tree produced,
/// and which register of the evaluation stack holds each value. The instructions and bytes are the
/// <see cref="X64Compiler"/>'s real output, read back by Iced; the pairing of nodes with instructions
/// follows the compiler's documented order (left operand, right operand, operation; a parameter or a
/// small literal on the right is used in place) and is checked against that output, so it cannot drift.
/// </summary>
public sealed class CodegenTrace
{
    private CodegenTrace(ParsedFunction function, X64Program program, IReadOnlyList<CodegenStep> steps,
        IReadOnlyList<ListingLine> prologue, IReadOnlyList<ListingLine> epilogue, Dictionary<ExprNode, int> stepOf, Dictionary<ExprNode, Reg64> registerOf)
    {
        Function = function;
        Program = program;
        Steps = steps;
        Prologue = prologue;
        Epilogue = epilogue;
        _stepOf = stepOf;
        _registerOf = registerOf;
    }

    private readonly Dictionary<ExprNode, int> _stepOf;
    private readonly Dictionary<ExprNode, Reg64> _registerOf;

    public ParsedFunction Function { get; }
    public X64Program Program { get; }

    /// <summary>The body: one step per instruction, in the order the compiler emitted them.</summary>
    public IReadOnlyList<CodegenStep> Steps { get; }

    /// <summary>What comes before the body: saving callee-saved registers, moving rdx out of idiv's way.</summary>
    public IReadOnlyList<ListingLine> Prologue { get; }

    /// <summary>What comes after: the result to rax, status 0 to rdx, restoring registers, ret.</summary>
    public IReadOnlyList<ListingLine> Epilogue { get; }

    /// <summary>The step that emitted this node's instruction (by reference), or null for an operand used in place.</summary>
    public int? StepOf(ExprNode node) => _stepOf.TryGetValue(node, out int s) ? s : null;

    /// <summary>The register holding this node's value (by reference), or null for an operand used in place.</summary>
    public Reg64? RegisterOf(ExprNode node) => _registerOf.TryGetValue(node, out var r) ? r : null;

    /// <summary>The steps as a table: step, node, instruction, bytes, evaluation stack.</summary>
    public TextTable ToTable()
    {
        var table = new TextTable("Step", "Node", "Instruction", "Bytes", "Evaluation stack after (bottom first)");
        foreach (var s in Steps) table.AddRow(s.Number, s.Node, s.Instruction, s.Bytes, string.Join(" | ", s.StackAfter));
        return table;
    }

    /// <summary>
    /// Compiles <paramref name="function"/> with the default <see cref="X64Compiler"/> and pairs its body with the tree.
    /// </summary>
    /// <exception cref="ArgumentException">The expression divides (its checks emit many instructions per node) or needs more registers than the pool (it would spill).</exception>
    /// <exception cref="InvalidOperationException">The compiler's output no longer matches the order described above.</exception>
    public static CodegenTrace Of(ParsedFunction function)
    {
        ArgumentNullException.ThrowIfNull(function);
        var compiler = new X64Compiler();
        var pool = compiler.ScratchRegisters;
        var program = compiler.Generate(function);
        if (Walk(function.Body).Any(n => n is BinaryNode { Operator: BinaryOperator.Divide or BinaryOperator.Remainder }))
            throw new ArgumentException("Choose an expression without / or %: each division emits a dozen checking instructions, too many for one step.", nameof(function));
        if (program.SpillCount > 0)
            throw new ArgumentException($"The expression needs {program.RegistersNeeded} registers and the pool has {pool.Count}: it spills. Choose a shallower one.", nameof(function));

        // The compiler's order, replayed: which node emits, into which stack entry.
        var emitted = new List<(ExprNode Node, int Depth)>();
        var stepOf = new Dictionary<ExprNode, int>(ReferenceEqualityComparer.Instance);
        var registerOf = new Dictionary<ExprNode, Reg64>(ReferenceEqualityComparer.Instance);
        Replay(function.Body, 0, emitted);

        var lines = Listing.Disassemble(program.Code).Lines;
        int prologue = program.SavedRegisters.Count + (program.UsesFramePointer ? 2 : 0) + (function.Arity >= 3 ? 1 : 0);
        if (lines.Count < prologue + emitted.Count)
            throw new InvalidOperationException($"The compiler emitted {lines.Count} instructions, fewer than the {prologue + emitted.Count} this trace expects.");
        var body = lines.Skip(prologue).Take(emitted.Count).ToList();

        var stack = new List<string>();
        var steps = new List<CodegenStep>();
        for (int i = 0; i < emitted.Count; i++)
        {
            var (node, depth) = emitted[i];
            Reg64 register = pool[depth % pool.Count];
            var decoded = IcedBytes.DecodeAt(body[i].Bytes, 0);
            if (decoded.Op0Register.ToReg64() != register)
                throw new InvalidOperationException(
                    $"Step {i + 1} ({node}) should write {register.AttName()}, but the compiler's instruction is {body[i].Text}: the compiler's order has changed.");
            // The stack after this step: entries below `depth` stay, this node is the top.
            stack.RemoveRange(depth, stack.Count - depth);
            stack.Add($"{register.AttName()} = {node}");
            stepOf[node] = i + 1;
            registerOf[node] = register;
            steps.Add(new CodegenStep(i + 1, node.ToString(), register, IcedText.Tidy(body[i].Text), body[i].HexBytes, [.. stack]));
        }
        return new CodegenTrace(function, program, steps, lines.Take(prologue).ToList(), lines.Skip(prologue + emitted.Count).ToList(), stepOf, registerOf);
    }

    /// <summary>
    /// The compiler's emission order: a literal or parameter loads into a new stack entry; an
    /// operation whose right operand is a parameter or a small literal (for + - *) works on the left's
    /// entry in place; any other operation evaluates left, then right one entry higher, then combines.
    /// </summary>
    private static void Replay(ExprNode node, int depth, List<(ExprNode, int)> emitted)
    {
        switch (node)
        {
            case NumberNode or ParameterNode:
                emitted.Add((node, depth));
                break;
            case NegateNode n:
                Replay(n.Operand, depth, emitted);
                emitted.Add((node, depth));
                break;
            case BinaryNode b when UsedInPlace(b):
                Replay(b.Left, depth, emitted);
                emitted.Add((node, depth));
                break;
            case BinaryNode b:
                Replay(b.Left, depth, emitted);
                Replay(b.Right, depth + 1, emitted);
                emitted.Add((node, depth));
                break;
        }
    }

    /// <summary>A right operand the instruction takes directly: a parameter's register, or a 32-bit literal for + - *.</summary>
    internal static bool UsedInPlace(BinaryNode b) => b.Right switch
    {
        ParameterNode => true,
        NumberNode n => b.Operator is BinaryOperator.Add or BinaryOperator.Subtract or BinaryOperator.Multiply
                        && n.Value is >= int.MinValue and <= int.MaxValue,
        _ => false,
    };

    internal static IEnumerable<ExprNode> Walk(ExprNode node)
    {
        yield return node;
        var children = node switch
        {
            NegateNode n => [n.Operand],
            BinaryNode b => [b.Left, b.Right],
            _ => Array.Empty<ExprNode>(),
        };
        foreach (var child in children)
            foreach (var n in Walk(child))
                yield return n;
    }
}
