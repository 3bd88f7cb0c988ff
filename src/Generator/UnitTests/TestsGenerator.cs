using System.Runtime.CompilerServices;
using System.Text;
using AutoRefiner.Core;
using AutoRefiner.Core.Config;
using AutoRefiner.Core.Model;
using AutoRefiner.Core.Pipeline;
using AutoRefiner.Core.Text;
using AutoRefiner.Generator.DocComments;
using AutoRefiner.Generator.Instruct;
using AutoRefiner.Generator.Llm;
using AutoRefiner.Generator.Prompts;

namespace AutoRefiner.Generator.UnitTests;

/// <summary>
/// The <c>tests</c> generator: for a harvested real member (a self-contained doc-comment seed, with the code it compiles
/// in), the model writes xunit tests (prompt <c>Prompts/tests.v*.md</c>). The row's instruction asks for tests of that
/// member and shows its context and the member; the response is the tests. The validator compiles them against the
/// real code, runs them, and mutation-tests them against mutants of the member alone.
/// </summary>
internal sealed class TestsGenerator(ResponseCache cache, RunStats stats, PromptTemplate template, int candidates = 1) : ISampleGenerator, IRequestPlanner
{
    /// <inheritdoc />
    public int Candidates => Math.Max(1, candidates);

    /// <summary>The task name.</summary>
    public const string TaskName = GenerationConfig.TestsTask;

    /// <summary>The prompt file in use.</summary>
    public const string PromptFile = "tests.v1.md";

    /// <inheritdoc />
    public string Task => TaskName;

    /// <inheritdoc />
    public string PromptVersion => template.Version;

    /// <inheritdoc />
    public string Model => cache.Model;

    /// <summary>The chat messages for a seed.</summary>
    public IReadOnlyList<ChatTurn> Messages(Seed seed)
    {
        ArgumentNullException.ThrowIfNull(seed);
        return template.Render(new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["repo"] = seed.Provenance.Repo,
            ["path"] = seed.Provenance.Path,
            ["code"] = seed.Code.TrimEnd(),
            ["type"] = seed.ContainingType.Trim(),
            ["member"] = seed.Member.Trim(),
            ["summary"] = seed.Doc.Summary.Trim(),
        });
    }

    /// <summary>
    /// The row's instruction: what to write, the assumptions, the code the member is in (first block: what the tests are
    /// compiled and run against) and the member itself (second block: what is mutated).
    /// </summary>
    public static string Instruction(Seed seed)
    {
        ArgumentNullException.ThrowIfNull(seed);
        var sb = new StringBuilder();
        sb.Append(GenerationConfig.TestsInstructionOpening).Append('`').Append(seed.Signature.Trim()).Append("` in `").Append(seed.ContainingType.Trim()).Append("`.\n\n")
          .Append("What it does: ").Append(seed.Doc.Summary.Trim()).Append("\n\n")
          .Append(seed.NullableAnnotated ? DocCommentGenerator.Assumptions : DocCommentGenerator.AssumptionsWithoutNullable)
          .Append(" The tests use xunit and must pass on this code and fail on small changes to the member.\n\n")
          .Append("The code it is in:\n\n").Append(CodeBlocks.Fence(seed.Code.TrimEnd())).Append('\n')
          .Append("The member:\n\n").Append(CodeBlocks.Fence(seed.Member.Trim()));
        return sb.ToString();
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<Candidate> GenerateAsync(Seed seed, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(seed);
        if (!seed.SelfContained || seed.Member.Length == 0)
        {
            // Tests need real code that compiles on its own, and a member to mutate in it.
            yield break;
        }

        foreach (var candidate in await AskAsync(seed, Messages(seed), cancellationToken).ConfigureAwait(false))
        {
            yield return candidate;
        }
    }

    /// <summary>The seed's <see cref="Candidates"/> answers, each parsed into a candidate with its index.</summary>
    private async Task<List<Candidate>> AskAsync(Seed seed, IReadOnlyList<ChatTurn> messages, CancellationToken cancellationToken)
    {
        var candidate = new Candidate
        {
            Task = TaskName,
            Instruction = Instruction(seed),
            Response = "",
            Generator = cache.Model,
            PromptVersion = PromptVersion,
            Provenance = seed.Provenance,
            SeedId = seed.Id,
        };
        IReadOnlyList<Core.State.CachedAnswer> answers;
        try
        {
            answers = await cache.GetOrAskAllAsync(PromptVersion, messages, Candidates, cancellationToken).ConfigureAwait(false);
        }
        catch (LlmException e) when (!e.IsFatal)
        {
            stats.Llm.CountFailure(e.Reason);
            return [.. Enumerable.Range(0, Candidates).Select(i => candidate with { ParseError = e.Message, Provisional = !e.IsAboutTheSample, CandidateIndex = i })];
        }
        catch (LlmException e)
        {
            stats.Llm.CountFailure(e.Reason);
            throw AutoRefinerException.RunFailed(
                $"{e.Message}. The {Words.Count(stats.Llm.Answered, "answer")} received in this run {(stats.Llm.Answered == 1 ? "is" : "are")} kept in the state store; run the same command again to go on from there.");
        }

        return [.. answers.Select((answer, i) => Parse(candidate, answer) with { CandidateIndex = i })];
    }

    private static Candidate Parse(Candidate candidate, Core.State.CachedAnswer answer)
    {
        candidate = candidate with { PromptTokens = answer.PromptTokens, CompletionTokens = answer.CompletionTokens };
        var (tests, error) = AnswerParser.ParseTests(answer.Text);
        return tests is null
            ? candidate with { ParseError = error, Response = answer.Text }
            : candidate with { Response = CodeBlocks.Fence(tests.TrimEnd()), Tests = tests };
    }

    /// <inheritdoc />
    public RequestPlan Plan(Seed seed)
    {
        ArgumentNullException.ThrowIfNull(seed);
        if (!seed.SelfContained || seed.Member.Length == 0)
        {
            return new RequestPlan(0, 0, 0);
        }

        var messages = Messages(seed);
        var cached = Enumerable.Range(0, Candidates).Count(i => cache.Contains(PromptVersion, messages, i));
        return new RequestPlan(Candidates, cached, (Candidates - cached) * ResponseCache.EstimateTokens(messages));
    }
}
