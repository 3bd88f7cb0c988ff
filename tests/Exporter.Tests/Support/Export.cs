using AutoRefiner.Core.Config;
using AutoRefiner.Core.Model;
using AutoRefiner.Core.Pipeline;
using Microsoft.Extensions.Time.Testing;

namespace AutoRefiner.Exporter.Tests.Support;

/// <summary>Runs a <see cref="DatasetWriter"/> the way the pipeline does: count the verdict, add, complete.</summary>
internal static class Export
{
    /// <summary>The clock of every run: a whole number of microseconds (Parquet's resolution) after a whole second.</summary>
    public static readonly DateTimeOffset Now = new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.Zero).AddTicks(1_234_560);

    public static readonly RunDescription Run = new(
        "9.8.7-test", "cfg-hash-5f2e9a1c", ["/data/repo-a", "owner/repo-b"], null, "autorefiner harvest --source /data/repo-a");

    public static ISampleGenerator[] Generators { get; } = [new FakeGenerator()];

    public static HarvestConfig Config(string baseDirectory, ExportConfig? export = null) => new()
    {
        BaseDirectory = baseDirectory,
        Export = export ?? new ExportConfig { Out = "out", Compression = ParquetCodec.Snappy, RowGroupRows = 100, ShardRows = 250 },
    };

    public static string OutOf(HarvestConfig config) => config.ResolvePath(config.Export.Out);

    public static DatasetWriter Open(HarvestConfig config, TimeProvider? time = null) => new(config, Run, Generators, time ?? new FakeTimeProvider(Now));

    /// <summary>Opens a writer the way the pipeline does, through the factory registered by <c>AddExporter</c>.</summary>
    public static IDatasetSink OpenThroughFactory(HarvestConfig config, RunStats stats, TimeProvider time) =>
        new DatasetWriterFactory(config, Run, Generators, time).Open(stats);

    /// <summary>Writes <paramref name="items"/> through the factory and completes; returns the run's stats.</summary>
    public static async Task<RunStats> WriteAsync(HarvestConfig config, IEnumerable<Judged> items, TimeProvider? time = null)
    {
        time ??= new FakeTimeProvider(Now);
        var stats = new RunStats(time);
        await using var writer = OpenThroughFactory(config, stats, time);
        foreach (var judged in items)
        {
            stats.CountVerdict(judged.Verdict);
            await writer.AddAsync(judged, CancellationToken.None);
        }

        await writer.CompleteAsync(stats, CancellationToken.None);
        return stats;
    }
}
