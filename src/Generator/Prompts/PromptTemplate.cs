using System.Collections.Frozen;
using System.Text;
using System.Text.RegularExpressions;
using AutoRefiner.Generator.Llm;

namespace AutoRefiner.Generator.Prompts;

/// <summary>
/// A versioned chat prompt kept as a file in this folder (embedded in the assembly): YAML-like front matter with its
/// <c>version</c>, then <c>## system</c> and <c>## user</c> sections whose <c>{{name}}</c> placeholders are filled in.
/// Changing a prompt means a new file with a new version, so every sample says which text produced it.
/// </summary>
public sealed partial class PromptTemplate
{
    private readonly IReadOnlyList<(string Role, string Text)> _turns;

    private PromptTemplate(string version, IReadOnlyList<(string Role, string Text)> turns, IReadOnlySet<string> placeholders)
    {
        Version = version;
        _turns = turns;
        Placeholders = placeholders;
    }

    /// <summary>The version written in <c>prompt_version</c> (e.g. <c>instruct/1</c>).</summary>
    public string Version { get; }

    /// <summary>The placeholders the text uses.</summary>
    public IReadOnlySet<string> Placeholders { get; }

    /// <summary>Loads an embedded template by file name (<c>instruct.v1.md</c>).</summary>
    public static PromptTemplate Load(string fileName)
    {
        var assembly = typeof(PromptTemplate).Assembly;
        var resource = $"AutoRefiner.Generator.Prompts.{fileName}";
        using var stream = assembly.GetManifestResourceStream(resource)
                           ?? throw new InvalidOperationException($"prompt template {fileName} is not embedded in {assembly.GetName().Name}");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return Parse(reader.ReadToEnd(), fileName);
    }

    /// <summary>Parses template text; <paramref name="name"/> is used in messages.</summary>
    public static PromptTemplate Parse(string text, string name)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        if (lines.Length < 3 || lines[0] != "---")
        {
            throw new FormatException($"prompt template {name} must start with front matter (---, version: …, ---)");
        }

        var end = Array.IndexOf(lines, "---", 1);
        var version = lines[1..Math.Max(1, end)]
            .Select(l => l.Split(':', 2))
            .Where(p => p.Length == 2 && p[0].Trim() == "version")
            .Select(p => p[1].Trim())
            .FirstOrDefault();
        if (end < 0 || string.IsNullOrEmpty(version))
        {
            throw new FormatException($"prompt template {name} needs 'version: …' in its front matter");
        }

        var turns = new List<(string Role, StringBuilder Text)>();
        foreach (var line in lines.Skip(end + 1))
        {
            if (line.StartsWith("## ", StringComparison.Ordinal) && line[3..].Trim() is "system" or "user" or "assistant")
            {
                turns.Add((line[3..].Trim(), new StringBuilder()));
            }
            else if (turns.Count > 0)
            {
                turns[^1].Text.Append(line).Append('\n');
            }
            else if (line.Trim().Length > 0)
            {
                throw new FormatException($"prompt template {name}: text before the first '## system' or '## user' heading");
            }
        }

        if (!turns.Any(t => t.Role == "user"))
        {
            throw new FormatException($"prompt template {name} has no '## user' section");
        }

        var rendered = turns.Select(t => (t.Role, t.Text.ToString().Trim('\n'))).ToList();
        var placeholders = rendered.SelectMany(t => Placeholder().Matches(t.Item2).Select(m => m.Groups[1].Value)).ToFrozenSet(StringComparer.Ordinal);
        return new PromptTemplate(version, rendered, placeholders);
    }

    /// <summary>The chat messages with every placeholder filled; a placeholder without a value is a bug, not blank text.</summary>
    public IReadOnlyList<ChatTurn> Render(IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var missing = Placeholders.Where(p => !values.ContainsKey(p)).ToList();
        if (missing.Count > 0)
        {
            throw new ArgumentException($"prompt {Version} needs values for {string.Join(", ", missing)}", nameof(values));
        }

        // One pass, so a value that itself contains {{…}} (code can) is never expanded again.
        return [.. _turns.Select(t => new ChatTurn(t.Role, Placeholder().Replace(t.Text, m => values[m.Groups[1].Value])))];
    }

    [GeneratedRegex(@"\{\{([a-z_]+)\}\}")]
    private static partial Regex Placeholder();
}
