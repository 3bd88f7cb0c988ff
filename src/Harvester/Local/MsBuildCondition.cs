using System.Text;
using System.Text.RegularExpressions;

namespace AutoRefiner.Harvester.Local;

/// <summary>
/// The part of MSBuild's property and condition language that project files use to choose their defines:
/// <c>$(Name)</c>, the string functions <c>Contains</c>/<c>StartsWith</c>/<c>EndsWith</c>/<c>Equals</c>/<c>ToLower</c>/<c>ToUpper</c>/<c>Trim</c>
/// on a property, <c>'a' == 'b'</c>, <c>!=</c>, <c>and</c>, <c>or</c>, <c>!</c>, parentheses and <c>Exists('…')</c>.
/// Anything else (<c>$([MSBuild]::…)</c>, version comparisons) is not evaluated: a condition that uses it is false and
/// a value that uses it loses that part, so an unknown construct never turns a group on.
/// </summary>
internal static partial class MsBuildCondition
{
    /// <summary>Thrown inside the evaluator when a construct is outside the supported subset.</summary>
    private sealed class UnsupportedException : Exception;

    /// <summary><paramref name="text"/> with each <c>$(…)</c> replaced by its value (an unsupported one by nothing).</summary>
    public static string Expand(string text, Func<string, string> property)
    {
        ArgumentNullException.ThrowIfNull(text);
        return ExpandCore(text, property, strict: false);
    }

    /// <summary>Whether <paramref name="condition"/> holds; an empty condition holds, an unsupported or malformed one does not.</summary>
    public static bool Holds(string? condition, Func<string, string> property, Func<string, bool> exists)
    {
        if (string.IsNullOrWhiteSpace(condition))
        {
            return true;
        }

        try
        {
            var parser = new Parser(Tokenize(condition), property, exists);
            var value = parser.Or();
            return parser.AtEnd ? Truth(value) : false;
        }
        catch (UnsupportedException)
        {
            return false;
        }
    }

    /// <summary>
    /// The longest value expanded: real defines are a few hundred characters, and a project whose properties double
    /// each other (<c>&lt;Q1&gt;$(Q0)$(Q0)&lt;/Q1&gt;</c>, …) would otherwise take all memory. A longer part is left out,
    /// like an unsupported one.
    /// </summary>
    internal const int MaxValueLength = 64 * 1024;

    /// <summary>How deep parentheses and <c>!</c> may nest in a condition before it counts as unsupported (false).</summary>
    internal const int MaxDepth = 64;

    private static string ExpandCore(string text, Func<string, string> property, bool strict)
    {
        if (!text.Contains("$(", StringComparison.Ordinal))
        {
            return text;
        }

        var sb = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            var start = text.IndexOf("$(", i, StringComparison.Ordinal);
            if (start < 0)
            {
                sb.Append(text, i, text.Length - i);
                break;
            }

            sb.Append(text, i, start - i);
            var end = MatchingParen(text, start + 1);
            if (end < 0)
            {
                if (strict)
                {
                    throw new UnsupportedException();
                }

                break;
            }

            var inner = text[(start + 2)..end];
            if (PropertyReference().Match(inner) is { Success: true } m)
            {
                var value = property(m.Groups["name"].Value);
                var part = m.Groups["function"].Success ? Call(value, m.Groups["function"].Value, m.Groups["argument"].Value, property, strict) : value;
                if (sb.Length + part.Length > MaxValueLength)
                {
                    if (strict)
                    {
                        throw new UnsupportedException();
                    }
                }
                else
                {
                    sb.Append(part);
                }
            }
            else if (strict)
            {
                throw new UnsupportedException();
            }

            i = end + 1;
        }

        return sb.ToString();
    }

    private static string Call(string value, string function, string argument, Func<string, string> property, bool strict)
    {
        var arg = ExpandCore(argument.Trim().Trim('\'', '"'), property, strict);
        return function.ToUpperInvariant() switch
        {
            "CONTAINS" => Bool(value.Contains(arg, StringComparison.Ordinal)),
            "STARTSWITH" => Bool(value.StartsWith(arg, StringComparison.Ordinal)),
            "ENDSWITH" => Bool(value.EndsWith(arg, StringComparison.Ordinal)),
            "EQUALS" => Bool(string.Equals(value, arg, StringComparison.Ordinal)),
            "TOLOWER" or "TOLOWERINVARIANT" => value.ToLowerInvariant(),
            "TOUPPER" or "TOUPPERINVARIANT" => value.ToUpperInvariant(),
            "TRIM" => value.Trim(),
            _ when strict => throw new UnsupportedException(),
            _ => "",
        };
    }

    private static string Bool(bool value) => value ? "true" : "false";

    private static int MatchingParen(string text, int open)
    {
        var depth = 0;
        for (var i = open; i < text.Length; i++)
        {
            if (text[i] == '(')
            {
                depth++;
            }
            else if (text[i] == ')' && --depth == 0)
            {
                return i;
            }
        }

        return -1;
    }

    private static bool Truth(string value) =>
        value.Equals("true", StringComparison.OrdinalIgnoreCase) || (value.Equals("false", StringComparison.OrdinalIgnoreCase) ? false : throw new UnsupportedException());

    private static List<string> Tokenize(string condition)
    {
        var tokens = new List<string>();
        var i = 0;
        while (i < condition.Length)
        {
            var c = condition[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c is '\'' or '"')
            {
                // Quotes inside a property function's arguments ('$(TargetFramework.StartsWith('net4'))') do not end the string.
                var end = i + 1;
                while (end < condition.Length && condition[end] != c)
                {
                    end = condition[end] == '$' && end + 1 < condition.Length && condition[end + 1] == '(' && MatchingParen(condition, end + 1) is var close and > 0
                        ? close + 1
                        : end + 1;
                }

                if (end >= condition.Length)
                {
                    throw new UnsupportedException();
                }

                tokens.Add(condition[i..(end + 1)]);
                i = end + 1;
            }
            else if (c == '$' && i + 1 < condition.Length && condition[i + 1] == '(')
            {
                // An unquoted property reference is a value like a quoted one.
                var end = MatchingParen(condition, i + 1);
                if (end < 0)
                {
                    throw new UnsupportedException();
                }

                tokens.Add("'" + condition[i..(end + 1)] + "'");
                i = end + 1;
            }
            else if (i + 1 < condition.Length && condition.Substring(i, 2) is "==" or "!=" or "<=" or ">=")
            {
                tokens.Add(condition.Substring(i, 2));
                i += 2;
            }
            else if (c is '(' or ')' or '!' or ',' or '<' or '>')
            {
                tokens.Add(c.ToString());
                i++;
            }
            else
            {
                var start = i;
                while (i < condition.Length && (char.IsLetterOrDigit(condition[i]) || condition[i] is '_' or '.' or '-'))
                {
                    i++;
                }

                if (i == start)
                {
                    throw new UnsupportedException();
                }

                tokens.Add(condition[start..i]);
            }
        }

        return tokens;
    }

    /// <summary>Recursive descent over the tokens; values are strings, as in MSBuild.</summary>
    private sealed class Parser(List<string> tokens, Func<string, string> property, Func<string, bool> exists)
    {
        private int _next;
        private int _depth;

        public bool AtEnd => _next == tokens.Count;

        private string? Peek => _next < tokens.Count ? tokens[_next] : null;

        private string Take() => _next < tokens.Count ? tokens[_next++] : throw new UnsupportedException();

        public string Or()
        {
            var left = And();
            while (string.Equals(Peek, "or", StringComparison.OrdinalIgnoreCase))
            {
                Take();
                var right = And();
                left = Bool(Truth(left) | Truth(right));
            }

            return left;
        }

        private string And()
        {
            var left = Comparison();
            while (string.Equals(Peek, "and", StringComparison.OrdinalIgnoreCase))
            {
                Take();
                var right = Comparison();
                left = Bool(Truth(left) & Truth(right));
            }

            return left;
        }

        private string Comparison()
        {
            var left = Unary();
            if (Peek is "==" or "!=")
            {
                var equal = Take() == "==";
                var right = Unary();
                return Bool(string.Equals(left, right, StringComparison.OrdinalIgnoreCase) == equal);
            }

            if (Peek is "<" or ">" or "<=" or ">=")
            {
                // Numeric and version comparisons are left out of the subset.
                throw new UnsupportedException();
            }

            return left;
        }

        private string Unary()
        {
            var token = Take();
            if (token is "!" or "(")
            {
                // Recursion is bounded: a condition nested thousands deep would overflow the stack and end the process.
                if (++_depth > MaxDepth)
                {
                    throw new UnsupportedException();
                }

                try
                {
                    if (token == "!")
                    {
                        return Bool(!Truth(Unary()));
                    }

                    var inner = Or();
                    return Take() == ")" ? inner : throw new UnsupportedException();
                }
                finally
                {
                    _depth--;
                }
            }

            if (token[0] is '\'' or '"')
            {
                return ExpandCore(token[1..^1], property, strict: true);
            }

            if (string.Equals(token, "Exists", StringComparison.OrdinalIgnoreCase) && Peek == "(")
            {
                Take();
                var path = Unary();
                return Take() == ")" ? Bool(exists(path)) : throw new UnsupportedException();
            }

            if (token.Equals("true", StringComparison.OrdinalIgnoreCase) || token.Equals("false", StringComparison.OrdinalIgnoreCase))
            {
                return token.ToLowerInvariant();
            }

            throw new UnsupportedException();
        }
    }

    [GeneratedRegex(@"^\s*(?<name>[A-Za-z_][A-Za-z0-9_\-]*)\s*(\.(?<function>[A-Za-z]+)\((?<argument>[^()]*)\))?\s*$")]
    private static partial Regex PropertyReference();
}
