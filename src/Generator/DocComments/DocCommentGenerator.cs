using System.Text;
using AutoRefiner.Core.Model;
using AutoRefiner.Core.Pipeline;
using AutoRefiner.Core.Text;

namespace AutoRefiner.Generator.DocComments;

/// <summary>
/// The <c>doc-comments</c> generator (no LLM): the instruction is a task written from the method's signature and XML
/// documentation; the response is the seed's self-contained unit in a <c>```csharp</c> block. The phrasing is one of a
/// few templates, chosen by the seed's id so a rerun writes the same text.
/// </summary>
public sealed class DocCommentGenerator : ISampleGenerator
{
    /// <summary>The task name.</summary>
    public const string TaskName = "doc-comments";

    /// <inheritdoc />
    public string Task => TaskName;

    /// <inheritdoc />
    public string PromptVersion => "doc-comments/1";

    /// <inheritdoc />
    public IAsyncEnumerable<Candidate> GenerateAsync(Seed seed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(seed);
        if (!seed.SelfContained)
        {
            // An inspiration seed does not compile on its own: its code cannot be a response.
            return AsyncEnumerable.Empty<Candidate>();
        }

        Candidate[] one =
        [
            new Candidate
            {
            Task = TaskName,
            Instruction = Instruction(seed),
            Response = Response(seed),
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
        var summary = doc.Summary.TrimEnd();
        switch (variant)
        {
            case 0:
                sb.Append("Write a C# method in `").Append(seed.ContainingType).Append("` with this signature:\n\n");
                break;
            case 1:
                sb.Append("Implement the following C# method of `").Append(seed.ContainingType).Append("`:\n\n");
                break;
            default:
                sb.Append("In C#, write the method below as a member of `").Append(seed.ContainingType).Append("`:\n\n");
                break;
        }

        sb.Append("```csharp\n").Append(seed.Signature).Append("\n```\n\n");
        sb.Append(variant == 1 ? "What it does: " : "").Append(summary).Append('\n');
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

        sb.Append('\n').Append(seed.Dependencies > 0
            ? "Give complete code that compiles on its own, including the members and types the method relies on."
            : "Give complete code that compiles on its own.");
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

    /// <summary>The response for a seed: its unit in a fenced block.</summary>
    public static string Response(Seed seed)
    {
        ArgumentNullException.ThrowIfNull(seed);
        return CodeBlocks.Fence(seed.Code);
    }
}
