namespace AutoRefiner.Generator.Llm;

/// <summary>One message of a chat request.</summary>
/// <param name="Role"><c>system</c>, <c>user</c> or <c>assistant</c>.</param>
/// <param name="Content">Its text.</param>
public sealed record ChatTurn(string Role, string Content);
