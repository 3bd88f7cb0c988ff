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
            var indent = line.Length - line.TrimStart(' ', '\t').Length;
            if (indent == line.Length || !line.AsSpan(0, indent).Contains('\t') || line[indent] == '#')
            {
                continue;
            }

            var width = Width(line.AsSpan(0, indent));
            var key = KeyOf(line[indent..]);
            var parents = new List<string>();
            for (var j = i - 1; j >= 0 && width > 0; j--)
            {
                var above = lines[j].TrimEnd('\r');
                var aboveIndent = above.Length - above.TrimStart(' ', '\t').Length;
                if (aboveIndent == above.Length || above[aboveIndent] == '#')
                {
                    continue;
                }

                var aboveWidth = Width(above.AsSpan(0, aboveIndent));
                if (aboveWidth < width && IsMappingHeader(above[aboveIndent..]) && KeyOf(above[aboveIndent..]) is { Length: > 0 } parent)
                {
                    parents.Insert(0, parent);
                    width = aboveWidth;
                }
            }

            var path = string.Join('.', parents.Append(key is { Length: > 0 } ? key : "(value)"));
            return (i + 1, path);
        }

        return null;
    }

    /// <summary>Indentation width with a tab taken to the next multiple of 8 columns, as terminals and most editors show it.</summary>
    private static int Width(ReadOnlySpan<char> indentation)
    {
        var width = 0;
        foreach (var c in indentation)
        {
            width = c == '\t' ? (width / 8 + 1) * 8 : width + 1;
        }

        return width;
    }

    /// <summary>A <c>key:</c> line with nothing after the colon but a comment: the parent of the lines indented under it.</summary>
    private static bool IsMappingHeader(string content)
    {
        var hash = content.IndexOf(" #", StringComparison.Ordinal);
        return (hash >= 0 ? content[..hash] : content).TrimEnd().EndsWith(':');
    }

    private static string? KeyOf(string content)
    {
        var colon = content.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || content.StartsWith('-') || content.StartsWith('"') || content.StartsWith('\''))
        {
            return null;
        }

        return content[..colon].Trim();
    }
}
