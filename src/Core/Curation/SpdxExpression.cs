namespace AutoRefiner.Core.Curation;

/// <summary>
/// Reads an SPDX licence expression by its grammar: <c>OR</c> binds loosest, then <c>AND</c>, then <c>WITH</c>; brackets
/// group; an id may end in <c>+</c>. Anything else (a slash, a comma, an operator with nothing beside it, an unclosed
/// bracket) makes the expression unreadable, and an unreadable expression admits nothing: deleting brackets or splitting on
/// words would let <c>(MIT OR Apache-2.0) AND GPL-2.0-only</c> through as if GPL were optional.
/// </summary>
internal sealed class SpdxExpression
{
    private readonly List<string> tokens;
    private int at;

    private SpdxExpression(List<string> tokens) => this.tokens = tokens;

    /// <summary>
    /// Whether the expression holds given which single licences are admitted (<paramref name="termAllowed"/>, asked with the
    /// id as written), or null when the expression cannot be read. An exception (<c>WITH</c>) only adds rights, so the
    /// licence it attaches to decides.
    /// </summary>
    public static bool? Evaluate(string expression, Func<string, bool> termAllowed)
    {
        ArgumentNullException.ThrowIfNull(expression);
        ArgumentNullException.ThrowIfNull(termAllowed);
        if (Tokenize(expression) is not { Count: > 0 } tokens)
        {
            return null;
        }

        var parser = new SpdxExpression(tokens);
        var result = parser.Or(termAllowed);
        return result is not null && parser.at == tokens.Count ? result : null;
    }

    /// <summary>True when the text is a well-formed expression.</summary>
    public static bool IsReadable(string expression) => Evaluate(expression, _ => true) is not null;

    private static List<string>? Tokenize(string text)
    {
        var tokens = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c is '(' or ')')
            {
                tokens.Add(c.ToString());
                i++;
            }
            else if (char.IsAsciiLetterOrDigit(c))
            {
                var start = i;
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '.' or '-' or ':'))
                {
                    i++;
                }

                if (i < text.Length && text[i] == '+')
                {
                    i++;
                }

                tokens.Add(text[start..i]);
            }
            else
            {
                return null;
            }
        }

        return tokens;
    }

    private string? Peek => at < tokens.Count ? tokens[at] : null;

    private bool IsOperator(string word) => Peek is { } t && string.Equals(t, word, StringComparison.OrdinalIgnoreCase);

    private static bool IsKeyword(string token) =>
        token.Equals("AND", StringComparison.OrdinalIgnoreCase) || token.Equals("OR", StringComparison.OrdinalIgnoreCase)
        || token.Equals("WITH", StringComparison.OrdinalIgnoreCase);

    private bool? Or(Func<string, bool> termAllowed)
    {
        var result = And(termAllowed);
        while (result is not null && IsOperator("OR"))
        {
            at++;
            var right = And(termAllowed);
            result = right is null ? null : result.Value | right.Value;
        }

        return result;
    }

    private bool? And(Func<string, bool> termAllowed)
    {
        var result = With(termAllowed);
        while (result is not null && IsOperator("AND"))
        {
            at++;
            var right = With(termAllowed);
            result = right is null ? null : result.Value & right.Value;
        }

        return result;
    }

    private bool? With(Func<string, bool> termAllowed)
    {
        var result = Primary(termAllowed);
        if (result is not null && IsOperator("WITH"))
        {
            at++;
            if (Peek is not { } exception || exception is "(" or ")" || IsKeyword(exception))
            {
                return null;
            }

            at++;
        }

        return result;
    }

    private bool? Primary(Func<string, bool> termAllowed)
    {
        if (Peek is not { } token || token == ")" || IsKeyword(token))
        {
            return null;
        }

        at++;
        if (token != "(")
        {
            return termAllowed(token);
        }

        var inner = Or(termAllowed);
        if (inner is null || Peek != ")")
        {
            return null;
        }

        at++;
        return inner;
    }
}
