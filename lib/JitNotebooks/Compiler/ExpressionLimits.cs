namespace JitNotebooks.Compiler;

/// <summary>
/// The language's limits, and why. The parser enforces them with a <see cref="ParseException"/>;
/// <see cref="ParsedFunction"/> checks trees built by hand on construction.
/// </summary>
public static class ExpressionLimits
{
    /// <summary>At most six parameters: exactly the six System V integer argument registers, so none is passed on the stack.</summary>
    public const int MaxParameters = 6;

    /// <summary>
    /// The deepest tree (and deepest parenthesis nesting) accepted. The parser, the interpreter and
    /// both compilers walk the tree recursively, one stack frame (or a few) per level; 4,000 levels
    /// fit in the 8 MiB stack Linux gives a process's threads by default (the tests check it). On a
    /// thread with a smaller stack each walk stops cleanly first (a <see cref="ParseException"/> from
    /// the parser, <see cref="InsufficientExecutionStackException"/> from the others), never a crash.
    /// The generated x64 code itself has no such limit: it spills to the machine stack.
    /// </summary>
    public const int MaxDepth = 4_000;

    /// <summary>The depth of a tree: 1 for a leaf. Iterative, so it cannot overflow the stack itself.</summary>
    public static int Depth(ExprNode root)
    {
        ArgumentNullException.ThrowIfNull(root);
        int max = 0;
        var pending = new Stack<(ExprNode Node, int Depth)>();
        pending.Push((root, 1));
        while (pending.Count > 0)
        {
            var (node, depth) = pending.Pop();
            max = Math.Max(max, depth);
            foreach (var child in Children(node)) pending.Push((child, depth + 1));
        }
        return max;
    }

    /// <summary>How many nodes the tree has.</summary>
    public static int Size(ExprNode root)
    {
        ArgumentNullException.ThrowIfNull(root);
        int count = 0;
        var pending = new Stack<ExprNode>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            count++;
            foreach (var child in Children(pending.Pop())) pending.Push(child);
        }
        return count;
    }

    /// <summary>Throws unless the parameters and tree are within the limits and every parameter reference is valid.</summary>
    /// <exception cref="ArgumentException">Too deep, too many parameters, a bad or duplicate name, or a parameter index/name that does not match the list.</exception>
    internal static void Check(IReadOnlyList<string> parameters, ExprNode body)
    {
        if (parameters.Count > MaxParameters)
            throw new ArgumentException(
                $"{parameters.Count} parameters given; at most {MaxParameters} are supported " +
                "(one per System V argument register: rdi, rsi, rdx, rcx, r8, r9).", nameof(parameters));
        foreach (var name in parameters)
            if (!IsIdentifier(name))
                throw new ArgumentException(
                    $"'{name}' is not a valid parameter name: use a letter or '_' followed by letters, digits or '_'.", nameof(parameters));
        var duplicate = parameters.GroupBy(p => p).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"Parameter '{duplicate.Key}' is declared twice.", nameof(parameters));

        int depth = Depth(body);
        if (depth > MaxDepth)
            throw new ArgumentException(
                $"The expression is {depth} levels deep; the limit is {MaxDepth} (the tree is walked recursively). " +
                "Split it into smaller functions.", nameof(body));
        var pending = new Stack<ExprNode>();
        pending.Push(body);
        while (pending.Count > 0)
        {
            var node = pending.Pop();
            if (node is ParameterNode p &&
                (p.Index < 0 || p.Index >= parameters.Count || parameters[p.Index] != p.Name))
                throw new ArgumentException(
                    $"Parameter '{p.Name}' with index {p.Index} does not match the parameter list " +
                    $"({string.Join(", ", parameters)}).", nameof(body));
            if (node is not (NumberNode or ParameterNode or NegateNode or BinaryNode))
                throw new ArgumentException($"Unknown node type {node.GetType().Name}.", nameof(body));
            foreach (var child in Children(node)) pending.Push(child);
        }
    }

    internal static bool IsIdentifier(string? name) =>
        !string.IsNullOrEmpty(name) && (char.IsAsciiLetter(name[0]) || name[0] == '_')
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    internal static IEnumerable<ExprNode> Children(ExprNode node) => node switch
    {
        NegateNode n => [n.Operand],
        BinaryNode b => [b.Left, b.Right],
        _ => [],
    };
}
