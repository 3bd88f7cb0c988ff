using System.Text;
using AutoRefiner.CSharp.Curation;
using AutoRefiner.Core.Model;
using AutoRefiner.Core.Pipeline;
using AutoRefiner.Core.Text;

namespace AutoRefiner.Generator.DocComments;

/// <summary>
/// The <c>doc-comments</c> generator (no LLM). The instruction states the task from the member's XML documentation, the
/// language and framework the code assumes, and shows the context: the seed's self-contained unit with the target's body
/// replaced by <c>throw new NotImplementedException();</c>. The response is the complete target member alone in a
/// <c>```csharp</c> block. The opening line is one of a few phrasings, chosen by the seed's id so a rerun writes the same text.
/// </summary>
public sealed class DocCommentGenerator : ISampleGenerator
{
    /// <summary>The task name.</summary>
    public const string TaskName = "doc-comments";

    /// <summary>What every context assumes, said in every instruction.</summary>
    public const string Assumptions =
        "The code is C# 14 on .NET 10 with implicit usings on (`System`, `System.Collections.Generic`, `System.IO`, `System.Linq`, "
        + "`System.Net.Http`, `System.Threading`, `System.Threading.Tasks`) and nullable reference types enabled.";

    /// <summary>What a context of code written before nullable annotations assumes (it begins with <c>#nullable disable</c>).</summary>
    public const string AssumptionsWithoutNullable =
        "The code is C# 14 on .NET 10 with implicit usings on (`System`, `System.Collections.Generic`, `System.IO`, `System.Linq`, "
        + "`System.Net.Http`, `System.Threading`, `System.Threading.Tasks`) and nullable reference types disabled (`#nullable disable`: the code predates them).";

    /// <inheritdoc />
    public string Task => TaskName;

    /// <inheritdoc />
    public string PromptVersion => "doc-comments/2";

    /// <inheritdoc />
    public IAsyncEnumerable<Candidate> GenerateAsync(Seed seed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(seed);
        if (!seed.SelfContained || seed.Context.Length == 0 || seed.Member.Length == 0)
        {
            // An inspiration seed does not compile on its own, and a seed without a context has no question to ask.
            return AsyncEnumerable.Empty<Candidate>();
        }

        Candidate[] one =
        [
            new Candidate
            {
            Task = TaskName,
            Instruction = Instruction(seed),
            Response = Response(seed),
            Compared = Compared(seed),
            Generator = TaskName,
            PromptVersion = PromptVersion,
            Provenance = seed.Provenance,
            SeedId = seed.Id,
            },
        ];
        return one.ToAsyncEnumerable();
    }

    /// <summary>The task text for a seed.</summary>
    public static string Instruction(Seed seed)
    {
        ArgumentNullException.ThrowIfNull(seed);
        var doc = seed.Doc;
        var sb = new StringBuilder();
        var variant = (int)(ContentHash.UnitInterval(seed.Id) * 3);
        var what = $"`{seed.Signature}` in `{seed.ContainingType.Trim()}`";
        sb.Append(variant switch
        {
            0 => $"Implement {what}. In the code below its body is `throw new NotImplementedException();`.",
            1 => $"Write the body of {what}, which the code below leaves as `throw new NotImplementedException();`.",
            _ => $"The code below stubs {what} with `throw new NotImplementedException();`. Implement it.",
        }).Append("\n\n");

        sb.Append("What it does: ").Append(doc.Summary.TrimEnd()).Append('\n');
        if (doc.Remarks.Length > 0)
        {
            sb.Append('\n').Append(doc.Remarks).Append('\n');
        }

        AppendList(sb, "Parameters", doc.Params.Where(p => p.Text.Length > 0));
        AppendList(sb, "Type parameters", doc.TypeParams.Where(p => p.Text.Length > 0));
        if (doc.Returns.Length > 0)
        {
            sb.Append("\nReturns: ").Append(doc.Returns).Append('\n');
        }

        AppendList(sb, "Throws", doc.Exceptions.Where(e => e.Name.Length > 0));

        sb.Append('\n').Append(seed.NullableAnnotated ? Assumptions : AssumptionsWithoutNullable);
        sb.Append(seed.Dependencies > 0
            ? " The other members in the code are what it may use; those shown with `=> throw null!` are declarations only.\n\n"
            : "\n\n");
        sb.Append(CodeBlocks.Fence(seed.Context.TrimEnd('\n') + "\n")).Append("\n\n");
        sb.Append("Answer with the complete member (signature and body) in one ```csharp block.");
        return sb.ToString();
    }

    /// <summary>A titled markdown list of named items (<c>- `name`: text</c>), or nothing when there are none.</summary>
    private static void AppendList(StringBuilder sb, string title, IEnumerable<NamedDoc> items)
    {
        var first = true;
        foreach (var item in items)
        {
            if (first)
            {
                sb.Append('\n').Append(title).Append(":\n");
                first = false;
            }

            sb.Append("- `").Append(item.Name).Append('`').Append(item.Text.Length > 0 ? ": " + item.Text : "").Append('\n');
        }
    }

    /// <summary>
    /// What near-duplicate detection compares of a row: the context, the member and the documentation with names masked.
    /// Not the instruction's own wording, which every row shares and which would make small sibling members look alike.
    /// </summary>
    public static string Compared(Seed seed)
    {
        ArgumentNullException.ThrowIfNull(seed);
        return $"{seed.Context}\n{seed.Member}\n{DocTemplate.Text(seed)}";
    }

    /// <summary>The response for a seed: the complete target member in a fenced block.</summary>
    public static string Response(Seed seed)
    {
        ArgumentNullException.ThrowIfNull(seed);
        return CodeBlocks.Fence(seed.Member.TrimEnd('\n') + "\n");
    }
}
