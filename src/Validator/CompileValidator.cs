using AutoRefiner.Core.Model;
using AutoRefiner.Core.Pipeline;
using AutoRefiner.Core.Text;

namespace AutoRefiner.Validator;

/// <summary>
/// Judges a candidate by compiling the first C# block of its response on its own (a doc-comment row by its context and
/// the member spliced into it, <see cref="DocCommentRowValidator"/>): <c>unparseable</c> when the
/// generator could not read the model's answer or there is no block, <c>compile-error</c> with the compiler's first errors when it fails, else <c>passed</c>.
/// </summary>
public sealed class CompileValidator(ICodeCompiler compiler) : ICandidateValidator
{
    /// <inheritdoc />
    public ValueTask<Judged> ValidateAsync(Candidate candidate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        if (candidate.ParseError is { } parseError)
        {
            return ValueTask.FromResult(new Judged(candidate, Verdict.Unparseable, parseError));
        }

        if (candidate.Task == DocCommentRowValidator.Task)
        {
            return ValueTask.FromResult(DocCommentRowValidator.Validate(candidate, compiler, cancellationToken));
        }

        var code = CodeBlocks.FirstCSharp(candidate.Response);
        if (string.IsNullOrWhiteSpace(code))
        {
            return ValueTask.FromResult(new Judged(candidate, Verdict.Unparseable, "the response has no ```csharp code block"));
        }

        var result = compiler.Compile(code, cancellationToken);
        return ValueTask.FromResult(result.Success
            ? new Judged(candidate, Verdict.Passed, "")
            : new Judged(candidate, Verdict.CompileError, string.Join('\n', result.Errors)));
    }
}
