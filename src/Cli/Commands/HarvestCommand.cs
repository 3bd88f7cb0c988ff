using AutoRefiner.Cli.Rendering;
using AutoRefiner.Core;
using AutoRefiner.Core.Config;
using AutoRefiner.Core.Curation;
using AutoRefiner.Core.Pipeline;
using AutoRefiner.Exporter;
using AutoRefiner.Generator;
using AutoRefiner.Generator.DocComments;
using AutoRefiner.Harvester;
using AutoRefiner.Validator;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console.Cli;

namespace AutoRefiner.Cli.Commands;

/// <summary><c>autorefiner harvest</c>: the whole pipeline, from sources to the dataset in <c>--out</c>.</summary>
public sealed class HarvestCommand(CommandEnvironment environment) : AsyncCommand<HarvestSettings>
{
    /// <inheritdoc />
    public override async Task<int> ExecuteAsync(CommandContext context, HarvestSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var config = LoadConfig(settings);
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

        config = config with
        {
            Lang = lang,
            State = settings.State is null ? config.ResolvePath(config.State) : Path.GetFullPath(settings.State, cwd),
            Export = config.Export with { Out = settings.Out is null ? config.ResolvePath(config.Export.Out) : Path.GetFullPath(settings.Out, cwd) },
        };

        var parallelism = config.Validation.Parallelism > 0 ? config.Validation.Parallelism : Environment.ProcessorCount;
        var services = new ServiceCollection();
        services.AddSingleton(config);
        services.AddSingleton(environment.Time);
        services.AddValidator();
        services.AddHarvester();
        var missing = services.AddGenerators(config.Generation.Tasks);
        var model = config.Llm.Model;
        if (missing.Count > 0)
        {
            var endpoint = config.Llm.Endpoint ?? Environment.GetEnvironmentVariable("OPENAI_BASE_URL");
            stats.Notice(endpoint is null
                ? $"no LLM is configured (llm.endpoint or OPENAI_BASE_URL), so {string.Join(", ", missing)} is skipped: writing doc-comment pairs only"
                : $"{string.Join(", ", missing)} is not part of this build yet: writing doc-comment pairs only");
            model = null;
            if (!config.Generation.Tasks.Contains(DocCommentGenerator.TaskName))
            {
                services.AddGenerators([DocCommentGenerator.TaskName]);
            }
        }

        services.AddSingleton<ICurator, ExactDeduplicator>();
        services.AddExporter();
        services.AddSingleton(new RunDescription(
            AutoRefinerApp.Version,
            ConfigHash.Of(config),
            sources,
            model,
            "autorefiner " + string.Join(' ', environment.Args)));
        services.AddSingleton<HarvestPipeline>();
        await using var provider = services.BuildServiceProvider();

        var pipeline = provider.GetRequiredService<HarvestPipeline>();
        var request = new HarvestRequest(sources, settings.Limit) { GitHubQuery = query };
        var from = string.Join(", ", query is null ? sources : sources.Append($"GitHub search '{query}'"));
        var progress = new ProgressView(environment.Output, stats, $"harvest ({lang}): {from} -> {config.Export.Out}");
        await progress.RunAsync(() => pipeline.RunAsync(request, stats, parallelism, cancellationToken), cancellationToken);
        progress.WriteSummary(config.Export.Out);
        return ExitCodes.Success;
    }

    private static HarvestConfig LoadConfig(HarvestSettings settings)
    {
        if (settings.Config is { } path)
        {
            if (!File.Exists(path))
            {
                throw AutoRefinerException.Usage($"--config '{path}' does not exist");
            }

            return ConfigLoader.Load(path);
        }

        return File.Exists(ConfigLoader.DefaultFileName)
            ? ConfigLoader.Load(ConfigLoader.DefaultFileName)
            : new HarvestConfig();
    }
}
