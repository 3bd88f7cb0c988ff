using AutoRefiner.Core.Model;

namespace AutoRefiner.Core.Pipeline;

/// <summary>The validation stage: judges one candidate.</summary>
public interface ICandidateValidator
{
    /// <summary>Compiles (and, where the task has tests, runs) a candidate. Never throws for a bad sample.</summary>
    ValueTask<Judged> ValidateAsync(Candidate candidate, CancellationToken cancellationToken);
}
