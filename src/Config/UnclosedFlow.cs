namespace AutoRefiner.Config;

/// <summary>
/// Finds a flow collection (<c>[a, b]</c>, <c>{k: v}</c>) of a YAML text that is never closed, or closed by the wrong
/// bracket. The parser reports the first at the end of the file, or without any position, and never names the key it
/// belongs to; the line that opened it is the one to fix. Quoted scalars, comments and block scalars (<c>|</c>,
/// <c>&gt;</c>) are skipped, and so are anchors, aliases and tags before a value; in block context a bracket opens a
/// collection only where a value starts (after <c>key: </c>, <c>- </c> or at the start of a line), as <c>query: a[b</c>
/// is a plain scalar.
/// </summary>
internal static class UnclosedFlow
{
    /// <summary>What is wrong, where: the line (1-based), its dotted key and the problem, worded for the user.</summary>
    public sealed record Finding(int Line, string Key, string Problem);

    /// <summary>The first bracket closed by the wrong one, else the outermost flow collection never closed; or null.</summary>
    public static Finding? Find(string text)
    {
        var lines = text.Split('\n');
        var open = new Stack<(char Bracket, int Line)>();
        char? quote = null;
        int? blockScalarWidth = null;
        int? continued = null;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            var indent = YamlKeyPath.IndentOf(line);
            if (blockScalarWidth is { } scalar)
            {
                if (indent == line.Length || YamlKeyPath.Width(line.AsSpan(0, indent)) > scalar)
                {
                    continue;
                }

                blockScalarWidth = null;
            }

            // A plain value may go on over more-indented lines: there a bracket at the start of the line is text.
            var valueStarts = !(continued is { } width && open.Count == 0 && indent < line.Length && YamlKeyPath.Width(line.AsSpan(0, indent)) > width);
            continued = null;
            var plainValue = false;
            for (var c = quote is null ? indent : 0; c < line.Length; c++)
            {
                var ch = line[c];
                if (quote is { } q)
                {
                    if (q == '"' && ch == '\\')
                    {
                        c++;
                    }
                    else if (ch == q && q == '\'' && c + 1 < line.Length && line[c + 1] == '\'')
                    {
                        c++;
                    }
                    else if (ch == q)
                    {
                        quote = null;
                        valueStarts = false;
                    }

                    continue;
                }

                if (ch is ' ' or '\t')
                {
                    continue;
                }

                if (ch == '#' && (c == 0 || line[c - 1] is ' ' or '\t'))
                {
                    break;
                }

                var inFlow = open.Count > 0;
                if (ch is '[' or '{' && (inFlow || valueStarts))
                {
                    open.Push((ch, i));
                    valueStarts = true;
                }
                else if (ch is ']' or '}' && inFlow)
                {
                    var (bracket, from) = open.Pop();
                    if (bracket != (ch == ']' ? '[' : '{'))
                    {
                        return new Finding(i + 1, YamlKeyPath.Of(lines, from),
                            $"not valid YAML: this '{ch}' closes the '{bracket}' opened on line {from + 1}");
                    }

                    valueStarts = false;
                }
                else if (ch is '\'' or '"' && valueStarts)
                {
                    quote = ch;
                }
                else if (ch is '&' or '*' or '!' && valueStarts)
                {
                    // An anchor, alias or tag: the value, if any, comes after it.
                    while (c + 1 < line.Length && line[c + 1] is not (' ' or '\t' or ',' or '[' or ']' or '{' or '}'))
                    {
                        c++;
                    }
                }
                else if (ch == ',' && inFlow)
                {
                    valueStarts = true;
                }
                else if (ch == ':' && (c + 1 == line.Length || line[c + 1] is ' ' or '\t' || inFlow))
                {
                    // In a flow collection a value may follow the colon at once (JSON style: {"k":"v"}).
                    valueStarts = true;
                }
                else if (ch is '-' or '?' && valueStarts && (c + 1 == line.Length || line[c + 1] is ' ' or '\t'))
                {
                    valueStarts = true;
                }
                else if (ch is '|' or '>' && valueStarts && !inFlow)
                {
                    // A block scalar: the lines indented deeper than the line that starts it are its text.
                    blockScalarWidth = YamlKeyPath.Width(line.AsSpan(0, indent));
                    break;
                }
                else
                {
                    plainValue |= valueStarts && c > indent;
                    valueStarts = false;
                }
            }

            if (plainValue && quote is null && open.Count == 0 && blockScalarWidth is null)
            {
                continued = YamlKeyPath.Width(line.AsSpan(0, indent));
            }
        }

        if (open.Count == 0)
        {
            return null;
        }

        var (outermost, at) = open.Last();
        return new Finding(at + 1, YamlKeyPath.Of(lines, at),
            $"not valid YAML: the '{outermost}' on this line is never closed (add the '{(outermost == '[' ? ']' : '}')}')");
    }
}
