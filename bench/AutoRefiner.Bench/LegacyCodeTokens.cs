using System.Collections.Frozen;

namespace AutoRefiner.Bench;

/// <summary>
/// The tokenizer before every declared name was canonicalised (commit 47767d2), kept only so <c>neardup</c> measures the
/// old and the new path in the same run. The tokens near-duplicate detection and decontamination compared: C# (or any C-like text) split into identifiers,
/// numbers, string literals and punctuation, with comments and white space dropped — so reformatting changes nothing —
/// and local names (lower-case identifiers that are not keywords and do not follow a dot) replaced by their order of
/// first appearance — so renaming variables and parameters changes nothing, while the APIs called (<c>.Select</c>,
/// <c>Math.Max</c>) and type names still tell methods apart. Each token is returned as a 32-bit hash.
/// </summary>
internal static class LegacyCodeTokens
{
    private static readonly FrozenSet<string> Keywords = new[]
    {
        "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const", "continue",
        "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern", "false", "finally",
        "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int", "interface", "internal", "is", "lock",
        "long", "namespace", "new", "null", "object", "operator", "out", "override", "params", "private", "protected",
        "public", "readonly", "ref", "return", "sbyte", "sealed", "short", "sizeof", "stackalloc", "static", "string",
        "struct", "switch", "this", "throw", "true", "try", "typeof", "uint", "ulong", "unchecked", "unsafe", "ushort",
        "using", "virtual", "void", "volatile", "while", "var", "async", "await", "yield", "nameof", "dynamic", "nint", "nuint",

        // Contextual keywords that are also common local names (value, from, group, file, …) are not listed: they are
        // renamed like any other local when used as one.
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The normalised token hashes of <paramref name="code"/>, appended to <paramref name="tokens"/>.</summary>
    public static void Tokenize(ReadOnlySpan<char> code, List<uint> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        Dictionary<int, uint>? locals = null;
        var previousWasDot = false;
        var i = 0;
        while (i < code.Length)
        {
            var c = code[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            if (c == '/' && i + 1 < code.Length && code[i + 1] == '/')
            {
                while (i < code.Length && code[i] != '\n')
                {
                    i++;
                }

                continue;
            }

            if (c == '/' && i + 1 < code.Length && code[i + 1] == '*')
            {
                var end = code[(i + 2)..].IndexOf("*/");
                i = end < 0 ? code.Length : i + 2 + end + 2;
                continue;
            }

            if (char.IsLetter(c) || c == '_' || c == '@')
            {
                var start = i;
                i++;
                while (i < code.Length && (char.IsLetterOrDigit(code[i]) || code[i] == '_'))
                {
                    i++;
                }

                var word = code[start..i];
                if (word[0] == '@')
                {
                    word = word[1..];
                }

                if (!previousWasDot && word.Length > 0 && char.IsLower(word[0]) && !IsKeyword(word))
                {
                    locals ??= [];
                    var key = string.GetHashCode(word, StringComparison.Ordinal);
                    if (!locals.TryGetValue(key, out var placeholder))
                    {
                        locals[key] = placeholder = 0x9E3779B9u * (uint)(locals.Count + 1);
                    }

                    tokens.Add(placeholder);
                }
                else
                {
                    tokens.Add(Hash(word));
                }

                previousWasDot = false;
                continue;
            }

            if (char.IsDigit(c))
            {
                var start = i;
                while (i < code.Length && (char.IsLetterOrDigit(code[i]) || code[i] == '.' || code[i] == '_'))
                {
                    i++;
                }

                tokens.Add(Hash(code[start..i]));
                previousWasDot = false;
                continue;
            }

            if (c is '"' or '\'')
            {
                var start = i;
                i++;
                while (i < code.Length && code[i] != c && code[i] != '\n')
                {
                    i += code[i] == '\\' ? 2 : 1;
                }

                i = Math.Min(i + 1, code.Length);
                tokens.Add(Hash(code[start..i]));
                previousWasDot = false;
                continue;
            }

            tokens.Add(c);
            previousWasDot = c == '.';
            i++;
        }
    }

    private static bool IsKeyword(ReadOnlySpan<char> word) =>
        word.Length <= 12 && Keywords.GetAlternateLookup<ReadOnlySpan<char>>().Contains(word);

    /// <summary>FNV-1a over the characters: stable across runs and machines (unlike <see cref="string.GetHashCode()"/>).</summary>
    public static uint Hash(ReadOnlySpan<char> text)
    {
        var h = 2166136261u;
        foreach (var ch in text)
        {
            h = (h ^ ch) * 16777619u;
        }

        return h;
    }
}
