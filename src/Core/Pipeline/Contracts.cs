using AutoRefiner.Core.Model;

namespace AutoRefiner.Core.Pipeline;

/// <summary>What a run was asked to do.</summary>
/// <param name="Sources">Directories, local git checkouts, GitHub repositories (<c>owner/name</c> or their URL).</param>
/// <param name="Limit">Stop after this many seeds; null = all.</param>
public sealed record HarvestRequest(IReadOnlyList<string> Sources, int? Limit)
{
    /// <summary>A GitHub search to harvest in addition (qualifiers; the language is added), or null.</summary>
    public string? GitHubQuery { get; init; }
}

/// <summary>The harvesting stage: turns sources into seeds.</summary>
public interface ISeedSource
{
    /// <summary>Streams the seeds of every source, counting files, skips and rejections in <paramref name="stats"/>.</summary>
    IAsyncEnumerable<Seed> HarvestAsync(HarvestRequest request, RunStats stats, CancellationToken cancellationToken);
}

/// <summary>A generator: turns a seed into candidate pairs.</summary>
public interface ISampleGenerator
{
    /// <summary>The task name written in the <c>task</c> column.</summary>
    string Task { get; }

    /// <summary>Prompt or template version written in <c>prompt_version</c>.</summary>
    string PromptVersion { get; }

    /// <summary>Candidates for one seed (none when the seed does not suit this generator).</summary>
    IAsyncEnumerable<Candidate> GenerateAsync(Seed seed, CancellationToken cancellationToken);
}

/// <summary>The validation stage: judges one candidate.</summary>
public interface ICandidateValidator
{
    /// <summary>Compiles (and, where the task has tests, runs) a candidate. Never throws for a bad sample.</summary>
    ValueTask<Judged> ValidateAsync(Candidate candidate, CancellationToken cancellationToken);
}

/// <summary>Compiles a C# compilation unit on its own against the base class library.</summary>
public interface ICodeCompiler
{
    /// <summary>Compiles <paramref name="code"/> as a library with the SDK's implicit usings.</summary>
    CompileResult Compile(string code, CancellationToken cancellationToken);
}

/// <summary>The outcome of <see cref="ICodeCompiler.Compile"/>.</summary>
/// <param name="Success">No errors.</param>
/// <param name="Errors">The first error diagnostics, formatted as the compiler prints them (<c>(3,5): error CS0103: …</c>).</param>
public sealed record CompileResult(bool Success, IReadOnlyList<string> Errors)
{
    /// <summary>1-based lines of using directives the compiler found unnecessary (CS8019).</summary>
    public IReadOnlyList<int> UnusedUsingLines { get; init; } = [];

    /// <summary>Warnings that mean the code cannot work as written (a field that is never assigned: CS0649).</summary>
    public IReadOnlyList<string> DefectWarnings { get; init; } = [];
}

/// <summary>The curation stage: may turn a passed sample into a rejection (duplicate, secret, …).</summary>
public interface ICurator
{
    /// <summary>Returns the sample as it is, or with a rejecting verdict.</summary>
    Judged Curate(Judged judged);
}

/// <summary>The export stage: receives every judged sample, then the run's summary.</summary>
public interface IDatasetSink : IAsyncDisposable
{
    /// <summary>Records a passed sample as a row, or a rejection in <c>rejected.jsonl</c>.</summary>
    ValueTask AddAsync(Judged judged, CancellationToken cancellationToken);

    /// <summary>Finishes every file (shard names, dataset card, manifest) and puts them in place.</summary>
    ValueTask CompleteAsync(RunStats stats, CancellationToken cancellationToken);
}

/// <summary>Opens a sink for one run.</summary>
public interface IDatasetSinkFactory
{
    /// <summary>Opens the sink; nothing is visible in the output folder before <see cref="IDatasetSink.CompleteAsync"/>.</summary>
    IDatasetSink Open(RunStats stats);
}
