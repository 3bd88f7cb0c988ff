using System.Collections.Concurrent;
using AutoRefiner.Core.Config;
using AutoRefiner.Core.Model;

namespace AutoRefiner.Core.Pipeline;

/// <summary>Everything a run counts: live stage counters, skips and rejections by reason, notices for the user.</summary>
public sealed class RunStats
{
    private readonly ConcurrentDictionary<string, long> _fileSkips = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _seedRejects = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Verdict, long> _verdicts = new();
    private readonly ConcurrentQueue<string> _notices = new();
    private readonly ConcurrentQueue<string> _written = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _seedRejectExamples = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _repositorySkips = new(StringComparer.Ordinal);
    private long _documentedMethods;
    private long _repositories;
    private long _selfContained;
    private long _inspiration;
    private long _repaired;
    private long _reused;
    private long _leftForBudget;
    private long _carried;
    private long _added;
    private readonly ConcurrentDictionary<string, long> _repairs = new(StringComparer.Ordinal);

    private long _gitHubRequests;

    /// <summary>Creates the counters of a run that starts now; <paramref name="run"/> says what the run is (a harvest when null).</summary>
    public RunStats(TimeProvider time, RunContext? run = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        Time = time;
        Run = run ?? new RunContext(RunKind.Harvest);
        Budget = Run.Model is { } model ? new LlmBudget(Run.Llm, model, Llm) : null;
        StartedAt = time.GetUtcNow();
        Files = new StageCounter("files", time);
        Seeds = new StageCounter("seeds", time);
        Candidates = new StageCounter("candidates", time);
        Validated = new StageCounter("validated", time);
        Exported = new StageCounter("exported", time);
    }

    /// <summary>What the run is: kind, number, previous rows, curation, model.</summary>
    public RunContext Run { get; }

    /// <summary>The run's clock.</summary>
    public TimeProvider Time { get; }

    /// <summary>When the run started.</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>C# files read.</summary>
    public StageCounter Files { get; }

    /// <summary>Self-contained seeds found.</summary>
    public StageCounter Seeds { get; }

    /// <summary>Candidates generated.</summary>
    public StageCounter Candidates { get; }

    /// <summary>Candidates judged.</summary>
    public StageCounter Validated { get; }

    /// <summary>Rows written.</summary>
    public StageCounter Exported { get; }

    /// <summary>The stages in pipeline order.</summary>
    public IReadOnlyList<StageCounter> Stages => [Files, Seeds, Candidates, Validated, Exported];

    /// <summary>Methods with an XML doc summary and a body: the denominator of seed yield.</summary>
    public long DocumentedMethods => Interlocked.Read(ref _documentedMethods);

    /// <summary>Documented methods that became self-contained units (before seed de-duplication and <c>--limit</c>).</summary>
    public long SelfContained => Interlocked.Read(ref _selfContained);

    /// <summary>Self-contained units per documented method.</summary>
    public double SeedYield => DocumentedMethods == 0 ? 0 : (double)SelfContained / DocumentedMethods;

    /// <summary>Files passed over, by reason.</summary>
    public IReadOnlyDictionary<string, long> FileSkips => Snapshot(_fileSkips);

    /// <summary>Documented methods that did not become seeds, by reason.</summary>
    public IReadOnlyDictionary<string, long> SeedRejects => Snapshot(_seedRejects);

    /// <summary>Candidates by verdict.</summary>
    public IReadOnlyDictionary<Verdict, long> Verdicts => _verdicts.ToDictionary(kv => kv.Key, kv => kv.Value);

    /// <summary>Rows per split, set by the exporter.</summary>
    public IDictionary<string, long> Splits { get; } = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);

    /// <summary>Things the user should be told at the end (no LLM configured, empty source, …).</summary>
    public IReadOnlyCollection<string> Notices => _notices;

    /// <summary>Files this run wrote into its output folder (relative, with <c>/</c>), in the order written.</summary>
    public IReadOnlyCollection<string> Written => _written;

    /// <summary>Records a file this run wrote into its output folder.</summary>
    public void Wrote(string relativePath) => _written.Enqueue(relativePath);

    /// <summary>Repositories harvested.</summary>
    public long Repositories => Interlocked.Read(ref _repositories);

    /// <summary>Repositories passed over, by reason (fork, archived, license, not-found, corrupt-archive, …).</summary>
    public IReadOnlyDictionary<string, long> RepositorySkips => Snapshot(_repositorySkips);

    /// <summary>The test sandbox's isolation and worker replacements.</summary>
    public SandboxUsage Sandbox { get; } = new();

    /// <summary>Requests to the LLM, cache hits, tokens and cost.</summary>
    public LlmUsage Llm { get; } = new();

    /// <summary><c>llm.max-cost</c> and <c>llm.max-tokens-total</c>, when the run has an LLM.</summary>
    public LlmBudget? Budget { get; }

    /// <summary>Seeds (one per generator) left for the next run because the budget allowed no more requests.</summary>
    public long LeftForBudget => Interlocked.Read(ref _leftForBudget);

    /// <summary>Counts a seed left for the next run by the budget.</summary>
    public void CountLeftForBudget() => Interlocked.Increment(ref _leftForBudget);

    /// <summary>
    /// What the LLM cost per row this run exported, at the prices in <c>llm.prices</c>; null without a price or a row.
    /// </summary>
    public double? CostPerKeptSample => EstimatedCost is { } cost && Splits.Values.Sum() is var rows and > 0 ? cost / rows : null;

    /// <summary>What the tokens billed so far cost at <c>llm.prices</c>; null without a model or a price for it. The one place cost is computed.</summary>
    public double? EstimatedCost => Run.Model is { } model ? Pricing.Estimate(Run.Llm, model, Llm.PromptTokens, Llm.CompletionTokens) : null;

    /// <summary>Requests sent to the GitHub API (including retries and redirects), when GitHub was used.</summary>
    public long GitHubRequests => Interlocked.Read(ref _gitHubRequests);

    /// <summary>Counts requests sent to the GitHub API.</summary>
    public void CountGitHubRequests(long n) => Interlocked.Add(ref _gitHubRequests, n);

    /// <summary>Counts a harvested repository.</summary>
    public void CountRepository() => Interlocked.Increment(ref _repositories);

    /// <summary>Counts a repository passed over.</summary>
    public void SkipRepository(string reason) => _repositorySkips.AddOrUpdate(reason, 1, (_, n) => n + 1);

    /// <summary>Counts a skipped file.</summary>
    public void SkipFile(string reason) => _fileSkips.AddOrUpdate(reason, 1, (_, n) => n + 1);

    /// <summary>Counts a documented method.</summary>
    public void CountDocumentedMethod() => Interlocked.Increment(ref _documentedMethods);

    /// <summary>Counts a documented method that compiled on its own.</summary>
    public void CountSelfContained() => Interlocked.Increment(ref _selfContained);

    /// <summary>Inspiration seeds found (methods not self-contained or not documented, for the instruct generator).</summary>
    public long InspirationSeeds => Interlocked.Read(ref _inspiration);

    /// <summary>Counts an inspiration seed.</summary>
    public void CountInspiration() => Interlocked.Increment(ref _inspiration);

    /// <summary>Up to <see cref="MaxExamples"/> examples (method and why) per seed rejection reason.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> SeedRejectExamples =>
        new SortedDictionary<string, IReadOnlyList<string>>(_seedRejectExamples.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<string>)[.. kv.Value]), StringComparer.Ordinal);

    /// <summary>How many examples are kept per reason.</summary>
    public const int MaxExamples = 5;

    /// <summary>Counts a documented method that did not become a seed, keeping the first few examples.</summary>
    public void RejectSeed(string reason, string? example = null)
    {
        _seedRejects.AddOrUpdate(reason, 1, (_, n) => n + 1);
        if (example is not null)
        {
            var examples = _seedRejectExamples.GetOrAdd(reason, _ => new ConcurrentQueue<string>());
            if (examples.Count < MaxExamples)
            {
                examples.Enqueue(example);
            }
        }
    }

    /// <summary>
    /// Adds what another run found before its candidates (a shard being merged): repositories, skipped files, documented
    /// methods and seeds, and why methods did not become seeds.
    /// </summary>
    public void AddFindingsOf(FindingCounts other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Interlocked.Add(ref _repositories, other.Repositories);
        Interlocked.Add(ref _documentedMethods, other.DocumentedMethods);
        Interlocked.Add(ref _selfContained, other.SelfContained);
        Interlocked.Add(ref _inspiration, other.InspirationSeeds);
        Interlocked.Add(ref _gitHubRequests, other.GitHubRequests);
        foreach (var (reason, n) in other.RepositorySkips)
        {
            _repositorySkips.AddOrUpdate(reason, n, (_, m) => m + n);
        }

        foreach (var (reason, n) in other.FileSkips)
        {
            _fileSkips.AddOrUpdate(reason, n, (_, m) => m + n);
        }

        foreach (var (reason, n) in other.SeedRejects)
        {
            _seedRejects.AddOrUpdate(reason, n, (_, m) => m + n);
        }

        foreach (var (reason, examples) in other.SeedRejectExamples)
        {
            var kept = _seedRejectExamples.GetOrAdd(reason, _ => new ConcurrentQueue<string>());
            foreach (var example in examples.Take(MaxExamples - kept.Count))
            {
                kept.Enqueue(example);
            }
        }
    }

    /// <summary>Repair rounds started, by the verdict that prompted them.</summary>
    public IReadOnlyDictionary<string, long> Repairs => Snapshot(_repairs);

    /// <summary>Candidates that passed after a repair.</summary>
    public long Repaired => Interlocked.Read(ref _repaired);

    /// <summary>Counts a repair round started after <paramref name="verdict"/>.</summary>
    public void CountRepair(Verdict verdict) => _repairs.AddOrUpdate(verdict.ToWire(), 1, (_, n) => n + 1);

    /// <summary>Counts a candidate that passed after a repair.</summary>
    public void CountRepaired() => Interlocked.Increment(ref _repaired);

    /// <summary>Judged samples reused from earlier runs (a resumed run, a refresh) instead of being generated again.</summary>
    public long Reused => Interlocked.Read(ref _reused);

    /// <summary>Judged samples of seeds this run did not see, carried over into a refresh's union.</summary>
    public long Carried => Interlocked.Read(ref _carried);

    /// <summary>Rows exported that were judged for the first time in this run.</summary>
    public long Added => Interlocked.Read(ref _added);

    /// <summary>Counts samples reused.</summary>
    public void CountReused(long n) => Interlocked.Add(ref _reused, n);

    /// <summary>Counts a sample carried over.</summary>
    public void CountCarried() => Interlocked.Increment(ref _carried);

    /// <summary>Counts an exported row new in this run.</summary>
    public void CountAdded() => Interlocked.Increment(ref _added);

    /// <summary>Counts a verdict.</summary>
    public void CountVerdict(Verdict verdict) => _verdicts.AddOrUpdate(verdict, 1, (_, n) => n + 1);

    /// <summary>
    /// What the run waits for and until when (a source's rate limit), while it waits; null otherwise. The LLM's waits
    /// are in <see cref="LlmUsage.WaitingUntil"/>.
    /// </summary>
    public (string What, DateTimeOffset Until)? Waiting
    {
        get
        {
            var wait = Volatile.Read(ref _waiting);
            return wait is { } w && w.Item2 > Time.GetUtcNow() ? (w.Item1, w.Item2) : null;
        }
    }

    private Tuple<string, DateTimeOffset>? _waiting;

    /// <summary>Records that the run waits for <paramref name="what"/> until <paramref name="until"/>, for the progress line.</summary>
    public void WaitFor(string what, DateTimeOffset until) => Volatile.Write(ref _waiting, Tuple.Create(what, until));

    /// <summary>Adds a notice for the user, once.</summary>
    public void Notice(string message)
    {
        if (!_notices.Contains(message))
        {
            _notices.Enqueue(message);
        }
    }

    private static SortedDictionary<string, long> Snapshot(ConcurrentDictionary<string, long> source) =>
        new(source.ToDictionary(kv => kv.Key, kv => kv.Value), StringComparer.Ordinal);
}
