using Spectre.Console;
using Spectre.Console.Rendering;

namespace AutoRefiner.Cli.Rendering;

/// <summary>Renders another renderable with the blank space at the end of each of its lines removed.</summary>
internal sealed class TrimmedRenderable(IRenderable inner) : IRenderable
{
    /// <inheritdoc />
    public Measurement Measure(RenderOptions options, int maxWidth) => inner.Measure(options, maxWidth);

    /// <inheritdoc />
    public IEnumerable<Segment> Render(RenderOptions options, int maxWidth)
    {
        var line = new List<Segment>();
        foreach (var segment in inner.Render(options, maxWidth))
        {
            if (segment.IsControlCode)
            {
                line.Add(segment);
                continue;
            }

            if (segment.IsLineBreak)
            {
                foreach (var kept in Trimmed(line))
                {
                    yield return kept;
                }

                line.Clear();
                yield return segment;
                continue;
            }

            var parts = segment.Text.Split('\n');
            for (var i = 0; i < parts.Length; i++)
            {
                if (i > 0)
                {
                    foreach (var kept in Trimmed(line))
                    {
                        yield return kept;
                    }

                    line.Clear();
                    yield return Segment.LineBreak;
                }

                if (parts[i].Length > 0)
                {
                    line.Add(new Segment(parts[i], segment.Style));
                }
            }
        }

        foreach (var kept in Trimmed(line))
        {
            yield return kept;
        }
    }

    private static List<Segment> Trimmed(List<Segment> line)
    {
        var end = line.Count;
        while (end > 0 && !line[end - 1].IsControlCode && line[end - 1].Text.TrimEnd().Length == 0)
        {
            end--;
        }

        var kept = line.GetRange(0, end);
        if (end > 0 && !kept[^1].IsControlCode)
        {
            kept[^1] = new Segment(kept[^1].Text.TrimEnd(), kept[^1].Style);
        }

        return kept;
    }
}
