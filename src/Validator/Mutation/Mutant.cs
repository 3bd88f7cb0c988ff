namespace AutoRefiner.Validator.Mutation;

/// <summary>One mutant of a solution, as a reader sees it.</summary>
/// <param name="Id">Its id in the schemata (the value of <c>__ArMutant.Id</c> that switches it on).</param>
/// <param name="Kind">The mutation operator: <c>relational</c>, <c>equality</c>, <c>logical</c>, <c>arithmetic</c>, <c>negate</c>, <c>constant</c>, <c>remove-statement</c> or <c>return-default</c>.</param>
/// <param name="Member">The member it changes (<c>Calculator.Add(int, int)</c>).</param>
/// <param name="Line">The line of the solution it changes (1-based).</param>
/// <param name="Diff">The change as a small diff: the original line(s) with <c>- </c>, the mutated with <c>+ </c>.</param>
public sealed record Mutant(int Id, string Kind, string Member, int Line, string Diff)
{
    /// <summary>Its heading and diff, for a <c>detail</c> or a repair request.</summary>
    public string Describe() => $"{Member}, line {Line} ({Kind}):\n{Diff}";
}
