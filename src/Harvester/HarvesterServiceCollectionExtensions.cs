using AutoRefiner.Core.Config;
using AutoRefiner.Core.Pipeline;
using AutoRefiner.Harvester.Local;
using AutoRefiner.Harvester.Seeds;
using Microsoft.Extensions.DependencyInjection;

namespace AutoRefiner.Harvester;

/// <summary>Registers the harvesting stage.</summary>
public static class HarvesterServiceCollectionExtensions
{
    /// <summary>Adds local-source harvesting and Roslyn seed extraction. Needs an <c>ICodeCompiler</c> and the configuration.</summary>
    public static IServiceCollection AddHarvester(this IServiceCollection services)
    {
        services.AddSingleton(sp => new FileWalker(sp.GetRequiredService<HarvestConfig>().Extraction));
        services.AddSingleton(sp => new SeedExtractor(sp.GetRequiredService<ICodeCompiler>(), sp.GetRequiredService<HarvestConfig>().Extraction));
        services.AddSingleton<ISeedSource>(sp =>
        {
            var config = sp.GetRequiredService<HarvestConfig>();
            var parallelism = config.Validation.Parallelism > 0 ? config.Validation.Parallelism : Environment.ProcessorCount;
            return new LocalSeedSource(sp.GetRequiredService<FileWalker>(), sp.GetRequiredService<SeedExtractor>(), config.Extraction, parallelism);
        });
        return services;
    }
}
