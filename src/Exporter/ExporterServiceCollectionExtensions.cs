using AutoRefiner.Core.Pipeline;
using Microsoft.Extensions.DependencyInjection;

namespace AutoRefiner.Exporter;

/// <summary>Registers the export stage.</summary>
public static class ExporterServiceCollectionExtensions
{
    /// <summary>Adds the dataset writer (Parquet, JSONL, card, manifest). Needs the configuration, a <c>RunDescription</c> and a <c>TimeProvider</c>.</summary>
    public static IServiceCollection AddExporter(this IServiceCollection services)
    {
        services.AddSingleton<IDatasetSinkFactory, DatasetWriterFactory>();
        return services;
    }
}
