namespace AutoRefiner.Core.State;

/// <summary>An LLM answer as the state store keeps it.</summary>
/// <param name="Text">The assistant message.</param>
/// <param name="PromptTokens">Tokens the request cost.</param>
/// <param name="CompletionTokens">Tokens the answer cost.</param>
public sealed record CachedAnswer(string Text, int PromptTokens, int CompletionTokens);
