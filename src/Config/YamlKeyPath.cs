namespace AutoRefiner.Config;

/// <summary>
/// The dotted key a line of YAML text stands for, read from the text alone (for errors the parser reports without one, or
/// at the wrong place): its own key, under the nearest less-indented <c>key:</c> lines above it; a sequence item is
/// named by its index among the items above it (<c>sources.github.repos[1]</c>).
/// </summary>
internal static class YamlKeyPath
{
    /// <summary>The dotted key of <paramref name="lines"/>[<paramref name="index"/>].</summary>
    public static string Of(IReadOnlyList<string> lines, int index)
    {
        var line = lines[index].TrimEnd('\r');
        var indent = IndentOf(line);
        var content = line[indent..];
        var width = Width(line.AsSpan(0, indent));
        var item = content.StartsWith("- ", StringComparison.Ordinal) || content == "-";
        var own = item ? $"[{ItemsAbove(lines, index, width)}]" : KeyOf(content) is { Length: > 0 } key ? "." + key : "";
        var parents = new List<string>();

        // The items of a sequence may stand at their key's own indentation (`repos:` then `- a/b` under it).
        var sameWidthParent = item;
        for (var j = index - 1; j >= 0 && (width > 0 || sameWidthParent); j--)
        {
            var above = lines[j].TrimEnd('\r');
            var aboveIndent = IndentOf(above);
            if (aboveIndent == above.Length || above[aboveIndent] == '#')
            {
                continue;
            }

            var aboveWidth = Width(above.AsSpan(0, aboveIndent));
            if ((aboveWidth < width || sameWidthParent && aboveWidth == width) && IsMappingHeader(above[aboveIndent..])
                && KeyOf(above[aboveIndent..]) is { Length: > 0 } parent)
            {
                parents.Insert(0, parent);
                width = aboveWidth;
                sameWidthParent = false;
            }
            else if (aboveWidth < width)
            {
                sameWidthParent = false;
            }
        }

        var path = (string.Join('.', parents) + own).TrimStart('.');
        return path.Length > 0 ? path : "(value)";
    }

    /// <summary>Leading spaces and tabs of a line.</summary>
    public static int IndentOf(string line) => line.Length - line.TrimStart(' ', '\t').Length;

    /// <summary>Indentation width with a tab taken to the next multiple of 8 columns, as terminals and most editors show it.</summary>
    public static int Width(ReadOnlySpan<char> indentation)
    {
        var width = 0;
        foreach (var c in indentation)
        {
            width = c == '\t' ? (width / 8 + 1) * 8 : width + 1;
        }

        return width;
    }

    /// <summary>The key written at the start of a line's content (<c>key: value</c>), or null.</summary>
    public static string? KeyOf(string content)
    {
        if (content.Length > 0 && content[0] is '"' or '\'')
        {
            // A quoted key: "github": …
            var close = content.IndexOf(content[0], 1);
            return close > 1 && content.AsSpan(close + 1).TrimStart().StartsWith(":", StringComparison.Ordinal) ? content[1..close] : null;
        }

        var colon = content.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || content[0] is '-' or '[' or '{' or '?')
        {
            return null;
        }

        return content[..colon].Trim();
    }

    /// <summary>A <c>key:</c> line with nothing after the colon but a comment: the parent of the lines indented under it.</summary>
    private static bool IsMappingHeader(string content)
    {
        var hash = content.IndexOf(" #", StringComparison.Ordinal);
        return (hash >= 0 ? content[..hash] : content).TrimEnd().EndsWith(':');
    }

    /// <summary>Sequence items at the same width above a line, up to the mapping that holds them.</summary>
    private static int ItemsAbove(IReadOnlyList<string> lines, int index, int width)
    {
        var items = 0;
        for (var j = index - 1; j >= 0; j--)
        {
            var above = lines[j].TrimEnd('\r');
            var aboveIndent = IndentOf(above);
            if (aboveIndent == above.Length || above[aboveIndent] == '#')
            {
                continue;
            }

            var aboveWidth = Width(above.AsSpan(0, aboveIndent));
            if (aboveWidth < width)
            {
                break;
            }

            if (aboveWidth == width)
            {
                if (!above.AsSpan(aboveIndent).StartsWith("-", StringComparison.Ordinal))
                {
                    break;
                }

                items++;
            }
        }

        return items;
    }
}
