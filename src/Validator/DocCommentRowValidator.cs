using AutoRefiner.CSharp;
using AutoRefiner.Core.Model;
using AutoRefiner.Core.Pipeline;
using AutoRefiner.Core.Text;

namespace AutoRefiner.Validator;

/// <summary>
/// Judges a doc-comment row: the instruction's C# block (the context, with the target stubbed) compiles; the response is
/// one C# block holding exactly one method, constructor or operator; that member spliced into the context in place of its
/// stub compiles; and the member's body appears nowhere in the instruction.
/// </summary>
internal static class DocCommentRowValidator
{
    /// <summary>The task whose rows are judged this way.</summary>
    public const string Task = "doc-comments";

    public static Judged Validate(Candidate candidate, ICodeCompiler compiler, CancellationToken cancellationToken)
    {
        var context = CodeBlocks.FirstCSharp(candidate.Instruction);
        if (string.IsNullOrWhiteSpace(context))
        {
            return new Judged(candidate, Verdict.Unparseable, "the instruction has no ```csharp block with the context");
        }

        var blocks = CodeBlocks.All(candidate.Response).Where(b => b.Tag.ToUpperInvariant() is "CSHARP" or "CS" or "C#" or "").ToList();
        if (blocks.Count != 1)
        {
            return new Judged(candidate, Verdict.Unparseable, $"the response has {blocks.Count} C# blocks; it must have exactly one");
        }

        var member = MemberSplice.OnlyMember(blocks[0].Body, cancellationToken, out var error);
        if (member is null)
        {
            return new Judged(candidate, Verdict.Unparseable, error!);
        }

        if (MemberSplice.Leaks(MemberSplice.BodyOf(member), candidate.Instruction))
        {
            return new Judged(candidate, Verdict.Unparseable, "the member's body appears in the instruction");
        }

        var alone = compiler.Check(context, cancellationToken);
        if (!alone.Success)
        {
            return new Judged(candidate, Verdict.CompileError, "the context does not compile:\n" + string.Join('\n', alone.Errors));
        }

        var spliced = MemberSplice.Splice(context, blocks[0].Body, cancellationToken);
        if (spliced.Unit is null)
        {
            return new Judged(candidate, Verdict.Unparseable, spliced.Error!);
        }

        var whole = compiler.Check(spliced.Unit, cancellationToken);
        return whole.Success
            ? new Judged(candidate, Verdict.Passed, "")
            : new Judged(candidate, Verdict.CompileError, "the member in place of its stub does not compile:\n" + string.Join('\n', whole.Errors));
    }
}
