namespace AutoRefiner.State;

/// <summary>A run as the state store records it.</summary>
/// <param name="Id">Its number.</param>
/// <param name="Kind"><c>harvest</c> or <c>refresh</c>.</param>
/// <param name="StartedAt">Start.</param>
/// <param name="FinishedAt">End.</param>
/// <param name="Rows">Rows it exported.</param>
public sealed record RunRecord(long Id, string Kind, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, long? Rows);
