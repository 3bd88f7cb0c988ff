using AutoRefiner.Core.Config;
using AutoRefiner.Core.Pipeline;
using AutoRefiner.Harvester.Local;
using AutoRefiner.Harvester.Seeds;
using Microsoft.Extensions.DependencyInjection;

namespace AutoRefiner.Harvester;

/// <summary>Registers the harvesting stage.</summary>
public static class HarvesterServiceCollectionExtensions
{
    /// <summary>
    /// Adds local and GitHub harvesting and Roslyn seed extraction. Needs an <c>ICodeCompiler</c>, the configuration and
    /// a <c>TimeProvider</c>; GitHub is reached as <c>GITHUB_API_URL</c>/<c>GITHUB_TOKEN</c> say. A registered
    /// <c>IHttpCacheStore</c> keeps GitHub's ETags between runs (else they last for the run).
    /// </summary>
    public static IServiceCollection AddHarvester(this IServiceCollection services)
    {
        services.AddSingleton(sp => new FileWalker(sp.GetRequiredService<HarvestConfig>().Extraction));
        services.AddSingleton(sp => new SeedExtractor(sp.GetRequiredService<ICodeCompiler>(), sp.GetRequiredService<HarvestConfig>().Extraction));
        services.AddSingleton(sp =>
        {
            var config = sp.GetRequiredService<HarvestConfig>();
            var parallelism = config.Validation.EffectiveParallelism;
            return new LocalSeedSource(sp.GetRequiredService<FileWalker>(), sp.GetRequiredService<SeedExtractor>(), config.Extraction, parallelism);
        });
        services.AddSingleton<ISeedSource>(sp => new SourceHarvester(
            sp.GetRequiredService<LocalSeedSource>(),
            sp.GetRequiredService<HarvestConfig>(),
            sp.GetRequiredService<TimeProvider>(),
            Environment.GetEnvironmentVariable,
            sp.GetService<Core.State.IHttpCacheStore>()));
        return services;
    }
}
