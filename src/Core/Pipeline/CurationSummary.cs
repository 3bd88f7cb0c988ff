namespace AutoRefiner.Core.Pipeline;

/// <summary>How a run curated, for the manifest and the dataset card.</summary>
/// <param name="NearDuplicates">The near-duplicate settings, or <c>off</c>.</param>
/// <param name="Benchmarks">Evaluation sets kept out, with their item counts.</param>
/// <param name="Secrets"><c>drop</c> or <c>redact</c>.</param>
/// <param name="Licenses">Licences allowed.</param>
/// <param name="UnlicensedLocal">What happens to code without a known licence.</param>
public sealed record CurationSummary(
    string NearDuplicates, IReadOnlyDictionary<string, int> Benchmarks, string Secrets, IReadOnlyList<string> Licenses, string UnlicensedLocal);
