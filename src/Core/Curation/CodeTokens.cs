using System.Collections.Frozen;

namespace AutoRefiner.Core.Curation;

/// <summary>
/// The tokens near-duplicate detection and decontamination compare: C# (or any C-like text) split into identifiers,
/// numbers, string literals and punctuation, with comments and white space dropped — so reformatting changes nothing —
/// and every name the unit declares itself (its types, members, constants, parameters, locals and type parameters), as
/// well as any other lower-case name not after a dot, replaced by its order of first appearance among the names of its
/// kind (types, members, type parameters, values) — so renaming any of them changes nothing, and a copy with or without
/// the class around it numbers its variables alike — while the names bound outside the unit (the APIs called,
/// <c>.Select</c>, <c>Math.Max</c>, BCL types) and the literals still tell methods apart. Each token is returned as a
/// 32-bit hash.
/// </summary>
public static class CodeTokens
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
        var lexed = t_lexed ??= new List<Lexeme>(512);
        lexed.Clear();
        Lex(code, lexed);
        var declared = t_declared ??= new Dictionary<uint, NameKind>();
        declared.Clear();
        DeclaredNames(code, lexed, declared);

        // Each kind of name is numbered on its own, so a copy that adds or drops a wrapper (the class around a method)
        // or a member numbers its variables as the original does.
        var names = t_names ??= new Dictionary<uint, uint>();
        names.Clear();
        Span<uint> perKind = stackalloc uint[KindCount];
        var previousWasDot = false;
        foreach (var t in lexed)
        {
            switch (t.Kind)
            {
                case LexemeKind.Word:
                    var at = code[t.Start] == '@' ? 1 : 0;
                    var isDeclared = declared.TryGetValue(t.Hash, out var kind);
                    if ((t.Flags & WordFlags.Keyword) == 0 && t.Length > at && (isDeclared || (!previousWasDot && char.IsLower(code[t.Start + at]))))
                    {
                        if (!names.TryGetValue(t.Hash, out var placeholder))
                        {
                            // Members and values share one numbering (which value a statement uses tells methods apart);
                            // types and type parameters have their own.
                            kind = isDeclared && kind is NameKind.Type or NameKind.TypeParameter ? kind : NameKind.Value;
                            names[t.Hash] = placeholder = (0x9E3779B9u * ++perKind[(int)kind]) ^ KindSeeds[(int)kind];
                        }

                        tokens.Add(placeholder);
                    }
                    else
                    {
                        tokens.Add(t.Hash);
                    }

                    previousWasDot = false;
                    break;
                case LexemeKind.Punctuation:
                    tokens.Add(code[t.Start]);
                    previousWasDot = code[t.Start] == '.';
                    break;
                default:
                    tokens.Add(Hash(code.Slice(t.Start, t.Length)));
                    previousWasDot = false;
                    break;
            }
        }
    }

    [ThreadStatic]
    private static List<Lexeme>? t_lexed;

    [ThreadStatic]
    private static Dictionary<uint, NameKind>? t_declared;

    [ThreadStatic]
    private static Dictionary<uint, uint>? t_names;

    /// <summary>What a declared name names: its placeholders are numbered apart from the other kinds'.</summary>
    private enum NameKind : byte
    {
        /// <summary>Fields, constants, properties, enum members, parameters, locals, lambda and pattern variables.</summary>
        Value,

        /// <summary>Methods, local functions, constructors' and delegates' names when called.</summary>
        Member,

        /// <summary>Classes, structs, interfaces, enums, records, delegates.</summary>
        Type,

        /// <summary>Type parameters.</summary>
        TypeParameter,
    }

    private const int KindCount = 4;

    private static readonly uint[] KindSeeds = [0u, 0x85EBCA6Bu, 0xC2B2AE35u, 0x27D4EB2Fu];

    private enum LexemeKind : byte
    {
        Word,
        Number,
        Text,
        Punctuation,
    }

    /// <summary>What a word is, looked up once when it is lexed.</summary>
    [Flags]
    private enum WordFlags : byte
    {
        None = 0,

        /// <summary>A C# keyword (never a name).</summary>
        Keyword = 1,

        /// <summary>A keyword that is a type (<c>int</c>, <c>var</c>), so the word after it can be a declared name.</summary>
        TypeKeyword = 2,

        /// <summary><c>class</c>, <c>struct</c>, … : the word after it is a declared type's name.</summary>
        Declaring = 4,
    }

    /// <summary>A lexeme; a word's <see cref="Hash"/> is its text's (without a leading <c>@</c>), computed once.</summary>
    private readonly record struct Lexeme(int Start, int Length, LexemeKind Kind, WordFlags Flags = WordFlags.None, uint Hash = 0);

    /// <summary>Splits code into words, numbers, string and char literals and punctuation; comments and white space go.</summary>
    private static void Lex(ReadOnlySpan<char> code, List<Lexeme> lexed)
    {
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

            var start = i;
            if (char.IsLetter(c) || c == '_' || c == '@')
            {
                i++;
                while (i < code.Length && (char.IsLetterOrDigit(code[i]) || code[i] == '_'))
                {
                    i++;
                }

                var word = code[start] == '@' ? code[(start + 1)..i] : code[start..i];
                var flags = word.Length <= 12 && WordKinds.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(word, out var known) ? known : WordFlags.None;
                lexed.Add(new Lexeme(start, i - start, LexemeKind.Word, flags, Hash(word)));
                continue;
            }

            if (char.IsDigit(c))
            {
                while (i < code.Length && (char.IsLetterOrDigit(code[i]) || code[i] == '.' || code[i] == '_'))
                {
                    i++;
                }

                lexed.Add(new Lexeme(start, i - start, LexemeKind.Number));
                continue;
            }

            if (c is '"' or '\'')
            {
                i++;
                while (i < code.Length && code[i] != c && code[i] != '\n')
                {
                    i += code[i] == '\\' ? 2 : 1;
                }

                i = Math.Min(i + 1, code.Length);
                lexed.Add(new Lexeme(start, i - start, LexemeKind.Text));
                continue;
            }

            lexed.Add(new Lexeme(start, 1, LexemeKind.Punctuation));
            i++;
        }
    }

    /// <summary>
    /// The names the code declares itself — types, members, constants, parameters, locals, type parameters, enum
    /// members — found from where they stand: after <c>class</c>/<c>struct</c>/<c>interface</c>/<c>enum</c>/<c>record</c>,
    /// or after a type and before <c>( = ; , ) { &lt; in</c>. Every other name is bound outside the unit (an API, a BCL
    /// type) and is kept. A lexical pass, not Roslyn's binder: measured, binding each snippet costs far more than the
    /// whole near-duplicate path (docs/benchmarks.md §8).
    /// </summary>
    private static void DeclaredNames(ReadOnlySpan<char> code, List<Lexeme> t, Dictionary<uint, NameKind> declared)
    {
        Span<bool> genericClose = t.Count <= 1024 ? stackalloc bool[t.Count] : new bool[t.Count];
        new Declarations(code, t, genericClose, declared).Find();
    }

    /// <summary>The lexical search behind <see cref="DeclaredNames"/>, over one snippet's lexemes.</summary>
    private readonly ref struct Declarations(ReadOnlySpan<char> code, List<Lexeme> t, Span<bool> genericClose, Dictionary<uint, NameKind> declared)
    {
        private readonly ReadOnlySpan<char> _code = code;
        private readonly Span<bool> _genericClose = genericClose;

        private bool Is(int i, char c) => i >= 0 && i < t.Count && t[i].Kind == LexemeKind.Punctuation && _code[t[i].Start] == c;

        private bool IsWord(int i) => i >= 0 && i < t.Count && t[i].Kind == LexemeKind.Word;

        private ReadOnlySpan<char> Text(int i) => _code.Slice(t[i].Start, t[i].Length);

        private bool IsWordText(int i, string text) => IsWord(i) && Text(i).SequenceEqual(text);

        private void Declare(int i, NameKind kind = NameKind.Value) => declared.TryAdd(t[i].Hash, kind);

        private bool IsKeywordAt(int i) => (t[i].Flags & WordFlags.Keyword) != 0;

        /// <summary>A word that can end a type: a name, or a keyword that is a type.</summary>
        private bool IsTypeWord(int i) => IsWord(i) && (!IsKeywordAt(i) || (t[i].Flags & WordFlags.TypeKeyword) != 0);

        private bool EndsType(int i) =>
            IsTypeWord(i)
            || (Is(i, '>') && _genericClose[i])
            || (Is(i, ']') && Is(i - 1, '['))
            || (Is(i, '?') && !Is(i - 1, '?') && (IsTypeWord(i - 1) || (Is(i - 1, '>') && _genericClose[i - 1])));

        public void Find()
        {
            // Where a generic argument list closes (List<int> xs), so a '>' there ends a type rather than a comparison.
            for (var i = 1; i < t.Count; i++)
            {
                if (Is(i, '<') && IsWord(i - 1))
                {
                    MarkGenericClose(i);
                }
            }

            for (var i = 0; i < t.Count; i++)
            {
                if (Is(i, ')') && Is(i + 1, '=') && Is(i + 2, '>'))
                {
                    DeclareLambdaParameters(i);
                    continue;
                }

                if (IsWordText(i, "var") && Is(i + 1, '('))
                {
                    DeclareDeconstruction(i + 1);
                    continue;
                }

                if (!IsWord(i) || IsKeywordAt(i))
                {
                    continue;
                }

                // A lambda's lone parameter: x => ….
                if (Is(i + 1, '=') && Is(i + 2, '>') && (Is(i - 1, '(') || Is(i - 1, ',') || Is(i - 1, '=') || IsWordText(i - 1, "return") || IsWordText(i - 1, "async")))
                {
                    Declare(i);
                    continue;
                }

                // A property pattern's designation: x is { Length: > 0 } text ? … : ….
                if (Is(i - 1, '}') && (Is(i + 1, ')') || Is(i + 1, '?') || Is(i + 1, '&') || Is(i + 1, '|')))
                {
                    Declare(i);
                    continue;
                }

                var afterTypeKeyword = IsWord(i - 1) && (t[i - 1].Flags & WordFlags.Declaring) != 0;
                var next = i + 1;
                var beforeDeclarator = next < t.Count
                    && (Is(next, '=') || Is(next, '(') || Is(next, ';') || Is(next, ',') || Is(next, ')') || Is(next, '{') || Is(next, '<') || IsWordText(next, "in"))
                    && !(Is(next, '=') && Is(next + 1, '='));
                if (!afterTypeKeyword && !(beforeDeclarator && EndsType(i - 1)))
                {
                    continue;
                }

                Declare(i, afterTypeKeyword ? NameKind.Type : Is(next, '(') || Is(next, '<') ? NameKind.Member : NameKind.Value);
                if (Is(next, '<'))
                {
                    DeclareTypeParameters(next);
                }

                if (afterTypeKeyword && IsWordText(i - 1, "enum"))
                {
                    DeclareEnumMembers(i + 1);
                }
            }
        }

        private void MarkGenericClose(int open)
        {
            var depth = 0;
            for (var j = open; j < t.Count && j < open + 32; j++)
            {
                if (Is(j, '<'))
                {
                    depth++;
                }
                else if (Is(j, '>'))
                {
                    if (--depth == 0)
                    {
                        _genericClose[j] = true;
                        return;
                    }
                }
                else if (!(IsWord(j) || Is(j, ',') || Is(j, '.') || Is(j, '?') || Is(j, '[') || Is(j, ']') || Is(j, '(') || Is(j, ')')))
                {
                    return;
                }
            }
        }

        /// <summary>The names of a deconstruction: var (a, b) = …, foreach (var (key, value) in …).</summary>
        private void DeclareDeconstruction(int open)
        {
            var depth = 0;
            for (var j = open; j < t.Count && j < open + 64; j++)
            {
                depth += Is(j, '(') ? 1 : Is(j, ')') ? -1 : 0;
                if (depth == 0)
                {
                    return;
                }

                if (IsWord(j) && !IsKeywordAt(j) && (Is(j + 1, ',') || Is(j + 1, ')')))
                {
                    Declare(j);
                }
            }
        }

        /// <summary>A parenthesised lambda's parameters, typed or not: (a, b) => …, (int a, string b) => ….</summary>
        private void DeclareLambdaParameters(int close)
        {
            var depth = 0;
            for (var j = close; j >= 0 && j > close - 64; j--)
            {
                depth += Is(j, ')') ? 1 : Is(j, '(') ? -1 : 0;
                if (depth == 0)
                {
                    return;
                }

                if (depth == 1 && IsWord(j) && !IsKeywordAt(j) && (Is(j + 1, ',') || Is(j + 1, ')')))
                {
                    Declare(j);
                }
            }
        }

        /// <summary>Type parameters: Box&lt;T&gt;, Map&lt;TKey, TValue&gt;(…).</summary>
        private void DeclareTypeParameters(int open)
        {
            for (var j = open + 1; j < t.Count && !Is(j, '>') && j < open + 32; j++)
            {
                if (IsWord(j) && !IsKeywordAt(j) && !IsWordText(j, "in") && !IsWordText(j, "out") && (Is(j - 1, '<') || Is(j - 1, ',') || IsWord(j - 1)))
                {
                    Declare(j, NameKind.TypeParameter);
                }
            }
        }

        /// <summary>Enum members: the words right after '{' or ',' in the enum's body.</summary>
        private void DeclareEnumMembers(int from)
        {
            var open = from;
            while (open < t.Count && !Is(open, '{'))
            {
                open++;
            }

            var depth = 0;
            for (var j = open; j < t.Count; j++)
            {
                depth += Is(j, '{') || Is(j, '(') ? 1 : Is(j, '}') || Is(j, ')') ? -1 : 0;
                if (depth == 0)
                {
                    return;
                }

                if (depth == 1 && IsWord(j) && (Is(j - 1, '{') || Is(j - 1, ',')))
                {
                    Declare(j);
                }
            }
        }
    }

    /// <summary>Keywords after which the next word is the name of a declared type.</summary>
    private static readonly FrozenSet<string> DeclaringKeywords =
        new[] { "class", "struct", "interface", "enum", "record", "delegate" }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Keywords that are types, so a word after one is a declared name (int count = 0).</summary>
    private static readonly FrozenSet<string> TypeKeywords = new[]
    {
        "bool", "byte", "char", "decimal", "double", "float", "int", "long", "object", "sbyte", "short", "string", "uint",
        "ulong", "ushort", "void", "var", "dynamic", "nint", "nuint",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Every keyword, type keyword and declaring keyword with what it is: one lookup per word.</summary>
    private static readonly FrozenDictionary<string, WordFlags> WordKinds = Keywords.Concat(TypeKeywords).Concat(DeclaringKeywords)
        .Distinct(StringComparer.Ordinal)
        .ToFrozenDictionary(
            w => w,
            w => (Keywords.Contains(w) ? WordFlags.Keyword : WordFlags.None) | (TypeKeywords.Contains(w) ? WordFlags.TypeKeyword : WordFlags.None)
                 | (DeclaringKeywords.Contains(w) ? WordFlags.Declaring : WordFlags.None),
            StringComparer.Ordinal);

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
