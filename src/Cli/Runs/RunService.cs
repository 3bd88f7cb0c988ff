using System.Globalization;
using AutoRefiner.Cli.Commands;
using AutoRefiner.Cli.Rendering;
using AutoRefiner.Core;
using AutoRefiner.Core.Config;
using AutoRefiner.Core.Curation;
using AutoRefiner.Core.Pipeline;
using AutoRefiner.Core.State;
using AutoRefiner.Core.Text;
using AutoRefiner.Exporter;
using AutoRefiner.Exporter.Hub;
using AutoRefiner.Generator;
using AutoRefiner.Generator.DocComments;
using AutoRefiner.Generator.Instruct;
using AutoRefiner.Generator.Llm;
using AutoRefiner.Harvester;
using AutoRefiner.State;
using AutoRefiner.Validator;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace AutoRefiner.Cli.Runs;

/// <summary>
/// The application service behind <c>harvest</c>, <c>refresh</c> and <c>merge</c>: it resolves the configuration,
/// sets up curation and benchmarks, opens the state store once, begins and ends the run in it, wires the stages,
/// runs them, and publishes (a refresh with <c>hub.repo</c>). Cost is computed in one place (<see cref="RunStats.EstimatedCost"/>);
/// the report is written by the exporter inside staging, with the data. Commands only map their arguments.
/// </summary>
internal sealed class RunService(CommandEnvironment environment)
{
    /// <summary>A harvest or a refresh: the same pipeline; a refresh exports the union of every run's samples and may push.</summary>
    public async Task<int> HarvestAsync(HarvestArguments arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var setup = HarvestSetup.Resolve(arguments, environment);

        // The compiler is jitted and its references bound on a spare core while the run sets itself up.
        _ = HarvestWarmUp.Start(new RoslynCompiler());
        var config = setup.Config;
        var llm = LlmEndpoint.Resolve(config.Llm, Environment.GetEnvironmentVariable);
        if (llm is not null && config.Generation.Tasks.Contains(InstructGenerator.TaskName))
        {
            // The instruct generator needs only an idea: methods that are not self-contained or documented serve too.
            config = config with { Extraction = config.Extraction with { InspirationSeeds = true } };
        }

        // The destination is judged before any work: safe, a folder, ours or free, writable. A dry run writes nothing there.
        var output = arguments.DryRun ? null : OutputFolder.Claim(config.Export.Out, setup.GivenOut, "--out", OutputLayout.Dataset, arguments.AllowEmpty);
        if (output is not null)
        {
            config = config with { Export = config.Export with { Out = output.FullPath } };
        }

        PathChecks.EnsureFileCanExist(config.State, "--state");

        // One run at a time on a state store; a dry run only reads it. The store is opened here, once, and each stage
        // gets the narrow part it needs.
        using var stateLock = arguments.DryRun ? null : StateLock.Acquire(config.State, environment.Time.GetUtcNow());
        using var state = StateStore.Open(config.State);
        var configHash = ConfigHash.Of(config);

        var services = new ServiceCollection();
        services.AddSingleton(config);
        services.AddSingleton(environment.Time);
        services.AddSingleton<IAnswerStore>(state.Answers);
        services.AddSingleton<IHttpCacheStore>(state.Http);
        services.AddValidator();
        services.AddHarvester();
        var missing = services.AddGenerators(config.Generation.Tasks, llm, config.Generation.Candidates);
        string[] llmTasks = [InstructGenerator.TaskName, GenerationConfig.TestsTask];
        var model = llm is not null && llmTasks.Any(t => config.Generation.Tasks.Contains(t) && !missing.Contains(t))
            ? llm.Model
            : null;
        if (model is not null && config.Llm.MaxCost is not null && !config.Llm.Prices.ContainsKey(model))
        {
            throw AutoRefinerException.Usage($"llm.max-cost needs a price for model '{model}' in llm.prices (the limit is in the currency of that table)");
        }

        var docCommentRows = config.Generation.Tasks.Contains(DocCommentGenerator.TaskName) || missing.Count > 0;
        if (missing.Count > 0 && !config.Generation.Tasks.Contains(DocCommentGenerator.TaskName))
        {
            services.AddGenerators([DocCommentGenerator.TaskName]);
        }

        var curation = await RunCuration.AddAsync(services, config, arguments.DryRun ? null : state.Signatures, docCommentRows, cancellationToken);

        long? runId = null;
        long? previousRows = null;
        if (!arguments.DryRun)
        {
            runId = state.Runs.BeginRun(arguments.Kind, setup.CommandLine, configHash, environment.Time.GetUtcNow());
            previousRows = state.Runs.LastCompletedRun(runId.Value)?.Rows;
        }

        var stats = new RunStats(environment.Time, new RunContext(arguments.Kind)
        {
            Id = runId,
            PreviousRows = previousRows,
            Curation = curation,
            Model = model,
            Llm = config.Llm,
        });
        if (missing.Count > 0)
        {
            stats.Notice(Environment.GetEnvironmentVariable(LlmEndpoint.BaseUrlVariable) is { Length: > 0 } && config.Llm.Model is null
                ? $"{LlmEndpoint.BaseUrlVariable} is set but llm.model is not, so {string.Join(", ", missing)} is skipped: set llm.model to use it; writing doc-comment pairs only"
                : $"no LLM is configured (llm.endpoint or {LlmEndpoint.BaseUrlVariable}, and llm.model), so {string.Join(", ", missing)} is skipped: writing doc-comment pairs only");
        }

        services.AddSingleton(stats);
        services.AddSingleton<ISampleJournal>(new StateJournal(state.Judged, runId ?? long.MaxValue, readOnly: arguments.DryRun));
        services.AddExporter();
        if (output is not null)
        {
            services.AddSingleton(output);
        }

        services.AddSingleton(new RunDescription(AutoRefinerApp.Version, configHash, setup.ShownSources, model, setup.CommandLine));
        services.AddSingleton(sp => new HarvestPipeline(
            sp.GetRequiredService<ISeedSource>(),
            sp.GetServices<ISampleGenerator>(),
            sp.GetRequiredService<ICandidateValidator>(),
            sp.GetServices<ICurator>(),
            sp.GetRequiredService<IDatasetSinkFactory>(),
            sp.GetServices<IRepairer>(),
            sp.GetRequiredService<ISampleJournal>(),
            sp.GetServices<ISeedFilter>()));
        await using var provider = services.BuildServiceProvider();

        var pipeline = provider.GetRequiredService<HarvestPipeline>();
        var request = new HarvestRequest(setup.Sources, arguments.Limit) { GitHubQuery = setup.Query, Shard = setup.Shard };
        var from = Redact.Credentials(string.Join(", ", setup.Query is null ? setup.Sources : setup.Sources.Append($"GitHub search '{setup.Query}'")));
        if (arguments.DryRun)
        {
            var planView = new ProgressView(environment.Output, stats, $"harvest --dry-run ({config.Lang}): {from}");
            RunPlan? plan = null;
            await planView.RunAsync(async () => plan = await pipeline.PlanAsync(request, stats, cancellationToken), cancellationToken);
            planView.WritePlan(plan!, model is null ? null : config.Llm, model, config.Generation.Candidates);
            return ExitCodes.Success;
        }

        var kind = arguments.Kind.ToWire();
        var progress = new ProgressView(environment.Output, stats, $"{kind}{(setup.Shard is null ? "" : $" (shard {setup.Shard})")} ({config.Lang}): {from} -> {config.Export.Out}");
        var status = RunStatus.Failed;
        try
        {
            var options = new PipelineOptions(config.Validation.EffectiveParallelism, model is null ? 1 : config.Llm.Concurrency, config.Generation.RepairRounds)
            {
                CarryOver = arguments.Kind == RunKind.Refresh,
            };
            await progress.RunAsync(() => pipeline.RunAsync(request, stats, options, cancellationToken), cancellationToken);
            if (stats.Budget?.Reached is { } limit)
            {
                stats.Notice(string.Create(CultureInfo.InvariantCulture,
                    $"the budget ({limit}) was reached, so {Words.Count(stats.LeftForBudget, "seed was", "seeds were")} not sent to the model and {(stats.LeftForBudget == 1 ? "has" : "have")} no sample yet; run the same command again to continue: the answers received so far are in the state store and cost nothing"));
            }

            if (stats.Llm.Failures.Values.Sum() is var lostRequests and > 0)
            {
                stats.Notice(string.Create(CultureInfo.InvariantCulture,
                    $"{Words.Count(lostRequests, "LLM request")} got no usable answer; unless the refusal was about the seed itself (too long for the model's context, filtered), the next run asks for those seeds again"));
            }

            // The report was staged and published with the data (the writer made it from the rows it wrote).
            progress.WriteSummary(config.Export.Out);
            environment.Output.WriteLine($"report: {Path.Combine(config.Export.Out, "report.html")}");
            status = RunStatus.Completed;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            status = RunStatus.Cancelled;
            throw;
        }
        finally
        {
            state.Runs.EndRun(runId!.Value, status, status == RunStatus.Completed ? stats.Splits.Values.Sum() : null, null, environment.Time.GetUtcNow());
        }

        var lost = stats.Llm.Failures.Values.Sum();
        if (lost > 0 && stats.Llm.Answered + stats.Llm.Cached == 0)
        {
            // Doc-comment pairs may have been written, but what the run was asked to generate with the LLM came to nothing.
            throw AutoRefinerException.RunFailed(string.Create(CultureInfo.InvariantCulture,
                $"the LLM endpoint ({llm}) gave no usable answer to any of the {Words.Count(lost, "request")} of this run ({string.Join(", ", stats.Llm.Failures.Select(kv => $"{kv.Key} {kv.Value}"))}): fix the endpoint or the llm settings and run again"));
        }

        if (arguments.Kind == RunKind.Refresh && config.Hub.Repo is { } hubRepo)
        {
            // A refresh ends by publishing what it made; the dataset is already complete on disk if the upload fails.
            await new DatasetPublisher(environment).PublishAsync(
                config.Export.Out,
                new PushOptions(hubRepo, config.Hub.Private, "main", CreatePr: false, $"Refresh (autorefiner {AutoRefinerApp.Version}): {Words.Count(stats.Added, "new row")}", IncludeRejected: false),
                cancellationToken);
        }

        return ExitCodes.Success;
    }

    /// <summary>
    /// <c>merge</c>: combines the outputs of several runs (the shards of a harvest) into one dataset, with exact
    /// duplicates across them removed as one run would have, and their state stores into one.
    /// </summary>
    public async Task<int> MergeAsync(MergeArguments arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var cwd = Directory.GetCurrentDirectory();
        var config = ConfigFiles.Load(arguments.Config);
        var outDir = arguments.Out is null ? config.ResolvePath(config.Export.Out) : Path.GetFullPath(arguments.Out, cwd);
        outDir = Path.TrimEndingDirectorySeparator(outDir);
        var folders = arguments.Folders.Select(f => Path.TrimEndingDirectorySeparator(Path.GetFullPath(f, cwd))).ToList();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (folder, given) in folders.Zip(arguments.Folders))
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
                throw AutoRefinerException.Usage($"--out '{arguments.Out}' is one of the folders being merged; choose another");
            }
        }

        // Judged after the inputs, so that --out naming one of them is said as such.
        var output = OutputFolder.Claim(outDir, arguments.Out ?? config.Export.Out, "--out", OutputLayout.Dataset, arguments.AllowEmpty);
        outDir = output.FullPath;
        var manifests = folders.Select(DatasetFolder.ReadManifest).ToList();

        // The same output under another path (a symlink, a copy) would be merged twice: its manifest, which records
        // when its run started and ended, gives it away.
        var byManifest = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (folder, given) in folders.Zip(arguments.Folders))
        {
            var hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(Path.Combine(folder, "manifest.json"))));
            if (!byManifest.TryAdd(hash, given))
            {
                throw AutoRefinerException.Usage($"'{given}' holds the same output as '{byManifest[hash]}' (a link or a copy); each output is merged once");
            }
        }
        var statePath = arguments.State is null ? config.ResolvePath(config.State) : Path.GetFullPath(arguments.State, cwd);
        var withStates = arguments.WithStates.Select(s => Path.GetFullPath(s, cwd)).ToList();
        seen.Clear();
        foreach (var (path, given) in withStates.Zip(arguments.WithStates))
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

        using (StateLock.Acquire(statePath, environment.Time.GetUtcNow()))
        using (var state = StateStore.Open(statePath))
        {
            foreach (var other in withStates)
            {
                state.MergeFrom(other);
            }
        }

        var model = manifests.Select(m => m.Model).FirstOrDefault(m => m is not null);
        var stats = new RunStats(environment.Time, new RunContext(RunKind.Merge) { Model = model, Llm = config.Llm });
        var services = new ServiceCollection();
        services.AddSingleton(config);
        services.AddSingleton(environment.Time);
        services.AddExporter();
        services.AddSingleton(output);
        services.AddSingleton(new RunDescription(
            AutoRefinerApp.Version,
            manifests.Select(m => m.ConfigHash).Distinct(StringComparer.Ordinal).Count() == 1 ? manifests[0].ConfigHash : ConfigHash.Of(config),
            [.. manifests.SelectMany(m => m.Sources).Distinct(StringComparer.Ordinal)],
            model,
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
        var progress = new ProgressView(environment.Output, stats, $"merge: {string.Join(", ", arguments.Folders)} -> {outDir}");
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
