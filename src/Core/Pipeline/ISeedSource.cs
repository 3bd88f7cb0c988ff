using AutoRefiner.Core.Model;

namespace AutoRefiner.Core.Pipeline;

/// <summary>The harvesting stage: turns sources into seeds.</summary>
public interface ISeedSource
{
    /// <summary>Streams the seeds of every source, counting files, skips and rejections in <paramref name="stats"/>.</summary>
    IAsyncEnumerable<Seed> HarvestAsync(HarvestRequest request, RunStats stats, CancellationToken cancellationToken);
}
