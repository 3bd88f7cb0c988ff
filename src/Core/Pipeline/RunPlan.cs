namespace AutoRefiner.Core.Pipeline;

/// <summary>What a run would do, as <c>--dry-run</c> reports it.</summary>
/// <param name="Seeds">Seeds the run would take.</param>
/// <param name="Requests">LLM requests they need (before repairs).</param>
/// <param name="Cached">Of those, requests whose answers the state store already holds: they cost nothing.</param>
/// <param name="PromptTokens">Estimated prompt tokens of the requests that would be sent.</param>
public sealed record RunPlan(long Seeds, long Requests, long Cached, long PromptTokens)
{
    /// <summary>Requests that would reach the endpoint.</summary>
    public long ToSend => Requests - Cached;
}
