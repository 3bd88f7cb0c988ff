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

        var documented = doc.Params.Where(p => p.Text.Length > 0).ToList();
        if (documented.Count > 0)
        {
            sb.Append("\nParameters:\n");
            foreach (var p in documented)
            {
                sb.Append("- `").Append(p.Name).Append("`: ").Append(p.Text).Append('\n');
            }
        }

        var typeParams = doc.TypeParams.Where(p => p.Text.Length > 0).ToList();
        if (typeParams.Count > 0)
        {
            sb.Append("\nType parameters:\n");
            foreach (var p in typeParams)
            {
                sb.Append("- `").Append(p.Name).Append("`: ").Append(p.Text).Append('\n');
            }
        }

        if (doc.Returns.Length > 0)
        {
            sb.Append("\nReturns: ").Append(doc.Returns).Append('\n');
        }

        var exceptions = doc.Exceptions.Where(e => e.Name.Length > 0).ToList();
        if (exceptions.Count > 0)
        {
            sb.Append("\nThrows:\n");
            foreach (var e in exceptions)
            {
                sb.Append("- `").Append(e.Name).Append('`').Append(e.Text.Length > 0 ? ": " + e.Text : "").Append('\n');
            }
        }

        sb.Append('\n').Append(seed.Dependencies > 0
            ? "Give complete code that compiles on its own, including the members and types the method relies on."
            : "Give complete code that compiles on its own.");
        return sb.ToString();
    }

    /// <summary>The response for a seed: its unit in a fenced block.</summary>
    public static string Response(Seed seed)
    {
        ArgumentNullException.ThrowIfNull(seed);
        return CodeBlocks.Fence(seed.Code);
    }
}
