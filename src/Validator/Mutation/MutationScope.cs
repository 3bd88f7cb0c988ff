using AutoRefiner.Core.Model;
using Microsoft.CodeAnalysis.Text;

namespace AutoRefiner.Validator.Mutation;

/// <summary>Which part of a candidate's solution its mutants change.</summary>
public static class MutationScope
{
    /// <summary>All of the solution (null), for every task whose whole solution is the model's answer.</summary>
    public static TextSpan? Of(Candidate candidate, string solution)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(solution);
        return null;
    }
}
