namespace JitNotebooks.Compiler;

/// <summary>The kinds of token the expression language has.</summary>
public enum TokenKind
{
    Number, Identifier, Plus, Minus, Star, Slash, Percent, LeftParen, RightParen, End,
}

/// <summary>One token: its kind, its text, and where it starts (0-based character offset).</summary>
public readonly record struct Token(TokenKind Kind, string Text, int Position)
{
    /// <summary>How an error message names this token.</summary>
    public string Describe() => Kind == TokenKind.End ? "the end of the input" : $"'{Text}'";
}
