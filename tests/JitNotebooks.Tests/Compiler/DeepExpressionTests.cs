using JitNotebooks.Compiler;

namespace JitNotebooks.Tests.Compiler;

/// <summary>Expressions with thousands of nested operations: registers run out and values spill to the stack.</summary>
public class DeepExpressionTests
{
    private static readonly string[] Ops = ["+", "-", "*", "/", "%"];

    /// <summary>a op1 (b op2 (a op3 (… 1))) : every operation waits for its right operand.</summary>
    private static string RightDeep(int n)
    {
        var text = new System.Text.StringBuilder();
        for (int i = 0; i < n; i++) text.Append(i % 2 == 0 ? "a" : "b").Append(' ').Append(Ops[i % 3]).Append(" (");
        text.Append("b + 3");
        text.Append(')', n);
        return text.ToString();
    }

    /// <summary>((((a op b) op 2) op b) …): the tree leans left; only the right operands wait.</summary>
    private static string LeftDeep(int n)
    {
        var text = new System.Text.StringBuilder(new string('(', n)).Append('a');
        for (int i = 0; i < n; i++) text.Append(' ').Append(Ops[i % 5]).Append(' ').Append(i % 3 == 0 ? "b" : (i % 7 + 1).ToString()).Append(')');
        return text.ToString();
    }

    private static void AllAgree(ParsedFunction f, X64Compiler compiler, params long[][] inputs)
    {
        using var arena = new CodeArena();
        var jit = compiler.Compile(f, arena);
        var reference = ExpressionTreeCompiler.Compile(f);
        foreach (var args in inputs)
        {
            var (i, j, r) = EngineHarness.All(f, jit, reference, args);
            Assert.Equal(i, j);
            Assert.Equal(i, r);
        }
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(3000)]
    public void Right_deep_expressions_spill_and_agree(int n)
    {
        var f = Parser.Parse(RightDeep(n), "a", "b");
        Assert.Equal(n + 2, f.Depth);
        var program = new X64Compiler().Generate(f);
        Assert.True(program.SpillCount > n - 10, $"spills {program.SpillCount}");
        Assert.True(program.UsesFramePointer);
        AllAgree(f, new X64Compiler(), [3, 5], [-1, 1], [long.MaxValue, 2], [0, 0]);
        AllAgree(f, new X64Compiler(2), [7, -9]);
    }

    [Fact]
    public void Left_deep_chains_without_parentheses_are_parsed_by_a_loop_and_agree()
    {
        var f = Parser.Parse(string.Join(" - ", Enumerable.Range(0, 2000).Select(i => i % 2 == 0 ? "a" : "b * 3")), "a", "b");
        Assert.True(f.Depth > 1000);
        AllAgree(f, new X64Compiler(), [1, 2], [long.MaxValue, long.MinValue]);
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(ExpressionLimits.MaxDepth - 1)]
    public void Left_deep_expressions_need_two_registers_and_agree(int n)
    {
        var f = Parser.Parse(LeftDeep(n), "a", "b");
        Assert.Equal(n + 1, f.Depth);
        var program = new X64Compiler().Generate(f);
        Assert.Equal(0, program.SpillCount);
        Assert.True(program.RegistersNeeded <= 2);
        AllAgree(f, new X64Compiler(), [1234567, 3], [long.MinValue, -1], [5, 0], [-98765, 11]);
    }

    [Fact]
    public void A_chain_of_a_thousand_negations_and_parentheses()
    {
        var text = string.Concat(Enumerable.Repeat("-(", 1001)) + "a" + new string(')', 1001);
        AllAgree(Parser.Parse(text, "a"), new X64Compiler(), [5], [long.MinValue]);
        Assert.Equal(-5, Interpreter.Evaluate(Parser.Parse(text, "a"), 5));
    }

    [Fact]
    public void A_balanced_tree_of_4095_nodes_agrees()
    {
        ExprNode Build(int depth, int seed) => depth == 1
            ? (seed % 3 == 0 ? new NumberNode(seed) : new ParameterNode(seed % 2 == 0 ? "a" : "b", seed % 2 == 0 ? 0 : 1))
            : new BinaryNode((BinaryOperator)(seed % 3), Build(depth - 1, seed * 2 + 1), Build(depth - 1, seed * 2 + 2));
        var f = new ParsedFunction(["a", "b"], Build(12, 0));
        Assert.Equal(4095, f.Size);
        AllAgree(f, new X64Compiler(), [3, -7], [long.MaxValue, long.MinValue]);
        AllAgree(f, new X64Compiler(2), [3, -7]);
    }

    private static Exception? OnThread(int stackBytes, Action action)
    {
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try { action(); }
            catch (Exception e) { failure = e; }
        }, stackBytes);
        thread.Start();
        thread.Join();
        return failure;
    }

    [Fact]
    public void The_depth_limit_fits_an_8_MiB_thread_stack_for_every_engine()
    {
        // The documented claim behind ExpressionLimits.MaxDepth: parse, interpret, compile (both), print.
        Assert.Null(OnThread(8 << 20, () =>
        {
            var f = Parser.Parse(RightDeep(ExpressionLimits.MaxDepth - 2), "a", "b");
            Assert.Equal(ExpressionLimits.MaxDepth, f.Depth);
            AllAgree(f, new X64Compiler(), [3, 5]);
            Assert.Equal(f.Body, Parser.Parse(f.Body.ToString(), "a", "b").Body);
        }));
    }

    [Fact]
    public void On_a_small_stack_deep_input_fails_cleanly_instead_of_crashing()
    {
        string text = RightDeep(ExpressionLimits.MaxDepth - 2);
        var parse = OnThread(256 << 10, () => Parser.Parse(text, "a", "b"));
        var e = Assert.IsType<ParseException>(parse);
        Assert.Contains("stack", e.Expected);

        var f = Parser.Parse(text, "a", "b"); // parsed here, on a big stack
        Assert.IsType<InsufficientExecutionStackException>(OnThread(256 << 10, () => Interpreter.Evaluate(f, 1, 2)));
        Assert.IsType<InsufficientExecutionStackException>(OnThread(256 << 10, () => new X64Compiler().Generate(f)));
        Assert.IsType<InsufficientExecutionStackException>(OnThread(256 << 10, () => ExpressionTreeCompiler.ToLambda(f)));
    }
}
