namespace AutoRefiner.Core.Pipeline;

/// <summary>
/// A request was not sent because it could cross <c>llm.max-cost</c> or <c>llm.max-tokens-total</c>. Not an error: the
/// pipeline leaves the seed for the next run and goes on with what costs nothing (answers already in the state store).
/// </summary>
internal sealed class BudgetReachedException(string limit) : Exception($"the budget ({limit}) would be crossed by the next request")
{
    /// <summary>The limit, as the configuration names it (<c>llm.max-cost 0.5</c>).</summary>
    public string Limit { get; } = limit;
}
