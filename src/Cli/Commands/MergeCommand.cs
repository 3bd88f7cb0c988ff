using AutoRefiner.Cli.Rendering;
using AutoRefiner.Core;
using AutoRefiner.Core.Config;
using AutoRefiner.Core.Curation;
using AutoRefiner.Core.Pipeline;
using AutoRefiner.Core.State;
using AutoRefiner.Core.Text;
using AutoRefiner.Exporter;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using Spectre.Console.Cli;

namespace AutoRefiner.Cli.Commands;

/// <summary>
/// <c>autorefiner merge DIR...</c>: combines the outputs of several runs (the shards of a harvest) into one dataset,
/// with exact duplicates across them removed as one run would have, and their state stores into one.
/// </summary>
public sealed class MergeCommand(CommandEnvironment environment) : AsyncCommand<MergeSettings>
{
    /// <inheritdoc />
    public override async Task<int> ExecuteAsync(CommandContext context, MergeSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var cwd = Directory.GetCurrentDirectory();
        var config = ConfigFiles.Load(settings.Config);
        var outDir = settings.Out is null ? config.ResolvePath(config.Export.Out) : Path.GetFullPath(settings.Out, cwd);
        outDir = Path.TrimEndingDirectorySeparator(outDir);
        var folders = settings.Folders.Select(f => Path.TrimEndingDirectorySeparator(Path.GetFullPath(f, cwd))).ToList();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (folder, given) in folders.Zip(settings.Folders))
        {
            if (!Directory.Exists(folder))
            {
                throw AutoRefinerException.Usage($"'{given}' is not a folder");
            }

            if (!seen.Add(folder))
            {
                throw AutoRefinerException.Usage($"'{given}' is given twice; each folder is merged once");
            }

            if (string.Equals(folder.TrimEnd('/'), outDir.TrimEnd('/'), StringComparison.Ordinal))
            {
                throw AutoRefinerException.Usage($"--out '{settings.Out}' is one of the folders being merged; choose another");
            }
        }

        // Judged after the inputs, so that --out naming one of them is said as such.
        var output = OutputFolder.Claim(outDir, settings.Out ?? config.Export.Out, "--out", OutputLayout.Dataset, settings.AllowEmpty);
        outDir = output.FullPath;
        var manifests = folders.Select(DatasetFolder.ReadManifest).ToList();

        // The same output under another path (a symlink, a copy) would be merged twice: its manifest, which records
        // when its run started and ended, gives it away.
        var byManifest = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (folder, given) in folders.Zip(settings.Folders))
        {
            var hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(Path.Combine(folder, "manifest.json"))));
            if (!byManifest.TryAdd(hash, given))
            {
                throw AutoRefinerException.Usage($"'{given}' holds the same output as '{byManifest[hash]}' (a link or a copy); each output is merged once");
            }
        }
        var statePath = settings.State is null ? config.ResolvePath(config.State) : Path.GetFullPath(settings.State, cwd);
        var withStates = settings.WithStates.Select(s => Path.GetFullPath(s, cwd)).ToList();
        seen.Clear();
        foreach (var (path, given) in withStates.Zip(settings.WithStates))
        {
            if (!File.Exists(path))
            {
                throw AutoRefinerException.Usage($"--with-state '{given}' does not exist");
            }

            if (!seen.Add(path))
            {
                throw AutoRefinerException.Usage($"--with-state '{given}' is given twice");
            }

            if (string.Equals(path, statePath, StringComparison.Ordinal))
            {
                throw AutoRefinerException.Usage($"--with-state '{given}' is the --state being merged into");
            }
        }

        PathChecks.EnsureFileCanExist(statePath, "--state");
        config = config with { State = statePath, Export = config.Export with { Out = outDir } };
        var stats = new RunStats(environment.Time) { RunKind = "merge" };
        using (StateLock.Acquire(statePath, environment.Time.GetUtcNow()))
        using (var state = StateStore.Open(statePath))
        {
            foreach (var other in withStates)
            {
                state.MergeFrom(other);
            }
        }

        var services = new ServiceCollection();
        services.AddSingleton(config);
        services.AddSingleton(environment.Time);
        services.AddExporter();
        services.AddSingleton(output);
        services.AddSingleton(new RunDescription(
            AutoRefinerApp.Version,
            manifests.Select(m => m.ConfigHash).Distinct(StringComparer.Ordinal).Count() == 1 ? manifests[0].ConfigHash : ConfigHash.Of(config),
            [.. manifests.SelectMany(m => m.Sources).Distinct(StringComparer.Ordinal)],
            manifests.Select(m => m.Model).FirstOrDefault(m => m is not null),
            "autorefiner " + string.Join(' ', environment.Args.Select(Redact.Credentials)))
        {
            PromptVersions = manifests.SelectMany(m => m.PromptVersions).GroupBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Value, StringComparer.Ordinal),
        });
        await using var provider = services.BuildServiceProvider();

        foreach (var m in manifests)
        {
            var c = m.Counts;
            stats.Files.Add(c.Files);
            stats.Seeds.Add(c.Seeds);
            stats.AddFindingsOf(new FindingCounts(
                c.Repositories, c.RepositoriesSkipped, c.GitHubRequests, c.FilesSkipped, c.DocumentedMethods, c.SelfContained, c.InspirationSeeds, c.SeedsRejected, c.SeedRejectExamples));
        }

        var deduplicator = new ExactDeduplicator();
        var progress = new ProgressView(environment.Output, stats, $"merge: {string.Join(", ", settings.Folders)} -> {outDir}");
        await progress.RunAsync(
            async () =>
            {
                await using var sink = provider.GetRequiredService<IDatasetSinkFactory>().Open(stats);
                foreach (var folder in folders)
                {
                    await foreach (var judged in DatasetFolder.ReadJudgedAsync(folder, cancellationToken))
                    {
                        stats.Candidates.Add();
                        stats.Validated.Add();
                        var curated = deduplicator.Curate(judged);
                        stats.CountVerdict(curated.Verdict);
                        await sink.AddAsync(curated, cancellationToken);
                    }

                    // The preference and feedback configs are carried as written: the answers they pair are not in the rows.
                    if (sink is Exporter.Configs.IConfigRowSink configs)
                    {
                        await foreach (var (split, row) in Exporter.Configs.ConfigFolder.ReadPreferenceAsync(folder, cancellationToken))
                        {
                            await configs.AddPreferenceAsync(split, row, cancellationToken);
                        }

                        await foreach (var (split, row) in Exporter.Configs.ConfigFolder.ReadFeedbackAsync(folder, cancellationToken))
                        {
                            await configs.AddFeedbackAsync(split, row, cancellationToken);
                        }
                    }
                }

                stats.Files.Finish();
                stats.Seeds.Finish();
                stats.Candidates.Finish();
                stats.Validated.Finish();
                await sink.CompleteAsync(stats, cancellationToken);
            },
            cancellationToken);
        var report = Path.Combine(outDir, "report.html"); // staged and published with the data
        progress.WriteSummary(outDir);
        environment.Output.WriteLine($"report: {report}");
        if (withStates.Count > 0)
        {
            environment.Output.WriteLine($"merged {Words.Count(withStates.Count, "state store")} into {statePath}");
        }

        return ExitCodes.Success;
    }
}
