using AutoRefiner.Core.Model;

namespace AutoRefiner.Core.Pipeline;

/// <summary>A check on a seed before any generator sees it (so no LLM call is spent on it).</summary>
public interface ISeedFilter
{
    /// <summary>The seed to use (possibly changed, e.g. redacted), or null with the reason and an example to count.</summary>
    Seed? Filter(Seed seed, out string? reason, out string? example);
}
