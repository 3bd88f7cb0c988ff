using AutoRefiner.Core.Model;

namespace AutoRefiner.Core.Pipeline;

/// <summary>The export stage: receives every judged sample, then the run's summary.</summary>
public interface IDatasetSink : IAsyncDisposable
{
    /// <summary>Records a passed sample as a row, or a rejection in <c>rejected.jsonl</c>.</summary>
    ValueTask AddAsync(Judged judged, CancellationToken cancellationToken);

    /// <summary>Finishes every file (shard names, dataset card, manifest) and puts them in place.</summary>
    ValueTask CompleteAsync(RunStats stats, CancellationToken cancellationToken);
}
