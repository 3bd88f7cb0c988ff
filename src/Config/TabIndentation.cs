namespace AutoRefiner.Config;

/// <summary>Finds the line of a YAML text whose indentation holds a tab, and the dotted key written on it.</summary>
internal static class TabIndentation
{
    /// <summary>
    /// The first line at or after <paramref name="fromLine"/> (1-based) whose leading blank space holds a tab, with the
    /// dotted key it would have had (its parents are the nearest less-indented keys above it), or null.
    /// </summary>
    public static (int Line, string Key)? Find(string text, int fromLine)
    {
        var lines = text.Split('\n');
        for (var i = Math.Max(0, fromLine - 1); i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            var indent = YamlKeyPath.IndentOf(line);
            if (indent == line.Length || !line.AsSpan(0, indent).Contains('\t') || line[indent] == '#')
            {
                continue;
            }

            return (i + 1, YamlKeyPath.Of(lines, i));
        }

        return null;
    }
}
