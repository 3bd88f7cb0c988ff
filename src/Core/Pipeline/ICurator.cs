using AutoRefiner.Core.Model;

namespace AutoRefiner.Core.Pipeline;

/// <summary>The curation stage: may turn a passed sample into a rejection (duplicate, secret, …).</summary>
public interface ICurator
{
    /// <summary>Returns the sample as it is, or with a rejecting verdict.</summary>
    Judged Curate(Judged judged);

    /// <summary>
    /// Whether it remembers what it sees (duplicate detection): such a curator judges only what may be exported, never
    /// the failing answers screened for preference pairs and feedback conversations.
    /// </summary>
    bool Remembers => false;
}
