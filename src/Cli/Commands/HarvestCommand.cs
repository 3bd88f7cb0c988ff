using AutoRefiner.Cli.Rendering;
using AutoRefiner.Core;
using AutoRefiner.Core.Config;
using AutoRefiner.Core.Curation;
using AutoRefiner.Core.Pipeline;
using AutoRefiner.Core.State;
using AutoRefiner.Core.Text;
using AutoRefiner.Exporter;
using AutoRefiner.Generator;
using AutoRefiner.Generator.DocComments;
using AutoRefiner.Generator.Instruct;
using AutoRefiner.Generator.Llm;
using AutoRefiner.Harvester;
using AutoRefiner.Harvester.Local;
using AutoRefiner.Validator;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using Spectre.Console.Cli;

namespace AutoRefiner.Cli.Commands;

/// <summary><c>autorefiner harvest</c>: the whole pipeline, from sources to the dataset in <c>--out</c>.</summary>
public sealed class HarvestCommand(CommandEnvironment environment) : AsyncCommand<HarvestSettings>
{
    /// <inheritdoc />
    public override Task<int> ExecuteAsync(CommandContext context, HarvestSettings settings, CancellationToken cancellationToken) =>
        RunAsync(environment, settings, "harvest", cancellationToken);

    /// <summary>A harvest or a refresh: the same pipeline; a refresh exports the union of every run's samples.</summary>
    internal static async Task<int> RunAsync(CommandEnvironment environment, HarvestSettings settings, string kind, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var config = ConfigFiles.Load(settings.Config);
        var lang = settings.Lang ?? config.Lang;
        if (!HarvestConfig.SupportedLanguages.Contains(lang))
        {
            throw AutoRefinerException.Usage(
                $"--lang '{lang}' is not supported; supported languages: {string.Join(", ", HarvestConfig.SupportedLanguages)}");
        }

        var cwd = Directory.GetCurrentDirectory();

        // A --source that exists here is a path; anything else is left for the harvester to read as owner/name.
        var sources = settings.Sources.Length > 0
            ? settings.Sources.Select(s => Path.Exists(Path.GetFullPath(s, cwd)) ? Path.GetFullPath(s, cwd) : s).ToList()
            : [.. config.Sources.Local.Select(config.ResolvePath), .. config.Sources.GitHub.Repos];
        var query = settings.Sources.Length > 0 ? null : config.Sources.GitHub.Query;
        var stats = new RunStats(environment.Time);
        if (sources.Count == 0 && query is null)
        {
            throw AutoRefinerException.Usage(
                "no sources to harvest: give --source <path|owner/name>, or set sources.local, sources.github.repos or sources.github.query in harvest.yml");
        }

        var outDir = settings.Out is null ? config.ResolvePath(config.Export.Out) : Path.GetFullPath(settings.Out, cwd);

        // The output is never the code it is made from: a source folder equal to --out, or inside it, would have its
        // files mixed with the dataset (and uploaded by push), and a later run would read its own output as sources.
        var localSources = settings.Sources.Length > 0
            ? settings.Sources.Select(s => (Given: s, Full: Path.GetFullPath(s, cwd)))
            : config.Sources.Local.Select(s => (Given: s, Full: config.ResolvePath(s)));
        foreach (var (given, full) in localSources.Where(s => Directory.Exists(s.Full)))
        {
            var source = Path.TrimEndingDirectorySeparator(full);
            var outFull = Path.TrimEndingDirectorySeparator(outDir);
            if (source == outFull || source.StartsWith(outFull + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                throw AutoRefinerException.Usage(
                    $"--out '{settings.Out ?? config.Export.Out}' {(source == outFull ? "is" : "contains")} the source folder '{given}'; give an output folder of its own, outside the sources (e.g. --out ./out next to them)");
            }
        }

        // The destination is judged before any work: safe, a folder, ours or free, writable. A dry run writes nothing there.
        var output = settings.DryRun ? null : OutputFolder.Claim(outDir, settings.Out ?? config.Export.Out, "--out", OutputLayout.Dataset, settings.AllowEmpty);
        outDir = output?.FullPath ?? outDir;

        // The manifest, the card and the report name a local source by its project (origin owner/name, else its folder's
        // name), never by a path of this machine: they are published by push.
        var shownSources = (settings.Sources.Length > 0
            ? settings.Sources.Select(s => (Given: s, Full: Path.GetFullPath(s, cwd)))
            : config.Sources.Local.Select(s => (Given: s, Full: config.ResolvePath(s))).Concat(config.Sources.GitHub.Repos.Select(r => (Given: r, Full: ""))))
            .Select(s => s.Full.Length > 0 && Directory.Exists(s.Full) ? ProjectName(s.Full) : Redact.Credentials(s.Given))
            .ToList();
        if (query is not null)
        {
            shownSources.Add($"GitHub search: {query}");
        }

        config = config with
        {
            Lang = lang,
            State = settings.State is null ? config.ResolvePath(config.State) : Path.GetFullPath(settings.State, cwd),
            Export = config.Export with { Out = outDir },
        };

        var shard = settings.ShardText is null ? null : Shard.Parse(settings.ShardText, out _);
        var parallelism = config.Validation.EffectiveParallelism;
        var llm = LlmEndpoint.Resolve(config.Llm, Environment.GetEnvironmentVariable);
        if (llm is not null && config.Generation.Tasks.Contains(InstructGenerator.TaskName))
        {
            // The instruct generator needs only an idea: methods that are not self-contained or documented serve too.
            config = config with { Extraction = config.Extraction with { InspirationSeeds = true } };
        }

        PathChecks.EnsureFileCanExist(config.State, "--state");

        // One run at a time on a state store; a dry run only reads it.
        using var stateLock = settings.DryRun ? null : StateLock.Acquire(config.State, environment.Time.GetUtcNow());
        using var state = StateStore.Open(config.State);
        var commandLine = "autorefiner " + string.Join(' ', environment.Args.Select(a => Redact.Credentials(ShownPath(a, cwd))));
        var configHash = ConfigHash.Of(config);
        stats.RunKind = kind;
        if (!settings.DryRun)
        {
            stats.RunId = state.BeginRun(kind, commandLine, configHash, environment.Time.GetUtcNow());
            stats.PreviousRows = state.LastCompletedRun(stats.RunId.Value)?.Rows;
        }

        var journal = new StateJournal(state, stats.RunId ?? long.MaxValue, readOnly: settings.DryRun);
        var services = new ServiceCollection();
        services.AddSingleton(state);
        services.AddSingleton<ISampleJournal>(journal);
        services.AddSingleton(config);
        services.AddSingleton(environment.Time);
        services.AddSingleton(stats);
        services.AddValidator();
        services.AddHarvester();
        var missing = services.AddGenerators(config.Generation.Tasks, llm, config.Generation.Candidates);
        string[] llmTasks = [InstructGenerator.TaskName, GenerationConfig.TestsTask];
        var model = llm is not null && llmTasks.Any(t => config.Generation.Tasks.Contains(t) && !missing.Contains(t))
            ? llm.Model
            : null;
        if (model is not null)
        {
            if (config.Llm.MaxCost is not null && !config.Llm.Prices.ContainsKey(model))
            {
                throw AutoRefinerException.Usage($"llm.max-cost needs a price for model '{model}' in llm.prices (the limit is in the currency of that table)");
            }

            stats.Budget = new LlmBudget(config.Llm, model, stats.Llm);
        }

        if (missing.Count > 0)
        {
            stats.Notice(Environment.GetEnvironmentVariable(LlmEndpoint.BaseUrlVariable) is { Length: > 0 } && config.Llm.Model is null
                ? $"{LlmEndpoint.BaseUrlVariable} is set but llm.model is not, so {string.Join(", ", missing)} is skipped: set llm.model to use it; writing doc-comment pairs only"
                : $"no LLM is configured (llm.endpoint or {LlmEndpoint.BaseUrlVariable}, and llm.model), so {string.Join(", ", missing)} is skipped: writing doc-comment pairs only");
            if (!config.Generation.Tasks.Contains(DocCommentGenerator.TaskName))
            {
                services.AddGenerators([DocCommentGenerator.TaskName]);
            }
        }

        // Curation, in order: licence, secrets, benchmarks, exact and near duplicates. The seed filters run the same checks
        // before any generator sees a seed.
        var curation = config.Curation;
        var benchmarks = new BenchmarkIndex(curation.BenchmarkNgram);
        for (var i = 0; i < curation.Benchmarks.Count; i++)
        {
            var file = curation.Benchmarks[i];
            if (file == BuiltinBenchmarks.Keyword)
            {
                BuiltinBenchmarks.LoadInto(benchmarks);
                continue;
            }

            if (!File.Exists(config.ResolvePath(file)))
            {
                var where = i < curation.BenchmarkLocations.Count ? curation.BenchmarkLocations[i] + ": " : "";
                throw AutoRefinerException.Usage($"{where}curation.benchmarks[{i}]: '{file}' does not exist (paths are relative to the configuration file's folder)");
            }

            await BenchmarkFiles.LoadAsync(config.ResolvePath(file), benchmarks, cancellationToken);
        }

        var license = new LicenseCurator(curation);
        var secrets = new SecretCurator(curation);
        var nearDuplicates = curation.NearDuplicates ? new NearDuplicateCurator(curation, settings.DryRun ? null : state) : null;
        services.AddSingleton<ICurator>(license);
        services.AddSingleton<ICurator>(secrets);
        services.AddSingleton<ICurator>(new DecontaminationCurator(benchmarks));
        services.AddSingleton<ICurator, ExactDeduplicator>();
        services.AddSingleton<ISeedFilter>(license);
        services.AddSingleton<ISeedFilter>(secrets);
        if (nearDuplicates is not null)
        {
            services.AddSingleton<ICurator>(nearDuplicates);
            services.AddSingleton<ISeedFilter>(nearDuplicates);
        }

        var families = config.Generation.Tasks.Contains(DocCommentGenerator.TaskName) || missing.Count > 0;
        if (families)
        {
            // Families of doc-comment rows (one member under many names, one doc sentence over many overloads, one file
            // over many rows): after the near-duplicates, so a seed left out there takes no place under a cap.
            services.AddSingleton<ISeedFilter>(new FamilyFilter(curation));
        }

        stats.Curation = new CurationSummary(
            (curation.NearDuplicates ? $"MinHash + LSH, {curation.MinHashPermutations} permutations, {curation.ShingleSize}-token shingles, threshold {curation.NearDuplicateThreshold.ToString(System.Globalization.CultureInfo.InvariantCulture)}" : "off")
            + (families ? $"; doc-comment families, within each repository: one row per member shape, {Cap(curation.MaxPerTemplate)} per doc template, {Cap(curation.MaxPerFile)} per file" : ""),
            benchmarks.Benchmarks,
            curation.Secrets,
            curation.Licenses,
            curation.UnlicensedLocal);
        services.AddExporter();
        if (output is not null)
        {
            services.AddSingleton(output);
        }

        services.AddSingleton(new RunDescription(AutoRefinerApp.Version, configHash, shownSources, model, commandLine));
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
        var request = new HarvestRequest(sources, settings.Limit) { GitHubQuery = query, Shard = shard };
        var from = Redact.Credentials(string.Join(", ", query is null ? sources : sources.Append($"GitHub search '{query}'")));
        if (settings.DryRun)
        {
            var planView = new ProgressView(environment.Output, stats, $"harvest --dry-run ({lang}): {from}");
            RunPlan? plan = null;
            await planView.RunAsync(async () => plan = await pipeline.PlanAsync(request, stats, cancellationToken), cancellationToken);
            planView.WritePlan(plan!, model is null ? null : config.Llm, model, config.Generation.Candidates);
            return ExitCodes.Success;
        }

        var progress = new ProgressView(environment.Output, stats, $"{kind}{(shard is null ? "" : $" (shard {shard})")} ({lang}): {from} -> {config.Export.Out}");
        var status = "failed";
        double? EstimatedCost() => model is null ? null : Pricing.Estimate(config.Llm, model, stats.Llm.PromptTokens, stats.Llm.CompletionTokens);
        try
        {
            var options = new PipelineOptions(parallelism, model is null ? 1 : config.Llm.Concurrency, config.Generation.RepairRounds) { CarryOver = kind == "refresh" };
            await progress.RunAsync(() => pipeline.RunAsync(request, stats, options, cancellationToken), cancellationToken);
            stats.Llm.EstimatedCost = EstimatedCost();

            // The report was staged and published with the data (the writer made it from the rows it wrote).
            var report = Path.Combine(config.Export.Out, "report.html");
            if (stats.Budget?.Reached is { } limit)
            {
                stats.Notice(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"the budget ({limit}) was reached, so {Words.Count(stats.LeftForBudget, "seed was", "seeds were")} not sent to the model and {(stats.LeftForBudget == 1 ? "has" : "have")} no sample yet; run the same command again to continue: the answers received so far are in the state store and cost nothing"));
            }

            if (stats.Llm.Failures.Values.Sum() is var lostRequests and > 0)
            {
                stats.Notice(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"{Words.Count(lostRequests, "LLM request")} got no usable answer; unless the refusal was about the seed itself (too long for the model's context, filtered), the next run asks for those seeds again"));
            }

            progress.WriteSummary(config.Export.Out);
            environment.Output.WriteLine($"report: {report}");
            status = "completed";
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            status = "cancelled";
            throw;
        }
        finally
        {
            stats.Llm.EstimatedCost = EstimatedCost();
            state.EndRun(stats.RunId!.Value, status, status == "completed" ? stats.Splits.Values.Sum() : null, null, environment.Time.GetUtcNow());
        }

        var lost = stats.Llm.Failures.Values.Sum();
        if (lost > 0 && stats.Llm.Answered + stats.Llm.Cached == 0)
        {
            // Doc-comment pairs may have been written, but what the run was asked to generate with the LLM came to nothing.
            throw AutoRefinerException.RunFailed(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"the LLM endpoint ({llm}) gave no usable answer to any of the {Words.Count(lost, "request")} of this run ({string.Join(", ", stats.Llm.Failures.Select(kv => $"{kv.Key} {kv.Value}"))}): fix the endpoint or the llm settings and run again"));
        }

        if (kind == "refresh" && config.Hub.Repo is { } hubRepo)
        {
            // A refresh ends by publishing what it made; the dataset is already complete on disk if the upload fails.
            await PushCommand.PushAsync(
                environment,
                config.Export.Out,
                new Exporter.Hub.PushOptions(hubRepo, config.Hub.Private, "main", CreatePr: false, $"Refresh (autorefiner {AutoRefinerApp.Version}): {Words.Count(stats.Added, "new row")}", IncludeRejected: false),
                cancellationToken);
        }

        return ExitCodes.Success;
    }

    /// <summary>
    /// A path argument as the manifest shows it: relative to the working directory when it is inside it, else only its
    /// last part (<c>…/name</c>): the manifest and the card are published, and a path of this machine says too much.
    /// </summary>
    private static string ShownPath(string arg, string cwd)
    {
        if (!Path.IsPathFullyQualified(arg))
        {
            return arg;
        }

        var relative = Path.GetRelativePath(cwd, arg);
        if (!relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathFullyQualified(relative))
        {
            return relative;
        }

        return "…/" + Path.GetFileName(Path.TrimEndingDirectorySeparator(arg));
    }

    /// <summary>The name of a local source's project: its git origin's owner/name, else its folder's name.</summary>
    private static string ProjectName(string directory)
    {
        try
        {
            return SourceRootReader.Read(directory).Repo;
        }
        catch (AutoRefinerException)
        {
            return Path.GetFileName(Path.TrimEndingDirectorySeparator(directory));
        }
    }

    /// <summary>A cap as the card says it: "at most 3 rows", or "no cap" for 0.</summary>
    private static string Cap(int cap) => cap == 0 ? "no cap" : $"at most {cap} rows";
}
