using System.Text;
using System.Text.RegularExpressions;
using AutoRefiner.Core.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoRefiner.Generator.Instruct;

/// <summary>
/// Reads the answer format of docs/how-it-works.md, "Instruct pairs (LLM)" (<c>[Instruction]</c>, <c>[Response]</c>, <c>[Tests]</c>) as tolerantly as is
/// safe: headers in any case, bracketed, as markdown headings or bold, with or without a colon; fences tagged
/// <c>csharp</c>, <c>cs</c>, <c>c#</c> or untagged; prose around everything; a reasoning model's <c>&lt;think&gt;</c>
/// block. Code a model forgot to fence is taken when it parses as C# declarations. Anything else is a reason, not an
/// exception: the caller turns it into the verdict <c>unparseable</c>.
/// </summary>
internal static partial class AnswerParser
{
    private enum Section
    {
        Instruction,
        Response,
        Tests,
    }

    /// <summary>Parses an answer; exactly one of the results is non-null.</summary>
    public static (ParsedAnswer? Answer, string? Error) Parse(string answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var text = Think().Replace(answer.ReplaceLineEndings("\n"), "");
        if (text.TrimStart().StartsWith("<think>", StringComparison.OrdinalIgnoreCase))
        {
            return (null, "the answer is only an unfinished <think> block (it may have hit llm.max-tokens)");
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, "the answer is empty");
        }

        var sections = Split(text);
        var missing = Enum.GetValues<Section>().Where(s => !sections.ContainsKey(s)).Select(s => $"[{s}]").ToList();
        if (missing.Count == 3)
        {
            return (null, $"the answer has none of the [Instruction], [Response] and [Tests] sections; it begins: {Preview(text)}");
        }

        if (missing.Count > 0)
        {
            return (null, $"the answer has no {string.Join(" or ", missing)} section");
        }

        var instruction = sections[Section.Instruction].Trim();
        if (instruction.Length == 0)
        {
            return (null, "the [Instruction] section is empty");
        }

        var (solution, explanation, solutionError) = Code(sections[Section.Response], "[Response]");
        if (solution is null)
        {
            return (null, solutionError);
        }

        var (tests, _, testsError) = Code(sections[Section.Tests], "[Tests]");
        return tests is null ? (null, testsError) : (new ParsedAnswer(instruction, explanation, solution, tests), null);
    }

    /// <summary>The text under each header (the first occurrence wins; headers inside code fences do not count).</summary>
    private static Dictionary<Section, string> Split(string text)
    {
        var sections = new Dictionary<Section, StringBuilder>();
        StringBuilder? current = null;
        char fence = '\0';
        var fenceLength = 0;
        foreach (var line in text.Split('\n'))
        {
            var trimmed = line.Trim();
            if (fence == '\0' && Header(trimmed) is { } header)
            {
                current = sections.ContainsKey(header.Section) ? null : sections[header.Section] = new StringBuilder();
                current?.Append(header.Text).Append('\n');
                continue;
            }

            if (FenceRun(trimmed) is var (c, n) && n >= 3)
            {
                if (fence == '\0')
                {
                    (fence, fenceLength) = (c, n);
                }
                else if (c == fence && n >= fenceLength && trimmed.Length == n)
                {
                    fence = '\0';
                }
            }

            current?.Append(line).Append('\n');
        }

        return sections.ToDictionary(kv => kv.Key, kv => kv.Value.ToString());
    }

    private static (char Char, int Length) FenceRun(string trimmed)
    {
        if (trimmed.Length == 0 || trimmed[0] is not ('`' or '~'))
        {
            return ('\0', 0);
        }

        var n = 0;
        while (n < trimmed.Length && trimmed[n] == trimmed[0])
        {
            n++;
        }

        return (trimmed[0], n);
    }

    private static (Section Section, string Text)? Header(string line)
    {
        var match = HeaderLine().Match(line);
        if (!match.Success)
        {
            return null;
        }

        // A bare word is a header only alone on its line ("Tests:"); decorated forms may carry text after them.
        var decorated = match.Groups["hash"].Success || match.Groups["bracket"].Success || match.Groups["bold"].Success;
        var rest = match.Groups["rest"].Value.Trim();
        if (!decorated && rest.Length > 0)
        {
            return null;
        }

        var section = match.Groups["name"].Value.ToUpperInvariant() switch
        {
            "INSTRUCTION" or "PROBLEM" or "TASK" => Section.Instruction,
            "RESPONSE" or "SOLUTION" => Section.Response,
            _ => Section.Tests,
        };
        return (section, rest);
    }

    /// <summary>The first C# block of a section and the prose around it; unfenced code when it parses as declarations.</summary>
    private static (string? Code, string Explanation, string? Error) Code(string section, string name)
    {
        var blocks = CodeBlocks.All(section).ToList();
        var csharp = blocks.FirstOrDefault(b => b.Tag.ToUpperInvariant() is "CSHARP" or "CS" or "C#" or "");
        if (csharp.Body is { } body && body.Trim().Length > 0)
        {
            return (body.TrimEnd() + "\n", Prose(section), null);
        }

        if (blocks.Count > 0)
        {
            return (null, "", $"the {name} section has code only in a block tagged '{blocks[0].Tag}', not C#");
        }

        var fenceStart = section.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => FenceRun(l).Length >= 3);
        if (fenceStart is not null)
        {
            return (null, "", $"the {name} section's code block is never closed (the answer may have hit llm.max-tokens)");
        }

        return Unfenced(section) is { } recovered
            ? (recovered.Code, recovered.Prose, null)
            : (null, "", $"the {name} section has no ```csharp code block");
    }

    /// <summary>The section without its first C# block: the explanation.</summary>
    private static string Prose(string section)
    {
        var lines = section.Split('\n');
        var sb = new StringBuilder();
        var inFence = false;
        var done = false;
        char fence = '\0';
        var fenceLength = 0;
        foreach (var line in lines)
        {
            var (c, n) = FenceRun(line.Trim());
            if (!done && !inFence && n >= 3)
            {
                (inFence, fence, fenceLength) = (true, c, n);
                continue;
            }

            if (inFence)
            {
                if (c == fence && n >= fenceLength && line.Trim().Length == n)
                {
                    (inFence, done) = (false, true);
                }

                continue;
            }

            sb.Append(line).Append('\n');
        }

        return MultipleBlankLines().Replace(sb.ToString().Trim(), "\n\n");
    }

    /// <summary>
    /// Code written without a fence: from the first line that starts a declaration to the end of the section, kept only
    /// when it parses without errors and declares at least one type.
    /// </summary>
    private static (string Code, string Prose)? Unfenced(string section)
    {
        var lines = section.Split('\n');
        var start = Array.FindIndex(lines, l => DeclarationStart().IsMatch(l));
        if (start < 0)
        {
            return null;
        }

        var code = string.Join('\n', lines[start..]).Trim() + "\n";
        var tree = CSharpSyntaxTree.ParseText(code, CSharp.ReferenceSet.ParseOptions);
        var root = tree.GetRoot();
        if (tree.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error)
            || !root.DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax).OfType<BaseTypeDeclarationSyntax>().Any())
        {
            return null;
        }

        return (code, string.Join('\n', lines[..start]).Trim());
    }

    private static string Preview(string text)
    {
        var oneLine = text.ReplaceLineEndings(" ").Trim();
        return oneLine.Length <= 120 ? oneLine : oneLine[..120] + "…";
    }

    [GeneratedRegex(@"<think>.*?</think>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex Think();

    [GeneratedRegex(
        @"^(?<hash>\#{1,6}\s*)?(?<bold>\*\*|__)?\s*(?<bracket>\[)?\s*(?<name>instruction|problem|task|response|solution|tests?|unit\s+tests)\s*(?(bracket)\])\s*:?\s*(?(bold)(\*\*|__))\s*:?(?<rest>.*)$",
        RegexOptions.IgnoreCase)]
    private static partial Regex HeaderLine();

    [GeneratedRegex(@"\n{3,}")]
    private static partial Regex MultipleBlankLines();

    [GeneratedRegex(@"^\s*(using\s+[\w.]+\s*;|namespace\s+\w|(\[[A-Z]\w*(\(.*\))?\]\s*)*((public|internal|static|sealed|abstract|partial|readonly)\s+)*(class|record|struct|interface|enum)\s+\w)")]
    private static partial Regex DeclarationStart();
}
