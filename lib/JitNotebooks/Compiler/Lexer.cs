namespace JitNotebooks.Compiler;

/// <summary>
/// Splits source text into <see cref="Token"/>s: integer literals (decimal digits), identifiers
/// (a letter or '_', then letters, digits or '_'), the five operators and parentheses. Spaces are skipped.
/// </summary>
public static class Lexer
{
    private static readonly Dictionary<char, TokenKind> Symbols = new()
    {
        ['+'] = TokenKind.Plus, ['-'] = TokenKind.Minus, ['*'] = TokenKind.Star, ['/'] = TokenKind.Slash,
        ['%'] = TokenKind.Percent, ['('] = TokenKind.LeftParen, [')'] = TokenKind.RightParen,
    };

    /// <summary>All tokens of <paramref name="source"/>, ending with one <see cref="TokenKind.End"/>.</summary>
    /// <exception cref="ParseException">A character that starts no token.</exception>
    public static IReadOnlyList<Token> Tokenize(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var tokens = new List<Token>();
        int i = 0;
        while (i < source.Length)
        {
            char c = source[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            int start = i;
            if (char.IsAsciiDigit(c))
            {
                while (i < source.Length && char.IsAsciiDigit(source[i])) i++;
                tokens.Add(new Token(TokenKind.Number, source[start..i], start));
            }
            else if (char.IsAsciiLetter(c) || c == '_')
            {
                while (i < source.Length && (char.IsAsciiLetterOrDigit(source[i]) || source[i] == '_')) i++;
                tokens.Add(new Token(TokenKind.Identifier, source[start..i], start));
            }
            else if (Symbols.TryGetValue(c, out var kind))
            {
                tokens.Add(new Token(kind, c.ToString(), start));
                i++;
            }
            else
            {
                throw new ParseException(source, start, "a number, a parameter name, an operator (+ - * / %) or a parenthesis",
                    $"'{c}'");
            }
        }
        tokens.Add(new Token(TokenKind.End, "", source.Length));
        return tokens;
    }
}
