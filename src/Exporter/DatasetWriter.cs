using System.Diagnostics;
using System.IO.Compression;
using System.Security.Cryptography;
using AutoRefiner.Core;
using AutoRefiner.Core.Config;
using AutoRefiner.Core.Curation;
using AutoRefiner.Core.Model;
using AutoRefiner.Core.Pipeline;
using Parquet;

namespace AutoRefiner.Exporter;

/// <summary>
/// Writes a run's output into a staging folder inside <c>--out</c> and, only when the run completes, replaces the
/// previous output with it; a failed or cancelled run leaves the previous dataset as it was. What it replaces is decided
/// by the <see cref="OutputFolder"/> guard: only files AutoRefiner wrote there before; a user's own files stay.
/// </summary>
internal sealed class DatasetWriter : IDatasetSink, Configs.IConfigRowSink
{
    private readonly HarvestConfig _config;
    private readonly RunDescription _run;
    private readonly IReadOnlyList<ISampleGenerator> _generators;
    private readonly TimeProvider _time;
    private readonly OutputFolder _output;
    private readonly string _out;
    private readonly string _staging;
    private readonly Dictionary<string, ParquetShardWriter<DatasetRow>> _parquet = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonlWriter<DatasetRow>> _jsonl = new(StringComparer.Ordinal);
    private readonly JsonlWriter<RejectedRow> _rejected;
    private readonly SourceTally _sources = new();
    private readonly MutationTally _mutation = new();
    private readonly Report.ReportData _report = new();
    private readonly ParquetOptions _parquetOptions;
    private readonly Configs.ExecutionFeedbackWriter _configs;
    private long _promptTokens;
    private long _completionTokens;
    private long _rows;
    private bool _completed;

    /// <summary>Opens a writer; without <paramref name="output"/>, the configured folder goes through the guard here.</summary>
    public DatasetWriter(HarvestConfig config, RunDescription run, IEnumerable<ISampleGenerator> generators, TimeProvider time, OutputFolder? output = null)
    {
        _config = config;
        _run = run;
        _generators = [.. generators];
        _time = time;
        _output = output ?? OutputFolder.Claim(config.ResolvePath(config.Export.Out), config.Export.Out, "--out", OutputLayout.Dataset);
        _out = _output.FullPath;
        RemoveAbandonedStaging(_out);
        _staging = Path.Combine(_out, $".staging-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_staging);
        _rejected = new JsonlWriter<RejectedRow>(Path.Combine(_staging, "rejected.jsonl"), ExportJson.Lines.RejectedRow);
        _parquetOptions = ParquetOptionsFor(config.Export.Compression);
        _configs = new Configs.ExecutionFeedbackWriter(config, _staging, WritesParquet ? _parquetOptions : null, WritesJsonl);
    }

    /// <summary>Deletes staging folders left by runs whose process is gone (killed, out of memory, power cut).</summary>
    private static void RemoveAbandonedStaging(string outDir)
    {
        if (!Directory.Exists(outDir))
        {
            return;
        }

        foreach (var dir in Directory.GetDirectories(outDir, ".staging-*"))
        {
            var parts = Path.GetFileName(dir).Split('-');
            if (parts.Length >= 2 && int.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var pid) && !IsAlive(pid))
            {
                try
                {
                    Directory.Delete(dir, recursive: true);
                }
                catch (IOException)
                {
                    // Another run may be removing it too.
                }
            }
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Parquet options for a codec name of <c>export.compression</c>. Zstd is set to <c>Optimal</c>: its default level is ~50× slower.</summary>
    public static ParquetOptions ParquetOptionsFor(ParquetCodec compression) => new()
    {
        CompressionMethod = compression switch
        {
            ParquetCodec.Zstd => CompressionMethod.Zstd,
            ParquetCodec.Snappy => CompressionMethod.Snappy,
            ParquetCodec.Gzip => CompressionMethod.Gzip,
            _ => CompressionMethod.None,
        },
        CompressionLevel = CompressionLevel.Optimal,
    };

    /// <summary>The run's counters, when the writer should count rows as they are written (live progress).</summary>
    public RunStats? Stats { get; init; }

    private bool WritesParquet => _config.Export.Formats.Contains(ExportFormat.Parquet);

    private bool WritesJsonl => _config.Export.Formats.Contains(ExportFormat.Jsonl);

    /// <inheritdoc />
    public async ValueTask AddAsync(Judged judged, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(judged);
        _promptTokens += judged.Candidate.PromptTokens;
        _completionTokens += judged.Candidate.CompletionTokens;
        await _configs.AddAsync(judged, cancellationToken);
        if (judged.Alternative && judged.Verdict == Verdict.Passed)
        {
            // Passed, but another answer to the same seed is its SFT row: it is a preference pair's chosen answer only.
            return;
        }

        if (judged.Verdict != Verdict.Passed)
        {
            var rejected = RejectedRow.From(judged, _config.Lang, (judged.Candidate.CreatedAt ?? _time.GetUtcNow()).UtcDateTime);
            _rejected.Write(rejected);
            _report.AddRejected(rejected.Verdict, rejected.Instruction, rejected.Response, rejected.Detail);
            return;
        }

        var id = SampleId.Of(judged.Candidate);
        var split = SampleId.SplitOf(judged.Candidate, id, _config.Export.TestSplit);
        var row = DatasetRow.From(judged, id, _config.Lang, (judged.Candidate.CreatedAt ?? _time.GetUtcNow()).UtcDateTime);
        _rows++;
        _sources.Add(row);
        _mutation.Add(row);
        _report.AddRow(row);
        Stats?.Exported.Add();
        if (WritesParquet)
        {
            if (!_parquet.TryGetValue(split, out var parquet))
            {
                _parquet[split] = parquet = new ParquetShardWriter<DatasetRow>(
                    Path.Combine(_staging, "data"), split, _parquetOptions, _config.Export.RowGroupRows, _config.Export.ShardRows);
            }

            await parquet.AddAsync(row, cancellationToken);
        }

        if (WritesJsonl)
        {
            if (!_jsonl.TryGetValue(split, out var jsonl))
            {
                _jsonl[split] = jsonl = new JsonlWriter<DatasetRow>(Path.Combine(_staging, "jsonl", $"{split}.jsonl"), ExportJson.Lines.DatasetRow);
            }

            jsonl.Write(row);
        }
    }

    /// <inheritdoc />
    public ValueTask AddPreferenceAsync(string split, Configs.PreferenceRow row, CancellationToken cancellationToken) => _configs.AddPreferenceAsync(split, row, cancellationToken);

    /// <inheritdoc />
    public ValueTask AddFeedbackAsync(string split, Configs.FeedbackRow row, CancellationToken cancellationToken) => _configs.AddFeedbackAsync(split, row, cancellationToken);

    /// <inheritdoc />
    public async ValueTask CompleteAsync(RunStats stats, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stats);
        if (_rows == 0 && _output.PreviousRows is > 0 and var previous && !_output.AllowEmpty)
        {
            // An empty result is almost always a mistake (a wrong path, an unreadable tree, a filter that keeps nothing):
            // it must not wipe out a dataset made earlier. Disposing removes the staging folder.
            var inv = System.Globalization.CultureInfo.InvariantCulture;
            throw AutoRefinerException.RunFailed(string.Create(inv,
                $"this run produced no rows ({stats.Files.Count} C# files read, {stats.Seeds.Count} seeds, {stats.Candidates.Count} candidates), so the dataset already in {_output.Shown} ({previous} {(previous == 1 ? "row" : "rows")}) was kept; check the sources, or pass --allow-empty to replace it with an empty one"));
        }

        var rowsPerSplit = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var files = new List<(string Path, long? Rows)>();
        foreach (var (split, writer) in _parquet)
        {
            rowsPerSplit[split] = writer.Rows;
            foreach (var (path, rows) in await writer.CompleteAsync(cancellationToken))
            {
                files.Add((path, rows));
            }

            await writer.DisposeAsync();
        }

        foreach (var (split, writer) in _jsonl)
        {
            rowsPerSplit[split] = writer.Lines;
            files.Add((writer.FilePath, writer.Lines));
            await writer.DisposeAsync();
        }

        files.Add((_rejected.FilePath, _rejected.Lines));
        await _rejected.DisposeAsync();
        files.AddRange(await _configs.CompleteAsync(cancellationToken));

        var attribution = Path.Combine(_staging, "ATTRIBUTION.md");
        await File.WriteAllTextAsync(attribution, Attribution.Write(_sources), cancellationToken);
        files.Add((attribution, null));

        foreach (var (split, rows) in rowsPerSplit)
        {
            stats.Splits[split] = rows;
        }

        stats.Exported.Finish();
        var manifest = BuildManifest(stats, rowsPerSplit);
        (manifest.Configs, manifest.Difficulty) = (_configs.Configs, _configs.Difficulty);
        foreach (var (path, rows) in files.OrderBy(f => f.Path, StringComparer.Ordinal))
        {
            manifest.Files.Add(await Describe(path, rows, cancellationToken));
        }

        // The report is made from the rows written (whatever the formats) and staged with them, so it is published
        // atomically with the data and listed in the manifest like every other file.
        var report = Path.Combine(_staging, "report.html");
        await Report.ReportWriter.WriteStagedAsync(report, manifest, _report, cancellationToken);
        manifest.Files.Add(await Describe(report, null, cancellationToken));
        manifest.Files.Sort((x, y) => string.CompareOrdinal(x.Path, y.Path));

        var splits = rowsPerSplit.Keys.OrderBy(s => s == "train" ? 0 : 1).ToList();
        await File.WriteAllTextAsync(Path.Combine(_staging, "README.md"), DatasetCard.Write(manifest, _sources, splits, WritesParquet), cancellationToken);
        await using (var stream = File.Create(Path.Combine(_staging, "manifest.json")))
        {
            await System.Text.Json.JsonSerializer.SerializeAsync(stream, manifest, ExportJson.Indented.Manifest, cancellationToken);
        }

        Publish(stats);
        _completed = true;
    }

    private Manifest BuildManifest(RunStats stats, SortedDictionary<string, long> rows)
    {
        var verdicts = stats.Verdicts;
        using var process = Process.GetCurrentProcess();
        return new Manifest
        {
            ToolVersion = _run.ToolVersion,
            ConfigHash = _run.ConfigHash,
            Command = _run.Command,
            Lang = _config.Lang,
            Sources = [.. _run.Sources],
            Model = _run.Model,
            PromptVersions = _run.PromptVersions is { } given
                ? given.ToDictionary(StringComparer.Ordinal)
                : _generators.ToDictionary(g => g.Task, g => g.PromptVersion, StringComparer.Ordinal),
            StartedAt = stats.StartedAt,
            FinishedAt = _time.GetUtcNow(),
            Counts = new ManifestCounts
            {
                Repositories = stats.Repositories,
                RepositoriesSkipped = new SortedDictionary<string, long>(stats.RepositorySkips.ToDictionary(), StringComparer.Ordinal),
                GitHubRequests = stats.GitHubRequests,
                Files = stats.Files.Count,
                FilesSkipped = new SortedDictionary<string, long>(stats.FileSkips.ToDictionary(), StringComparer.Ordinal),
                DocumentedMethods = stats.DocumentedMethods,
                SelfContained = stats.SelfContained,
                SeedYield = Math.Round(stats.SeedYield, 4),
                InspirationSeeds = stats.InspirationSeeds,
                SeedsRejected = new SortedDictionary<string, long>(stats.SeedRejects.ToDictionary(), StringComparer.Ordinal),
                SeedRejectExamples = new SortedDictionary<string, List<string>>(
                    stats.SeedRejectExamples.ToDictionary(kv => kv.Key, kv => kv.Value.ToList()), StringComparer.Ordinal),
                Seeds = stats.Seeds.Count,
                Candidates = stats.Candidates.Count,
                Verdicts = VerdictNames.All.ToDictionary(v => v.ToWire(), v => verdicts.GetValueOrDefault(v), StringComparer.Ordinal),
                Repairs = new SortedDictionary<string, long>(stats.Repairs.ToDictionary(), StringComparer.Ordinal),
                Repaired = stats.Repaired,
                Rows = rows,
            },
            TimingsSeconds = stats.Stages.ToDictionary(s => s.Name, s => Math.Round(s.Elapsed.TotalSeconds, 3), StringComparer.Ordinal),
            TokenUsage = new Dictionary<string, long>(StringComparer.Ordinal) { ["prompt_tokens"] = _promptTokens, ["completion_tokens"] = _completionTokens },
            Curation = stats.Run.Curation is not { } curation ? null : new ManifestCuration
            {
                NearDuplicates = curation.NearDuplicates,
                Benchmarks = new SortedDictionary<string, int>(curation.Benchmarks.ToDictionary(), StringComparer.Ordinal),
                Secrets = curation.Secrets,
                Licenses = [.. curation.Licenses],
                UnlicensedLocal = curation.UnlicensedLocal,
            },
            Run = new ManifestRun
            {
                Kind = stats.Run.Kind.ToWire(),
                Id = stats.Run.Id,
                PreviousRows = stats.Run.PreviousRows,
                AddedRows = stats.Added,
                Reused = stats.Reused,
                Carried = stats.Carried,
            },
            Sandbox = stats.Sandbox.Isolation is not { } isolation ? null : new ManifestSandbox
            {
                Isolation = isolation,
                WorkersStarted = stats.Sandbox.WorkersStarted,
                WorkersReplaced = stats.Sandbox.WorkersReplaced,
            },
            Mutation = _mutation.ToManifest(_config.Validation, verdicts.GetValueOrDefault(Verdict.WeakTests)),
            Llm = _run.Model is not { } model ? null : new ManifestLlm
            {
                Answered = stats.Llm.Answered,
                Cached = stats.Llm.Cached,
                Attempts = stats.Llm.Attempts,
                Retries = stats.Llm.Retries,
                Failures = new SortedDictionary<string, long>(stats.Llm.Failures.ToDictionary(), StringComparer.Ordinal),
                PromptTokensBilled = stats.Llm.PromptTokens,
                CompletionTokensBilled = stats.Llm.CompletionTokens,
                EstimatedCost = stats.EstimatedCost is { } cost ? Math.Round(cost, 6) : null,
                CostPerKeptSample = stats.EstimatedCost is { } total && rows.Values.Sum() is var kept and > 0
                    ? Math.Round(total / kept, 6)
                    : null,
                MaxCost = _config.Llm.MaxCost,
                MaxTokensTotal = _config.Llm.MaxTokensTotal,
                BudgetReached = stats.Budget?.Reached,
                SeedsLeftForBudget = stats.LeftForBudget,
            },
            PeakWorkingSetBytes = process.PeakWorkingSet64,
        };
    }

    private async Task<ManifestFile> Describe(string path, long? rows, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        var hash = await SHA256.HashDataAsync(stream, cancellationToken);
        return new ManifestFile
        {
            Path = Path.GetRelativePath(_staging, path).Replace('\\', '/'),
            Rows = rows,
            Bytes = stream.Length,
            Sha256 = Convert.ToHexStringLower(hash),
        };
    }

    /// <summary>
    /// Replaces the previous run's files in the output folder with the staged ones, through the guard: only files
    /// AutoRefiner wrote are replaced or removed, never through a link, and a failure midway puts the previous ones back.
    /// </summary>
    private void Publish(RunStats stats)
    {
        var staged = Directory.GetFiles(_staging, "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(_staging, p).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();
        _output.Publish(_staging, staged, stats.Wrote);
        Directory.Delete(_staging, recursive: true);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_completed)
        {
            return;
        }

        foreach (var writer in _parquet.Values)
        {
            await writer.DisposeAsync();
        }

        foreach (var writer in _jsonl.Values)
        {
            await writer.DisposeAsync();
        }

        await _rejected.DisposeAsync();
        await _configs.DisposeAsync();
        try
        {
            Directory.Delete(_staging, recursive: true);
        }
        catch (IOException)
        {
            // Leftover staging folders are named .staging-* and never read; a later run may remove them by hand.
        }
    }
}

/// <summary>Opens a <see cref="DatasetWriter"/> per run.</summary>
internal sealed class DatasetWriterFactory(HarvestConfig config, RunDescription run, IEnumerable<ISampleGenerator> generators, TimeProvider time, OutputFolder? output = null) : IDatasetSinkFactory
{
    /// <inheritdoc />
    public IDatasetSink Open(RunStats stats) => new DatasetWriter(config, run, generators, time, output) { Stats = stats };
}
