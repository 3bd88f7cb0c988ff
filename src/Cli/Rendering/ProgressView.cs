using System.Globalization;
using AutoRefiner.Core.Model;
using AutoRefiner.Core.Pipeline;
using AutoRefiner.Core.Text;
using Spectre.Console;

namespace AutoRefiner.Cli.Rendering;

/// <summary>
/// Shows a run while it goes: a live table of stages (count, total, rate, ETA) on a terminal, a plain log line every
/// few seconds otherwise; then a summary of what was read, kept and written. Waits on the run's clock, so a test drives
/// the plain lines with a fake one.
/// </summary>
/// <param name="console">Where progress goes.</param>
/// <param name="stats">The run's counters (and its clock).</param>
/// <param name="title">The first line, or the table's title.</param>
/// <param name="stages">The stages shown; by default the harvest pipeline's.</param>
internal sealed class ProgressView(IAnsiConsole console, RunStats stats, string title, IReadOnlyList<StageCounter>? stages = null)
{
    /// <summary>How often a plain log line is written when the output is not a terminal.</summary>
    public static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(5);
    private readonly bool _live = console.Profile.Out.IsTerminal && console.Profile.Capabilities.Interactive;

    private IReadOnlyList<StageCounter> Stages => stages ?? stats.Stages;

    /// <summary>Runs <paramref name="work"/> while showing its progress.</summary>
    public async Task RunAsync(Func<Task> work, CancellationToken cancellationToken)
    {
        var task = work();
        if (_live)
        {
            var table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape(title));
            table.AddColumns("stage", "done", "of", "rate", "eta");
            foreach (var column in table.Columns.Skip(1))
            {
                column.RightAligned();
            }

            await console.Live(table).AutoClear(false).StartAsync(async ctx =>
            {
                while (true)
                {
                    Fill(table);
                    ctx.Refresh();
                    if (task.IsCompleted)
                    {
                        break;
                    }

                    await Task.WhenAny(task, Task.Delay(TimeSpan.FromMilliseconds(250), stats.Time, CancellationToken.None));
                }
            });
        }
        else
        {
            console.WriteLine(title);
            while (!task.IsCompleted)
            {
                await Task.WhenAny(task, Task.Delay(PlainInterval, stats.Time, CancellationToken.None));
                if (!task.IsCompleted)
                {
                    console.WriteLine(PlainLine());
                }
            }
        }

        await task;
    }

    private void Fill(Table table)
    {
        while (table.Rows.Count > 0)
        {
            table.Rows.RemoveAt(0);
        }

        foreach (var stage in Stages)
        {
            table.AddRow(
                stage.Name,
                stage.Count.ToString("N0", CultureInfo.InvariantCulture),
                stage.Total?.ToString("N0", CultureInfo.InvariantCulture) ?? "",
                stage.Rate > 0 ? stage.Rate.ToString("N1", CultureInfo.InvariantCulture) + "/s" : "",
                stage.IsFinished ? "[green]done[/]" : stage.Eta is { } eta ? Format(eta) : "");
        }

        var llm = stats.Llm;
        if (llm.Attempts + llm.Cached > 0)
        {
            table.AddRow(
                "llm answers",
                (llm.Answered + llm.Cached).ToString("N0", CultureInfo.InvariantCulture),
                "",
                llm.Cached > 0 ? $"{llm.Cached.ToString("N0", CultureInfo.InvariantCulture)} cached" : "",
                llm.Retries > 0 ? $"[yellow]{llm.Retries.ToString("N0", CultureInfo.InvariantCulture)} retries[/]" : "");
        }

        if (LlmWait() is { } wait)
        {
            table.AddRow("[yellow]llm[/]", "", "", "", $"[yellow]{Markup.Escape(wait)}[/]");
        }

        if (SourceWait() is { } sourceWait)
        {
            table.AddRow("[yellow]sources[/]", "", "", "", $"[yellow]{Markup.Escape(sourceWait)}[/]");
        }
    }

    /// <summary>What the harvest waits for (GitHub's rate limit), while it waits.</summary>
    private string? SourceWait() =>
        stats.Waiting is { } wait
            ? string.Create(CultureInfo.InvariantCulture, $"waiting for {wait.What} until {wait.Until.UtcDateTime:HH:mm:ss} UTC ({Format(wait.Until - stats.Time.GetUtcNow())} left)")
            : null;

    /// <summary>
    /// What the run waits for, while it waits: the LLM endpoint asked for time (<c>Retry-After</c>) or is backed off from,
    /// so a long wait does not look like a run that froze.
    /// </summary>
    private string? LlmWait()
    {
        var now = stats.Time.GetUtcNow();
        return stats.Llm.WaitingUntil is { } until && until > now
            ? string.Create(CultureInfo.InvariantCulture, $"waiting for the LLM endpoint until {until.UtcDateTime:HH:mm:ss} UTC ({Format(until - now)} left) before asking again")
            : null;
    }

    internal string PlainLine() =>
        string.Join("  ", Stages.Select(StageText).Append(LlmText()).Append(SourceWait() ?? "").Where(t => t.Length > 0));

    private string LlmText()
    {
        var llm = stats.Llm;
        return llm.Attempts + llm.Cached == 0
            ? ""
            : string.Create(CultureInfo.InvariantCulture, $"llm {Words.Count(llm.Answered + llm.Cached, "answer")} ({llm.Cached} cached, {Words.Count(llm.Retries, "retry", "retries")}){(LlmWait() is { } wait ? "; " + wait : "")}");
    }

    private static string StageText(StageCounter s)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"{s.Name} {s.Count}");
        if (s.Total is { } total)
        {
            text += string.Create(CultureInfo.InvariantCulture, $"/{total}");
        }

        if (s.Rate > 0)
        {
            text += string.Create(CultureInfo.InvariantCulture, $" ({s.Rate:F1}/s{(s.Eta is { } eta ? ", eta " + Format(eta) : "")})");
        }

        return text;
    }

    private static string Format(TimeSpan t) =>
        t.TotalHours >= 1 ? t.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : t.ToString(@"m\:ss", CultureInfo.InvariantCulture);

    /// <summary>Writes what happened and where the output is.</summary>
    public void WriteSummary(string outDir)
    {
        var inv = CultureInfo.InvariantCulture;
        var skips = stats.FileSkips;
        var skipped = skips.Values.Sum();
        console.WriteLine(string.Create(inv,
            $"files: {Words.Count(stats.Files.Count, "C# file")} read{(skipped > 0 ? $"; skipped {skipped} ({Join(skips)})" : "")}"));
        if (stats.Repositories > 0 || stats.RepositorySkips.Count > 0)
        {
            var repoSkips = stats.RepositorySkips;
            console.WriteLine(string.Create(inv,
                $"repositories: {stats.Repositories} harvested{(repoSkips.Count > 0 ? $"; skipped {repoSkips.Values.Sum()} ({Join(repoSkips)})" : "")}; {Words.Count(stats.GitHubRequests, "GitHub request")}"));
        }

        console.WriteLine(string.Create(inv,
            $"seeds: {Words.Count(stats.DocumentedMethods, "documented method")}, {stats.SelfContained} self-contained (seed yield {stats.SeedYield:P1}){(stats.SeedRejects.Count > 0 ? $"; not used: {Join(stats.SeedRejects)}" : "")}{(stats.InspirationSeeds > 0 ? $"; {Words.Count(stats.InspirationSeeds, "more method", "more methods")} as inspiration for instruct" : "")}"));
        var verdicts = stats.Verdicts.Where(kv => kv.Value > 0).OrderBy(kv => kv.Key).Select(kv => $"{kv.Key.ToWire()} {kv.Value}").ToList();
        var repairs = stats.Repairs;
        console.WriteLine(string.Create(inv,
            $"candidates: {stats.Candidates.Count}{(verdicts.Count > 0 ? $" ({string.Join(", ", verdicts)})" : "")}{(repairs.Count > 0 ? $"; {repairs.Values.Sum()} sent back for repair ({Join(repairs)}), {stats.Repaired} passed after it" : "")}"));
        var llm = stats.Llm;
        if (llm.Answered + llm.Cached + llm.Failures.Count > 0)
        {
            var failures = llm.Failures;
            console.WriteLine(string.Create(inv,
                $"llm: {Words.Count(llm.Answered, "answer")} received, {llm.Cached} from the cache, {Words.Count(llm.Retries, "retry", "retries")}{(failures.Count > 0 ? $", failed: {Join(failures)}" : "")}; {llm.PromptTokens:N0} prompt + {Words.Count(llm.CompletionTokens, "completion token", format: "N0")}{(stats.EstimatedCost is { } cost ? $"; estimated cost {cost:0.####}" : "")}{(stats.CostPerKeptSample is { } each ? $" ({each:0.######} per kept sample)" : "")}"));
        }

        if (stats.Reused + stats.Carried > 0 || stats.Run.Kind == RunKind.Refresh)
        {
            console.WriteLine(string.Create(inv,
                $"{stats.Run.Kind.ToWire()}: {Words.Count(stats.Added, "new row")}; {Words.Count(stats.Reused, "sample")} reused from earlier runs{(stats.Carried > 0 ? $", {stats.Carried} carried over from sources not seen this time" : "")}{(stats.Run.PreviousRows is { } before ? $" (previous run: {Words.Count(before, "row")})" : "")}"));
        }

        var rows = stats.Splits.OrderBy(kv => kv.Key == "train" ? 0 : 1).Select(kv => $"{kv.Key} {kv.Value}");
        console.WriteLine(string.Create(inv, $"wrote {Words.Count(stats.Splits.Values.Sum(), "row")} ({string.Join(", ", rows.DefaultIfEmpty("none"))}) to {outDir}"));
        foreach (var file in ListWritten(outDir))
        {
            console.WriteLine("  " + file);
        }

        foreach (var notice in stats.Notices)
        {
            console.MarkupLineInterpolated($"[yellow]note:[/] {notice}");
        }
    }

    /// <summary>Writes what a <c>--dry-run</c> found: seeds, the requests a run would send, and their cost where priced.</summary>
    public void WritePlan(RunPlan plan, Core.Config.LlmConfig? llm, string? model, int candidates = 1)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var inv = CultureInfo.InvariantCulture;
        console.WriteLine(string.Create(inv,
            $"seeds: {plan.Seeds} ({Words.Count(stats.DocumentedMethods, "documented method")}, {stats.SelfContained} self-contained, seed yield {stats.SeedYield:P1}{(stats.InspirationSeeds > 0 ? $"; {Words.Count(stats.InspirationSeeds, "more method", "more methods")} as inspiration for instruct" : "")})"));
        if (llm is null || model is null)
        {
            console.WriteLine("llm: none configured; a run would write doc-comment pairs only and send no request");
        }
        else
        {
            console.WriteLine(string.Create(inv,
                $"llm: a run would send {Words.Count(plan.ToSend, "request")} to {model} ({plan.Cached} of {plan.Requests} are answered in the state store already{(candidates > 1 ? $"; {candidates} answers per seed, generation.candidates" : "")})"));
            var maxCompletion = plan.ToSend * (long)llm.MaxTokens;
            var cost = Core.Config.Pricing.Estimate(llm, model, plan.PromptTokens, maxCompletion);
            console.WriteLine(string.Create(inv,
                $"tokens: about {Words.Count(plan.PromptTokens, "prompt token", format: "N0")}, at most {Words.Count(maxCompletion, "completion token", format: "N0")} (llm.max-tokens {llm.MaxTokens} each){(cost is { } c ? $"; at most {c:0.####} at the prices in llm.prices" : "")}"));
            if (Budget(llm, cost, plan.PromptTokens + maxCompletion) is { } budget)
            {
                console.WriteLine(budget);
            }
        }

        console.WriteLine("nothing was sent and nothing was written (--dry-run)");
        foreach (var notice in stats.Notices)
        {
            console.MarkupLineInterpolated($"[yellow]note:[/] {notice}");
        }
    }

    /// <summary>How a dry run's worst case compares with <c>llm.max-cost</c> and <c>llm.max-tokens-total</c>; null when neither is set.</summary>
    private static string? Budget(Core.Config.LlmConfig llm, double? cost, long tokens)
    {
        var inv = CultureInfo.InvariantCulture;
        var parts = new List<string>();
        if (llm.MaxCost is { } maxCost)
        {
            parts.Add(cost is { } c
                ? string.Create(inv, $"llm.max-cost {maxCost}: the worst case ({c:0.####}) {(c <= maxCost ? "fits" : "is over it")}")
                : string.Create(inv, $"llm.max-cost {maxCost}: no price for the model in llm.prices to compare with"));
        }

        if (llm.MaxTokensTotal is { } maxTokens)
        {
            parts.Add(string.Create(inv, $"llm.max-tokens-total {maxTokens:N0}: the worst case ({tokens:N0} tokens) {(tokens <= maxTokens ? "fits" : "is over it")}"));
        }

        if (parts.Count == 0)
        {
            return null;
        }

        var over = (cost is { } x && llm.MaxCost is { } y && x > y) || (llm.MaxTokensTotal is { } z && tokens > z);
        return $"budget: {string.Join("; ", parts)}{(over ? "; a run would stop sending once the budget is reached, export what it has, and the next run would continue" : "")}";
    }

    /// <summary>
    /// The files this run wrote, with their sizes: never a walk of the folder, which would list the user's own files as
    /// written (and, in a folder like /, walk into /proc).
    /// </summary>
    private IEnumerable<string> ListWritten(string outDir)
    {
        foreach (var relative in stats.Written.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var info = new FileInfo(Path.Combine(outDir, relative));
            yield return string.Create(CultureInfo.InvariantCulture, $"{relative} ({Words.Count(info.Exists ? info.Length : 0, "byte", format: "N0")})");
        }
    }

    private static string Join(IReadOnlyDictionary<string, long> counts) =>
        string.Join(", ", counts.OrderByDescending(kv => kv.Value).Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key} {kv.Value}")));
}
