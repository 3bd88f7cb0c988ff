using System.Globalization;
using System.Net;
using System.Text;
using AutoRefiner.Core.Pipeline;

namespace AutoRefiner.Exporter.Report;

/// <summary>The report's section on execution feedback: rows per difficulty, and the rows of each config beside the default one.</summary>
internal static class ConfigsSection
{
    /// <summary>Appends the section; nothing when the run asked for one answer per seed and made no pairs or conversations.</summary>
    public static void Append(StringBuilder sb, Manifest manifest)
    {
        ArgumentNullException.ThrowIfNull(sb);
        ArgumentNullException.ThrowIfNull(manifest);
        if (manifest.Configs.Count == 0 && manifest.Difficulty.Count == 0)
        {
            return;
        }

        var inv = CultureInfo.InvariantCulture;
        sb.Append("<section id=\"execution-feedback\"><h2>Execution feedback</h2><div class=\"grid\"><div><h3>Difficulty (share of a seed's answers that passed)</h3>");
        var bars = CandidateGroup.Difficulties.Select(d => (d, manifest.Difficulty.GetValueOrDefault(d), (string?)null)).ToList();
        ReportWriter.Bars(sb, "difficulty", bars, bars.Sum(b => b.Item2), 0, " rows");
        sb.Append("</div><div><h3>Configs</h3><table id=\"configs\"><tr><th>config</th><th>split</th><th>rows</th></tr>");
        foreach (var (split, rows) in manifest.Counts.Rows)
        {
            sb.Append(inv, $"<tr><td>default</td><td>{WebUtility.HtmlEncode(split)}</td><td data-value=\"{rows}\">{rows:N0}</td></tr>");
        }

        foreach (var (config, splits) in manifest.Configs)
        {
            foreach (var (split, rows) in splits)
            {
                sb.Append(inv, $"<tr><td>{WebUtility.HtmlEncode(config)}</td><td>{WebUtility.HtmlEncode(split)}</td><td data-value=\"{rows}\">{rows:N0}</td></tr>");
            }
        }

        sb.Append("</table><p><code>preference</code>: a passing and a failing answer to one prompt; <code>feedback</code>: a failing answer, ")
          .Append("the compiler's or test runner's words and the repaired answer.</p></div></div></section>\n");
    }
}
