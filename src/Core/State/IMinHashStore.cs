namespace AutoRefiner.Core.State;

/// <summary>Where the MinHash signatures of kept seeds and samples are kept, so a later run's near-duplicates are judged against them.</summary>
public interface IMinHashStore
{
    /// <summary>The signatures kept for <paramref name="kind"/> (<c>seed</c>, <c>sample</c>) with <paramref name="permutations"/> values, oldest first.</summary>
    IEnumerable<(string Id, uint[] Signature)> MinHashes(string kind, int permutations);

    /// <summary>Keeps the signature of a kept seed or sample; an id already kept keeps its first signature.</summary>
    void PutMinHash(string kind, string id, uint[] signature);
}
