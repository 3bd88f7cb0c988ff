using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using AutoRefiner.Core.Text;

namespace AutoRefiner.Exporter.Report;

/// <summary>
/// <c>report.html</c>: one self-contained page (inline CSS and SVG, no script, no request for anything: its Content
/// Security Policy forbids every fetch) that shows what a run did — the funnel from files to rows, why candidates were
/// rejected with examples, length and test distributions, rows per repository and licence, tokens, cost and time per
/// stage, a few samples with highlighted code, and what a refresh added. Built by streaming the output folder's JSONL,
/// so a 100,000-row dataset makes a page of a few hundred kilobytes.
/// </summary>
public static class ReportWriter
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>
    /// Writes <c>report.html</c> into <paramref name="folder"/> from what the folder holds (<c>autorefiner report</c>;
    /// a run writes its report into staging with the data instead, see <see cref="WriteStagedAsync"/>); returns its path.
    /// </summary>
    public static async Task<string> WriteAsync(string folder, CancellationToken cancellationToken)
    {
        var manifest = DatasetFolder.ReadManifest(folder);
        var data = await ReportData.ReadAsync(folder, ReportData.DefaultSamples, ReportData.DefaultExamples, cancellationToken);
        var path = Path.Combine(folder, "report.html");
        var temp = path + ".tmp";
        try
        {
            await File.WriteAllTextAsync(temp, Render(manifest, data), new UTF8Encoding(false), cancellationToken);
            File.Move(temp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw AutoRefiner.Core.AutoRefinerException.RunFailed($"the report could not be written to {path}: {e.Message}", e);
        }

        return path;
    }

    /// <summary>Writes a run's report, from the rows its writer saw, to <paramref name="path"/> in its staging folder.</summary>
    internal static Task WriteStagedAsync(string path, Manifest manifest, ReportData data, CancellationToken cancellationToken) =>
        File.WriteAllTextAsync(path, Render(manifest, data), new UTF8Encoding(false), cancellationToken);

    private static string H(string? text) => WebUtility.HtmlEncode(text ?? "");

    private static string N(long n) => n.ToString("N0", Inv);

    private static string N(long n, string singular, string? plural = null) => Words.Count(n, singular, plural, "N0");

    internal static string Render(Manifest m, ReportData d)
    {
        var c = m.Counts;
        var sb = new StringBuilder(64 * 1024);
        sb.Append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
          .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">")
          .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
          .Append("<title>AutoRefiner report</title><style>").Append(Css).Append("</style></head><body><main>\n");

        sb.Append("<header><h1>AutoRefiner report</h1><p class=\"meta\">")
          .Append(H(m.Run.Kind)).Append(" · ").Append(H(m.FinishedAt.ToString("yyyy-MM-dd HH:mm 'UTC'", Inv)))
          .Append(" · AutoRefiner ").Append(H(m.ToolVersion))
          .Append(m.Model is null ? "" : " · model " + H(m.Model))
          .Append("</p><p class=\"meta\"><code>").Append(H(m.Command)).Append("</code></p>")
          .Append("<p class=\"meta\">Sources: ").Append(H(string.Join(", ", m.Sources))).Append("</p></header>\n");

        var rows = c.Rows.Values.Sum();
        if (rows == 0)
        {
            sb.Append("<section class=\"notice\" id=\"empty\"><h2>No rows were exported</h2><p>")
              .Append(c.Candidates == 0
                  ? "No candidate was made: the sources gave no usable seed (see the seeds and files below)."
                  : c.Candidates == 1 ? "The one candidate was rejected; the reason is below." : $"All {N(c.Candidates)} candidates were rejected; the reasons are below, with examples.")
              .Append("</p></section>\n");
        }

        if (m.Run.Kind == "refresh")
        {
            sb.Append("<section id=\"refresh\"><h2>What this refresh added</h2><p class=\"big\">+")
              .Append(N(m.Run.AddedRows, "row")).Append("</p><p>")
              .Append(m.Run.PreviousRows is { } before ? $"{N(before, "row")} after the previous run; " : "")
              .Append(N(rows)).Append(" now (the union of every run); ")
              .Append(N(m.Run.Reused, "sample")).Append(" reused without a new LLM call")
              .Append(m.Run.Carried > 0 ? $"; {N(m.Run.Carried)} kept from sources not seen this time" : "")
              .Append(".</p></section>\n");
        }

        // The funnel.
        var verdicts = c.Verdicts;
        long V(string name) => verdicts.GetValueOrDefault(name);
        var compiled = c.Candidates - V("unparseable") - V("compile-error") - V("missing-dependency");
        var tested = compiled - V("banned-api") - V("test-failed") - V("timeout") - V("crashed");
        var curated = tested - V("duplicate") - V("contaminated") - V("secret") - V("license");
        var funnel = new (string Label, long Count)[]
        {
            ("files", c.Files), ("seeds", c.Seeds), ("candidates", c.Candidates), ("compiled", compiled),
            ("tests passed", tested), ("after curation", curated), ("exported", rows),
        };
        sb.Append("<section id=\"funnel\"><h2>Funnel</h2>");
        Bars(sb, "funnel-chart", [.. funnel.Select(f => (f.Label, f.Count, (string?)null))], percentOf: c.Candidates > 0 ? c.Candidates : null, percentFrom: 2);
        sb.Append("<p class=\"note\">Percentages are of the candidates. Seeds: ").Append(N(c.DocumentedMethods, "documented method")).Append(", ")
          .Append(N(c.SelfContained)).Append(" self-contained (yield ").Append((c.SeedYield * 100).ToString("0.0", Inv)).Append(" %)")
          .Append(c.InspirationSeeds > 0 ? $", {N(c.InspirationSeeds)} more as inspiration for instruct" : "")
          .Append(c.SeedsRejected.Count > 0 ? "; not used: " + H(string.Join(", ", c.SeedsRejected.Select(kv => $"{kv.Key} {N(kv.Value)}"))) : "")
          .Append(".</p></section>\n");

        // Rejections.
        var rejected = verdicts.Where(kv => kv.Key != "passed" && kv.Value > 0).OrderByDescending(kv => kv.Value).ToList();
        sb.Append("<section id=\"rejections\"><h2>Why candidates were rejected</h2>");
        if (rejected.Count == 0)
        {
            sb.Append("<p>None was rejected.</p>");
        }
        else
        {
            Bars(sb, "verdict-chart", [.. rejected.Select(kv => (kv.Key, kv.Value, (string?)$"#verdict-{kv.Key}"))], percentOf: c.Candidates, percentFrom: 0);
            foreach (var (verdict, count) in rejected)
            {
                sb.Append("<details id=\"verdict-").Append(H(verdict)).Append("\"><summary>").Append(H(verdict)).Append(" — ").Append(N(count)).Append("</summary>");
                foreach (var example in d.Examples.GetValueOrDefault(verdict) ?? [])
                {
                    sb.Append("<div class=\"example\"><p>").Append(H(Clip(example.Instruction, 300))).Append("</p>")
                      .Append("<p class=\"diag\">").Append(H(Clip(example.Detail.Split('\n')[0], 400))).Append("</p>")
                      .Append(example.Code.Length > 0 ? "<pre><code>" + CSharpHtml.Highlight(Clip(example.Code, 1200)) + "</code></pre>" : "")
                      .Append("</div>");
                }

                sb.Append("</details>");
            }
        }

        sb.Append("</section>\n");

        // Distributions.
        sb.Append("<section id=\"distributions\"><h2>What the data looks like</h2><div class=\"grid\">");
        Histogram(sb, "instruction-length", "Instruction length (characters)", d.InstructionLengths);
        Histogram(sb, "response-length", "Response length (characters)", d.ResponseLengths);
        Counts(sb, "tests-per-sample", "Tests per sample", d.TestsPerSample);
        Counts(sb, "repair-rounds", "Repair rounds", d.RepairRounds);
        MutationScores(sb, d.MutationScores);
        sb.Append("</div></section>\n");
        ConfigsSection.Append(sb, m);

        sb.Append("<section id=\"sources\"><h2>Sources</h2><div class=\"grid\">");
        Table(sb, "Rows per repository", d.PerRepository.OrderByDescending(kv => kv.Value).Take(20).Select(kv => (kv.Key, kv.Value)), d.PerRepository.Count > 20 ? $"and {N(d.PerRepository.Count - 20)} more" : null);
        Table(sb, "Rows per licence", d.PerLicense.OrderByDescending(kv => kv.Value).Select(kv => (kv.Key.Length > 0 ? kv.Key : "unknown", kv.Value)), null);
        sb.Append("</div></section>\n");

        sb.Append("<section id=\"cost\"><h2>Tokens, cost and time</h2><div class=\"grid\"><div><h3>Tokens</h3><table>")
          .Append("<tr><td>prompt</td><td class=\"num\">").Append(N(m.TokenUsage.GetValueOrDefault("prompt_tokens"))).Append("</td></tr>")
          .Append("<tr><td>completion</td><td class=\"num\">").Append(N(m.TokenUsage.GetValueOrDefault("completion_tokens"))).Append("</td></tr>");
        if (m.Llm is { } llm)
        {
            sb.Append("<tr><td>answers received / from the cache</td><td class=\"num\">").Append(N(llm.Answered)).Append(" / ").Append(N(llm.Cached)).Append("</td></tr>")
              .Append("<tr><td>retries</td><td class=\"num\">").Append(N(llm.Retries)).Append("</td></tr>")
              .Append("<tr><td>estimated cost</td><td class=\"num\">").Append(llm.EstimatedCost is { } cost ? cost.ToString("0.####", Inv) : "no price in llm.prices").Append("</td></tr>")
              .Append("<tr><td>cost per kept sample</td><td class=\"num\">").Append(llm.CostPerKeptSample is { } each ? each.ToString("0.######", Inv) : "–").Append("</td></tr>");
            if (llm.MaxCost is not null || llm.MaxTokensTotal is not null)
            {
                sb.Append("<tr><td>budget</td><td class=\"num\">")
                  .Append(H(string.Join(", ", new[] { llm.MaxCost is { } limit ? "max-cost " + limit.ToString(Inv) : null, llm.MaxTokensTotal is { } t ? "max-tokens-total " + t.ToString(Inv) : null }.OfType<string>())))
                  .Append(llm.BudgetReached is null ? "" : H($"; reached: {llm.SeedsLeftForBudget} seeds left for the next run"))
                  .Append("</td></tr>");
            }
        }

        sb.Append("</table></div><div><h3>Time per stage</h3>");
        Bars(sb, "stage-time", [.. m.TimingsSeconds.Select(kv => (kv.Key, (long)Math.Round(kv.Value * 1000), (string?)null))], percentOf: null, percentFrom: 0, unit: " ms");
        sb.Append("</div></div></section>\n");

        // Samples.
        sb.Append("<section id=\"samples\"><h2>Samples</h2>");
        if (d.Samples.Count == 0)
        {
            sb.Append("<p>No sample to show.</p>");
        }

        foreach (var s in d.Samples)
        {
            sb.Append("<article class=\"sample\"><p class=\"meta\">").Append(H(s.Task)).Append(" · ")
              .Append(IsWebLink(s.Url) ? $"<a href=\"{H(s.Url)}\" rel=\"noreferrer\">{H(s.Repo)}/{H(s.Path)}</a>" : $"{H(s.Repo)}/{H(s.Path)}")
              .Append("</p><p>").Append(H(Clip(s.Instruction, 600))).Append("</p><pre><code>").Append(CSharpHtml.Highlight(Clip(s.Code, 3000))).Append("</code></pre></article>");
        }

        sb.Append("</section>\n<footer><p class=\"meta\">Made by AutoRefiner from <code>manifest.json</code>, <code>jsonl/</code> and <code>rejected.jsonl</code> of this folder.</p></footer>\n</main></body></html>\n");
        return sb.ToString();
    }

    /// <summary>Only http(s) links are made clickable: a row's URL is data, and data may be hostile (<c>javascript:</c>).</summary>
    private static bool IsWebLink(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http";

    private static string Clip(string text, int max) => text.Length <= max ? text : text[..max] + "…";

    /// <summary>A horizontal bar chart in SVG; each bar's label carries its count (and share).</summary>
    internal static void Bars(StringBuilder sb, string id, IReadOnlyList<(string Label, long Value, string? Link)> bars, long? percentOf, int percentFrom, string unit = "")
    {
        if (bars.Count == 0)
        {
            sb.Append("<p>Nothing to show.</p>");
            return;
        }

        const int RowHeight = 28;
        var max = Math.Max(1, bars.Max(b => b.Value));
        sb.Append(Inv, $"<svg id=\"{id}\" class=\"chart\" viewBox=\"0 0 640 {bars.Count * RowHeight}\" role=\"img\" aria-label=\"{H(id)}\">");
        for (var i = 0; i < bars.Count; i++)
        {
            var (label, value, link) = bars[i];
            var width = Math.Max(value > 0 ? 2 : 0, (int)(380.0 * value / max));
            var share = percentOf is { } total && total > 0 && i >= percentFrom ? string.Create(Inv, $" ({100.0 * value / total:0.#} %)") : "";
            var y = i * RowHeight;
            sb.Append(link is null ? "" : $"<a href=\"{H(link)}\">")
              .Append(Inv, $"<text x=\"0\" y=\"{y + 18}\" class=\"label\">{H(label)}</text>")
              .Append(Inv, $"<rect x=\"150\" y=\"{y + 5}\" width=\"{width}\" height=\"18\" rx=\"3\" class=\"bar\"><title>{H(label)}: {N(value)}{unit}</title></rect>")
              .Append(Inv, $"<text x=\"{156 + width}\" y=\"{y + 18}\" class=\"value\" data-value=\"{value}\">{N(value)}{unit}{share}</text>")
              .Append(link is null ? "" : "</a>");
        }

        sb.Append("</svg>");
    }

    private static void Histogram(StringBuilder sb, string id, string title, List<int> values)
    {
        sb.Append("<div><h3>").Append(H(title)).Append("</h3>");
        if (values.Count == 0)
        {
            sb.Append("<p>No rows.</p></div>");
            return;
        }

        var sorted = values.Order().ToArray();
        var p95 = sorted[(int)(0.95 * (sorted.Length - 1))];
        var top = Math.Max(1, p95);
        const int Buckets = 12;
        var size = Math.Max(1, (int)Math.Ceiling(top / (double)Buckets));
        var counts = new long[Buckets + 1];
        foreach (var v in sorted)
        {
            counts[Math.Min(Buckets, v / size)]++;
        }

        // The axis names each bucket by where it starts (short enough to stay apart); its range is in the tooltip.
        var columns = Enumerable.Range(0, Buckets + 1)
            .Select(b => b < Buckets
                ? (Compact(b * size), $"{N(b * size)}–{N(((b + 1) * size) - 1)}", counts[b])
                : ($"≥{Compact(Buckets * size)}", $"≥ {N(Buckets * size)}", counts[b]))
            .ToList();
        Columns(sb, id, columns);
        sb.Append(Inv, $"<p class=\"note\">median {N(sorted[sorted.Length / 2])}, 95th percentile {N(p95)}, max {N(sorted[^1])}</p></div>");
    }

    /// <summary>Rows by the share of mutants their tests killed, in tenths; rows whose solution had no mutant apart.</summary>
    private static void MutationScores(StringBuilder sb, Dictionary<int, long> scores)
    {
        sb.Append("<div><h3>Mutation score (mutants killed / mutants)</h3>");
        if (scores.Count == 0)
        {
            sb.Append("<p>No row was mutation-tested.</p></div>");
            return;
        }

        var columns = Enumerable.Range(0, 11)
            .Select(b => ((b / 10.0).ToString("0.0", Inv), b < 10 ? string.Create(Inv, $"{b / 10.0:0.0}–{((b + 1) / 10.0) - 0.01:0.00}") : "1.0 (every mutant killed)", scores.GetValueOrDefault(b)))
            .ToList();
        if (scores.GetValueOrDefault(-1) is var none and > 0)
        {
            columns.Insert(0, ("none", "no mutant (nothing to mutate)", none));
        }

        Columns(sb, "mutation-score", columns);
        sb.Append("</div>");
    }

    private static void Counts(StringBuilder sb, string id, string title, Dictionary<int, long> counts)
    {
        sb.Append("<div><h3>").Append(H(title)).Append("</h3>");
        if (counts.Count == 0)
        {
            sb.Append("<p>No rows.</p></div>");
            return;
        }

        Columns(sb, id, [.. counts.OrderBy(kv => kv.Key).Select(kv => (kv.Key.ToString(Inv), kv.Key.ToString(Inv), kv.Value))]);
        sb.Append("</div>");
    }

    /// <summary>Pitch of the columns, in the chart's units.</summary>
    private const int ColumnPitch = 30;

    /// <summary>
    /// A column chart in SVG. Axis labels are short, at most <see cref="MaxAxisLabel"/> characters (the full name is in
    /// each column's tooltip), and slanted at 50°, so neighbours lie 23 units apart, clear of each other's 14-unit glyphs.
    /// The chart never shrinks below 72 % of its drawn size, so its labels stay at least 10 px: in a grid cell of a wide
    /// screen (300 px and more) it fits; on a narrower phone it scrolls sideways instead of shrinking. A chart of a few
    /// columns is not blown up past 130 % either.
    /// </summary>
    private static void Columns(StringBuilder sb, string id, List<(string Label, string Title, long Count)> columns)
    {
        var width = Math.Max(180, (columns.Count * ColumnPitch) + 24);
        var max = Math.Max(1, columns.Max(c => c.Count));
        sb.Append(Inv, $"<div class=\"scroll\"><svg id=\"{id}\" class=\"chart columns\" viewBox=\"0 0 {width} 215\" style=\"min-width:{(int)Math.Ceiling(width * 0.72)}px;max-width:{(int)Math.Ceiling(width * 1.3)}px\" role=\"img\" aria-label=\"{H(id)}\">");
        for (var i = 0; i < columns.Count; i++)
        {
            var (label, title, count) = columns[i];
            var h = (int)(115.0 * count / max);
            var x = (i * ColumnPitch) + 4;
            var shown = label.Length > MaxAxisLabel ? label[..(MaxAxisLabel - 1)] + "…" : label;
            sb.Append(Inv, $"<rect x=\"{x}\" y=\"{140 - h}\" width=\"24\" height=\"{h}\" rx=\"2\" class=\"bar\"><title>{H(title)}: {N(count)}</title></rect>")
              .Append(Inv, $"<text x=\"{x + 12}\" y=\"{135 - h}\" class=\"value colvalue\" text-anchor=\"middle\" data-value=\"{count}\">{Compact(count)}</text>")
              .Append(Inv, $"<text x=\"{x + 17}\" y=\"156\" class=\"label axis\" text-anchor=\"end\" transform=\"rotate(-50 {x + 17} 156)\">{H(shown)}</text>");
        }

        sb.Append("</svg></div>");
    }

    /// <summary>Longest axis label drawn whole.</summary>
    private const int MaxAxisLabel = 7;

    /// <summary>A count in few characters: 950, 1.2k, 12k, 3.4M.</summary>
    private static string Compact(long n) => n switch
    {
        < 1_000 => n.ToString(Inv),
        < 10_000 => (n / 1_000.0).ToString("0.#", Inv) + "k",
        < 1_000_000 => (n / 1_000).ToString(Inv) + "k",
        _ => (n / 1_000_000.0).ToString("0.#", Inv) + "M",
    };

    private static void Table(StringBuilder sb, string title, IEnumerable<(string Key, long Value)> rows, string? more)
    {
        sb.Append("<div><h3>").Append(H(title)).Append("</h3><table>");
        var any = false;
        foreach (var (key, value) in rows)
        {
            any = true;
            sb.Append("<tr><td>").Append(H(key)).Append("</td><td class=\"num\">").Append(N(value)).Append("</td></tr>");
        }

        sb.Append(any ? "" : "<tr><td>none</td><td></td></tr>").Append("</table>").Append(more is null ? "" : $"<p class=\"note\">{H(more)}</p>").Append("</div>");
    }

    private const string Css = """
        :root{color-scheme:light dark;--bg:#fff;--fg:#1d2430;--muted:#5b6575;--bar:#3a7bd5;--card:#f4f6fa;--kw:#8250df;--str:#0a7d32;--com:#6e7781;--num:#b35900}
        @media (prefers-color-scheme:dark){:root{--bg:#0f141b;--fg:#e6edf3;--muted:#9aa5b4;--bar:#58a6ff;--card:#161d27;--kw:#d2a8ff;--str:#7ee787;--com:#8b949e;--num:#ffa657}}
        *{box-sizing:border-box}body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif}
        main{max-width:1100px;margin:0 auto;padding:16px}h1{margin:.2em 0}h2{margin-top:1.6em;border-bottom:1px solid var(--card);padding-bottom:4px}
        .meta,.note{color:var(--muted);font-size:.9em;overflow-wrap:anywhere}.big{font-size:2em;margin:0}
        .grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:16px}
        .chart{width:100%;height:auto;max-width:760px}.bar{fill:var(--bar)}.label,.value{fill:var(--fg);font-size:13px}.small{font-size:11px}
        .scroll{overflow-x:auto}.axis{font-size:14px}.colvalue{font-size:12px}
        a .label{text-decoration:underline}table{border-collapse:collapse;width:100%}td{padding:3px 6px;border-bottom:1px solid var(--card)}.num{text-align:right;font-variant-numeric:tabular-nums}
        details{background:var(--card);border-radius:6px;padding:6px 10px;margin:6px 0}summary{cursor:pointer;font-weight:600}
        .example,.sample{background:var(--card);border-radius:6px;padding:8px 12px;margin:10px 0}.diag{font-family:ui-monospace,monospace;font-size:.85em;color:var(--muted)}
        pre{overflow-x:auto;background:var(--bg);padding:8px;border-radius:4px;font-size:13px}.kw{color:var(--kw)}.str{color:var(--str)}.com{color:var(--com);font-style:italic}.num-lit{color:var(--num)}
        .notice{background:var(--card);border-left:4px solid var(--bar);padding:8px 14px;border-radius:4px}
        """;
}
