using AutoRefiner.Core.Config;
using AutoRefiner.Core.Model;
using Parquet;

namespace AutoRefiner.Exporter.Configs;

/// <summary>
/// Collects the judged answers of each seed as they reach the writer (a seed's answers arrive together) and writes its
/// <c>preference</c> pairs and <c>feedback</c> conversations; also counts the SFT rows per difficulty.
/// </summary>
internal sealed class ExecutionFeedbackWriter : IAsyncDisposable
{
    private readonly HarvestConfig _config;
    private readonly ConfigWriter<PreferenceRow> _preference;
    private readonly ConfigWriter<FeedbackRow> _feedback;
    private readonly List<Judged> _group = [];
    private readonly HashSet<string> _merged = new(StringComparer.Ordinal);
    private string? _groupKey;

    public ExecutionFeedbackWriter(HarvestConfig config, string staging, ParquetOptions? parquet, bool jsonl)
    {
        _config = config;
        _preference = new ConfigWriter<PreferenceRow>(
            staging, ExecutionFeedback.Preference, ExportJson.Lines.PreferenceRow, parquet, jsonl, config.Export.RowGroupRows, config.Export.ShardRows);
        _feedback = new ConfigWriter<FeedbackRow>(
            staging, ExecutionFeedback.Feedback, ExportJson.Lines.FeedbackRow, parquet, jsonl, config.Export.RowGroupRows, config.Export.ShardRows);
    }

    /// <summary>SFT rows per difficulty (rows a model wrote only).</summary>
    public SortedDictionary<string, long> Difficulty { get; } = new(StringComparer.Ordinal);

    /// <summary>Rows per split of each config written (those with none are left out).</summary>
    public SortedDictionary<string, SortedDictionary<string, long>> Configs
    {
        get
        {
            var configs = new SortedDictionary<string, SortedDictionary<string, long>>(StringComparer.Ordinal);
            foreach (var (name, rows) in new[] { (_preference.Name, _preference.Rows), (_feedback.Name, _feedback.Rows) })
            {
                if (rows.Count > 0)
                {
                    configs[name] = new SortedDictionary<string, long>(rows, StringComparer.Ordinal);
                }
            }

            return configs;
        }
    }

    /// <summary>Takes one judged (curated) answer; a seed's group is written when the next seed's first answer comes.</summary>
    public async ValueTask AddAsync(Judged judged, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(judged);
        if (judged is { Verdict: Verdict.Passed, Alternative: false, Difficulty: { } difficulty })
        {
            Difficulty[difficulty] = Difficulty.GetValueOrDefault(difficulty) + 1;
        }

        var c = judged.Candidate;
        if (c.CandidateIndex is null && judged.Before is null)
        {
            return;
        }

        var key = $"{c.SeedId}\n{c.Task}\n{c.Generator}";
        if (key != _groupKey)
        {
            await FlushAsync(cancellationToken);
            _groupKey = key;
        }

        _group.Add(judged);
    }

    private async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (_group.Count == 0)
        {
            return;
        }

        // Answers repaired the same way (identical failures get the cached repair) make one row, not several.
        var share = _config.Export.TestSplit;
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (chosen, rejected, source) in ExecutionFeedback.Pairs(_group))
        {
            var row = ExecutionFeedback.ToRow(chosen, rejected, source, _config.Lang);
            if (ids.Add(row.Id))
            {
                await _preference.AddAsync(ExecutionFeedback.SplitOf(chosen, share), row, cancellationToken);
            }
        }

        foreach (var (final, failures) in ExecutionFeedback.Conversations(_group))
        {
            var row = ExecutionFeedback.ToRow(final, failures, _config.Lang);
            if (ids.Add(row.Id))
            {
                await _feedback.AddAsync(ExecutionFeedback.SplitOf(final, share), row, cancellationToken);
            }
        }

        _group.Clear();
    }

    /// <summary>Adds a preference row made by an earlier run (<c>merge</c>); one with an id already added is left out.</summary>
    public async ValueTask AddPreferenceAsync(string split, PreferenceRow row, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (_merged.Add("p:" + row.Id))
        {
            await _preference.AddAsync(split, row, cancellationToken);
        }
    }

    /// <summary>Adds a feedback row made by an earlier run (<c>merge</c>); one with an id already added is left out.</summary>
    public async ValueTask AddFeedbackAsync(string split, FeedbackRow row, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (_merged.Add("f:" + row.Id))
        {
            await _feedback.AddAsync(split, row, cancellationToken);
        }
    }

    /// <summary>Writes the last group and closes every file; returns (path, rows) of each.</summary>
    public async Task<List<(string Path, long? Rows)>> CompleteAsync(CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken);
        var files = await _preference.CompleteAsync(cancellationToken);
        files.AddRange(await _feedback.CompleteAsync(cancellationToken));
        return files;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _preference.DisposeAsync();
        await _feedback.DisposeAsync();
    }
}
