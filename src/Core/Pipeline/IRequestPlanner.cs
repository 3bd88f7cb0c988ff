using AutoRefiner.Core.Model;

namespace AutoRefiner.Core.Pipeline;

/// <summary>A generator that calls a paid service and can say, without calling it, what a seed would cost (<c>--dry-run</c>).</summary>
public interface IRequestPlanner
{
    /// <summary>The requests a seed needs, how many of them are already answered in the cache, and the prompt's size.</summary>
    RequestPlan Plan(Seed seed);
}

/// <summary>What one seed would ask of the LLM.</summary>
/// <param name="Requests">Requests needed (repairs not counted: they depend on the answers).</param>
/// <param name="Cached">Of those, requests the state store already holds the answer to.</param>
/// <param name="PromptTokens">Estimated prompt tokens of the requests not cached.</param>
public sealed record RequestPlan(int Requests, int Cached, long PromptTokens);
