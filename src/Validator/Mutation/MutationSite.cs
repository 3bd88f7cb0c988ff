using Microsoft.CodeAnalysis;

namespace AutoRefiner.Validator.Mutation;

/// <summary>How a site is switched in the schemata.</summary>
internal enum SiteShape
{
    /// <summary>An expression: <c>(__ArMutant.Id == n ? (mutated) : (original))</c>.</summary>
    Expression,

    /// <summary>A statement left out: <c>if (__ArMutant.Id != n) { original }</c>.</summary>
    RemoveStatement,

    /// <summary>A statement replaced: <c>if (__ArMutant.Id == n) { mutated } else { original }</c>.</summary>
    ReplaceStatement,

    /// <summary>A method body that returns at once: <c>if (__ArMutant.Id == n) return default;</c> first.</summary>
    ReturnDefault,
}

/// <summary>One mutation of the original solution: where, how it is switched, and what replaces the original.</summary>
/// <param name="Node">The original node (of the solution's own syntax tree).</param>
/// <param name="Shape">How it is switched.</param>
/// <param name="Kind">The mutation operator (<c>relational</c>, <c>arithmetic</c>, …).</param>
/// <param name="Replacement">The mutated node, built from the original's parts; null for a removed statement or a return.</param>
/// <param name="Member">The member it is in (mutants are spread over members).</param>
/// <param name="MemberName">That member as a reader knows it (<c>Calculator.Add(int, int)</c>).</param>
internal sealed record MutationSite(SyntaxNode Node, SiteShape Shape, string Kind, SyntaxNode? Replacement, SyntaxNode Member, string MemberName)
{
    /// <summary>The mutant's id in the schemata (from 1; 0 is the original).</summary>
    public int Id { get; init; }

    /// <summary>Whether a compile error it causes may show outside its own switch (definite assignment, all paths return).</summary>
    public bool ActsBeyondItself => Shape is not SiteShape.Expression || Kind == "negate";
}
