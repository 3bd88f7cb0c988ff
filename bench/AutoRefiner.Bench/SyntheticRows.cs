using System.Globalization;
using System.Text;
using AutoRefiner.Core.Model;

namespace AutoRefiner.Bench;

/// <summary>
/// Deterministic, realistic-looking dataset rows for the export benchmark: an instruction of ~400 characters written
/// like the doc-comment generator's, a response holding a ~1.5 KB C# unit in a <c>```csharp</c> block (a documented
/// class with constants, a method built from common statement shapes and a helper), and GitHub provenance. Every
/// row differs (identifiers, literals, statement mix), so compression ratios are not flattered by repetition.
/// </summary>
internal static class SyntheticRows
{
    private static readonly string[] Words =
    [
        "value", "count", "index", "name", "item", "items", "buffer", "result", "source", "target", "key", "map", "cache",
        "node", "tree", "path", "file", "line", "text", "token", "parser", "reader", "writer", "stream", "offset", "length",
        "start", "end", "range", "segment", "chunk", "batch", "queue", "stack", "list", "set", "entry", "record", "row",
        "column", "table", "schema", "field", "property", "member", "type", "kind", "mode", "state", "status", "error",
        "message", "code", "hash", "seed", "score", "weight", "limit", "size", "capacity", "total", "sum", "average", "max",
        "min", "delta", "step", "order", "rank", "group", "match", "pattern", "filter", "query", "request", "response",
        "client", "server", "session", "user", "account", "order", "invoice", "price", "amount", "currency", "date", "time",
        "duration", "timeout", "retry", "policy", "option", "config", "setting", "format", "culture", "encoding", "prefix",
        "suffix", "separator", "header", "payload", "content", "body", "window", "frame", "vector", "matrix", "point",
        "shape", "color", "pixel", "image", "graph", "edge", "vertex", "weight", "distance", "visited", "pending", "ready",
    ];

    private static readonly string[] Verbs =
    [
        "Get", "Find", "Compute", "Parse", "Format", "Build", "Create", "Normalize", "Merge", "Split", "Count", "Filter",
        "Sort", "Group", "Validate", "Convert", "Encode", "Decode", "Resolve", "Apply", "Collect", "Flatten", "Trim",
        "Scan", "Read", "Write", "Compare", "Combine", "Estimate", "Measure", "Select", "Partition", "Rotate", "Clamp",
    ];

    private static readonly string[] Types = ["int", "long", "string", "double", "bool", "int[]", "IReadOnlyList<int>", "IEnumerable<string>", "List<string>", "Dictionary<string, int>", "ReadOnlySpan<char>", "decimal"];

    private static readonly string[] Licenses = ["mit", "mit", "mit", "apache-2.0", "apache-2.0", "bsd-3-clause", "bsd-2-clause"];

    /// <summary>Makes <paramref name="count"/> passed samples, deterministically from <paramref name="seed"/>.</summary>
    public static List<Judged> Make(int count, int seed = 42)
    {
        var rng = new Random(seed);
        var repos = Enumerable.Range(0, 200).Select(_ => (Repo: $"{Pascal(rng, 1).ToLowerInvariant()}-{Word(rng)}/{Pascal(rng, 2)}", Commit: Hex(rng, 40))).ToArray();
        var rows = new List<Judged>(count);
        for (var i = 0; i < count; i++)
        {
            var (repo, commit) = repos[rng.Next(repos.Length)];
            var type = Pascal(rng, 2) + (rng.Next(3) == 0 ? "Extensions" : "");
            var isStatic = rng.Next(3) > 0;
            var method = Verbs[rng.Next(Verbs.Length)] + Pascal(rng, rng.Next(1, 3));
            var ret = Types[rng.Next(Types.Length)];
            var parameters = Enumerable.Range(0, rng.Next(1, 4)).Select(_ => (Type: Types[rng.Next(Types.Length)], Name: Camel(rng, rng.Next(1, 3)))).DistinctBy(p => p.Name).ToList();
            var signature = $"public {(isStatic ? "static " : "")}{ret} {method}({string.Join(", ", parameters.Select(p => $"{p.Type} {p.Name}"))})";
            var summary = Sentence(rng, 8, 16);
            var path = $"src/{Pascal(rng, 1)}/{Pascal(rng, 1)}/{type}.cs";
            var code = Code(rng, type, isStatic, signature, summary, parameters, ret);
            var instruction = Instruction(rng, type, isStatic, signature, summary, parameters);
            var response = $"```csharp\n{code.TrimEnd()}\n```";
            var candidate = new Candidate
            {
                Task = "doc-comments",
                Instruction = instruction,
                Response = response,
                Generator = "doc-comments",
                PromptVersion = "doc-comments/1",
                Provenance = new Provenance(repo, path, commit, Licenses[rng.Next(Licenses.Length)], $"https://github.com/{repo}/blob/{commit}/{path}"),
                SeedId = Hex(rng, 64),
            };
            rows.Add(new Judged(candidate, Verdict.Passed, ""));
        }

        return rows;
    }

    private static string Instruction(Random rng, string type, bool isStatic, string signature, string summary, List<(string Type, string Name)> parameters)
    {
        var sb = new StringBuilder();
        sb.Append("Write a C# method in `").Append(isStatic ? "static class " : "class ").Append(type).Append("` with this signature:\n\n");
        sb.Append("```csharp\n").Append(signature).Append("\n```\n\n").Append(summary).Append('\n');
        sb.Append("\nParameters:\n");
        foreach (var p in parameters)
        {
            sb.Append("- `").Append(p.Name).Append("`: ").Append(Sentence(rng, 3, 7)).Append('\n');
        }

        sb.Append("\nReturns: ").Append(Sentence(rng, 4, 9)).Append('\n');
        sb.Append("\nGive complete code that compiles on its own.");
        return sb.ToString();
    }

    private static string Code(Random rng, string type, bool isStatic, string signature, string summary, List<(string Type, string Name)> parameters, string ret)
    {
        var target = rng.Next(1300, 1750);
        var constant = Pascal(rng, 2);
        var field = "_" + Camel(rng, 2);
        var helper = Verbs[rng.Next(Verbs.Length)] + Pascal(rng, 1);
        var sb = new StringBuilder();
        sb.Append("using System.Text;\n\nnamespace ").Append(Pascal(rng, 1)).Append('.').Append(Pascal(rng, 1)).Append(";\n\n");
        sb.Append("/// <summary>").Append(Sentence(rng, 6, 12)).Append("</summary>\n");
        sb.Append("public ").Append(isStatic ? "static " : "sealed ").Append("class ").Append(type).Append("\n{\n");
        sb.Append("    private const int ").Append(constant).Append(" = ").Append(rng.Next(2, 4096).ToString(CultureInfo.InvariantCulture)).Append(";\n");
        sb.Append("    private ").Append(isStatic ? "static " : "").Append("readonly string[] ").Append(field).Append(" = [")
          .AppendJoin(", ", Enumerable.Range(0, rng.Next(2, 5)).Select(_ => $"\"{Word(rng)}\"")).Append("];\n\n");
        sb.Append("    /// <summary>").Append(summary).Append("</summary>\n");
        foreach (var p in parameters)
        {
            sb.Append("    /// <param name=\"").Append(p.Name).Append("\">").Append(Sentence(rng, 4, 9)).Append("</param>\n");
        }

        sb.Append("    /// <returns>").Append(Sentence(rng, 5, 10)).Append("</returns>\n");
        sb.Append("    ").Append(signature).Append("\n    {\n");
        var helperStart = target - 260;
        while (sb.Length < helperStart)
        {
            sb.Append(Statement(rng, parameters, constant, field, helper, "        "));
        }

        sb.Append("        return ").Append(DefaultOf(ret, rng)).Append(";\n    }\n\n");
        var hp = Camel(rng, 1);
        sb.Append("    private static int ").Append(helper).Append("(string ").Append(hp).Append(")\n    {\n");
        sb.Append("        var hash = ").Append(rng.Next(1, 99991).ToString(CultureInfo.InvariantCulture)).Append(";\n");
        sb.Append("        foreach (var c in ").Append(hp).Append(")\n        {\n            hash = unchecked((hash * 31) + c);\n        }\n\n");
        sb.Append("        return hash % ").Append(constant).Append(";\n    }\n}\n");
        return sb.ToString();
    }

    private static string Statement(Random rng, List<(string Type, string Name)> parameters, string constant, string field, string helper, string indent)
    {
        var p = parameters[rng.Next(parameters.Count)].Name;
        var v = Camel(rng, rng.Next(1, 3));
        var w = Camel(rng, 1);
        var n = rng.Next(0, 1000).ToString(CultureInfo.InvariantCulture);
        return rng.Next(12) switch
        {
            0 => $"{indent}ArgumentNullException.ThrowIfNull({p});\n",
            1 => $"{indent}var {v} = new List<string>(capacity: {constant});\n",
            2 => $"{indent}foreach (var {w} in {field})\n{indent}{{\n{indent}    if ({w}.Length > {n} || {w}.StartsWith('{(char)('a' + rng.Next(26))}'))\n{indent}    {{\n{indent}        continue;\n{indent}    }}\n{indent}}}\n\n",
            3 => $"{indent}for (var i = 0; i < {constant}; i++)\n{indent}{{\n{indent}    {v}Total += i * {n};\n{indent}}}\n\n",
            4 => $"{indent}if (string.IsNullOrEmpty({p}?.ToString()))\n{indent}{{\n{indent}    throw new ArgumentException(\"{Sentence(rng, 3, 7)}\", nameof({p}));\n{indent}}}\n\n",
            5 => $"{indent}var {v} = {field}.Where(x => x.Length > {n}).Select(x => x.Trim().ToUpperInvariant()).ToList();\n",
            6 => $"{indent}var {v}Builder = new StringBuilder();\n{indent}{v}Builder.Append(\"{w}\").Append(':').Append({p});\n",
            7 => $"{indent}// {Sentence(rng, 6, 14)}\n",
            8 => $"{indent}var {v}Hash = {helper}({p}?.ToString() ?? \"{w}\");\n",
            9 => $"{indent}switch ({v}Hash % 3)\n{indent}{{\n{indent}    case 0:\n{indent}        {v}Count++;\n{indent}        break;\n{indent}    default:\n{indent}        {v}Count += {n};\n{indent}        break;\n{indent}}}\n\n",
            10 => $"{indent}var {v}Text = $\"{w} {{{p}}} of {{{constant}}}\";\n",
            _ => $"{indent}if ({v}Count >= {constant} && {v}Count % {rng.Next(2, 17)} == 0)\n{indent}{{\n{indent}    return {v}Count;\n{indent}}}\n\n",
        };
    }

    private static string DefaultOf(string type, Random rng) => type switch
    {
        "int" or "long" or "double" or "decimal" => rng.Next(0, 100).ToString(CultureInfo.InvariantCulture),
        "string" => $"\"{Word(rng)}\"",
        "bool" => rng.Next(2) == 0 ? "false" : "true",
        "ReadOnlySpan<char>" => "default",
        _ => "[]",
    };

    private static string Word(Random rng) => Words[rng.Next(Words.Length)];

    private static string Pascal(Random rng, int words) =>
        string.Concat(Enumerable.Range(0, words).Select(_ => Word(rng)).Select(w => char.ToUpperInvariant(w[0]) + w[1..]));

    private static string Camel(Random rng, int words)
    {
        var p = Pascal(rng, words);
        return char.ToLowerInvariant(p[0]) + p[1..];
    }

    private static string Sentence(Random rng, int min, int max)
    {
        var s = string.Join(' ', Enumerable.Range(0, rng.Next(min, max + 1)).Select(_ => rng.Next(5) == 0 ? Verbs[rng.Next(Verbs.Length)].ToLowerInvariant() + "s" : Word(rng)));
        return char.ToUpperInvariant(s[0]) + s[1..] + ".";
    }

    private static string Hex(Random rng, int length)
    {
        var bytes = new byte[length / 2];
        rng.NextBytes(bytes);
        return Convert.ToHexStringLower(bytes);
    }
}
