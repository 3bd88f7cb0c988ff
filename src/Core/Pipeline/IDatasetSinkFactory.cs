using AutoRefiner.Core.Model;

namespace AutoRefiner.Core.Pipeline;

/// <summary>Opens a sink for one run.</summary>
public interface IDatasetSinkFactory
{
    /// <summary>Opens the sink; nothing is visible in the output folder before <see cref="IDatasetSink.CompleteAsync"/>.</summary>
    IDatasetSink Open(RunStats stats);
}
