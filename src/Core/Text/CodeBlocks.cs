using System.Text;

namespace AutoRefiner.Core.Text;

/// <summary>Fenced code blocks in markdown.</summary>
public static class CodeBlocks
{
    private static readonly string[] CSharpTags = ["csharp", "cs", "c#", ""];

    /// <summary>
    /// The first fenced block tagged <c>csharp</c>, <c>cs</c>, <c>c#</c> or untagged (case-insensitive), or null.
    /// Fences are three or more backticks or tildes; a block closes with a fence of the same character at least as long.
    /// </summary>
    public static string? FirstCSharp(string markdown)
    {
        foreach (var (tag, body) in All(markdown))
        {
            if (CSharpTags.Contains(tag, StringComparer.OrdinalIgnoreCase))
            {
                return body;
            }
        }

        return null;
    }

    /// <summary>Every fenced block as (info tag, body).</summary>
    public static IEnumerable<(string Tag, string Body)> All(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var lines = markdown.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            var trimmed = line.TrimStart();
            if (line.Length - trimmed.Length > 3 || !IsFence(trimmed, out var fenceChar, out var fenceLength))
            {
                continue;
            }

            var tag = trimmed[fenceLength..].Trim();
            var space = tag.IndexOf(' ', StringComparison.Ordinal);
            if (space >= 0)
            {
                tag = tag[..space];
            }

            var body = new StringBuilder();
            var closed = false;
            for (i++; i < lines.Length; i++)
            {
                var inner = lines[i].TrimEnd('\r');
                var innerTrimmed = inner.Trim();
                if (IsFence(innerTrimmed, out var c, out var n) && c == fenceChar && n >= fenceLength && innerTrimmed.Length == n)
                {
                    closed = true;
                    break;
                }

                body.Append(inner).Append('\n');
            }

            if (closed)
            {
                yield return (tag, body.ToString());
            }
        }
    }

    /// <summary>Wraps code in a <c>```csharp</c> fence long enough not to clash with backtick runs inside it.</summary>
    public static string Fence(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        var longest = 0;
        var run = 0;
        foreach (var ch in code)
        {
            run = ch == '`' ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }

        var fence = new string('`', Math.Max(3, longest + 1));
        return $"{fence}csharp\n{code.TrimEnd()}\n{fence}";
    }

    private static bool IsFence(string trimmed, out char fenceChar, out int length)
    {
        fenceChar = trimmed.Length > 0 ? trimmed[0] : '\0';
        length = 0;
        if (fenceChar is not ('`' or '~'))
        {
            return false;
        }

        while (length < trimmed.Length && trimmed[length] == fenceChar)
        {
            length++;
        }

        // A backtick fence's info string may not contain backticks (CommonMark).
        return length >= 3 && (fenceChar == '~' || !trimmed.AsSpan(length).Contains('`'));
    }
}
