using AutoRefiner.Core.Config;
using AutoRefiner.Core.Model;
using AutoRefiner.Core.Text;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace AutoRefiner.Validator.Mutation;

/// <summary>What a candidate's tests run against, and which part of it its mutants change.</summary>
internal static class MutationScope
{
    /// <summary>
    /// The code the tests are compiled with: the response's first C# block, or for a <c>tests</c> row (whose response is
    /// the tests) the real code in its instruction's first block.
    /// </summary>
    public static string? SolutionOf(Candidate candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        return CodeBlocks.FirstCSharp(candidate.Task == GenerationConfig.TestsTask ? candidate.Instruction : candidate.Response);
    }

    /// <summary>
    /// The whole solution (null) when the model wrote it; for a <c>tests</c> row, the member the tests are about (the
    /// instruction's second block) where it stands in the code, so that only it is mutated.
    /// </summary>
    public static TextSpan? Of(Candidate candidate, string solution)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(solution);
        if (candidate.Task != GenerationConfig.TestsTask)
        {
            return null;
        }

        // The member is shown dedented: it is found in the code by its text without white space.
        var member = CodeBlocks.All(candidate.Instruction).Skip(1).Select(b => Squeezed(b.Body)).FirstOrDefault();
        var root = CSharpSyntaxTree.ParseText(solution, CSharp.ReferenceSet.ParseOptions).GetRoot();
        var found = string.IsNullOrEmpty(member) ? null : root.DescendantNodes().OfType<MemberDeclarationSyntax>().FirstOrDefault(m => Squeezed(m.ToString()) == member);
        return found?.Span ?? new TextSpan(0, 0);
    }

    private static string Squeezed(string code) => string.Concat(code.Where(c => !char.IsWhiteSpace(c)));
}
