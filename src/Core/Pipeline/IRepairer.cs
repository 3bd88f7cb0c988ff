using AutoRefiner.Core.Model;

namespace AutoRefiner.Core.Pipeline;

/// <summary>A generator that can try again: it gets a failed candidate with the compiler's or test runner's own words.</summary>
public interface IRepairer
{
    /// <summary>The task whose candidates it repairs.</summary>
    string Task { get; }

    /// <summary>
    /// A new candidate for the same task, written from <paramref name="failed"/>'s code and its <see cref="Judged.Detail"/>
    /// (verbatim), with <see cref="Candidate.RepairRounds"/> one higher; a <see cref="Candidate.ParseError"/> when the
    /// new answer cannot be read.
    /// </summary>
    Task<Candidate> RepairAsync(Judged failed, CancellationToken cancellationToken);
}
