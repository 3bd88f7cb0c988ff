using System.Runtime.CompilerServices;
using AutoRefiner.Core;
using AutoRefiner.Core.Model;
using AutoRefiner.Core.Pipeline;
using AutoRefiner.Core.Text;
using AutoRefiner.Generator.Llm;
using AutoRefiner.Generator.Prompts;

namespace AutoRefiner.Generator.Instruct;

/// <summary>
/// The <c>instruct</c> generator (OSS-Instruct style): shows the model a seed as inspiration and asks for a new,
/// self-contained problem, its solution and xunit tests (prompt <c>Prompts/instruct.v*.md</c>). Answers come from the
/// state store when the same request was answered before. An answer that cannot be read becomes a candidate with a
/// <see cref="Candidate.ParseError"/> (verdict <c>unparseable</c>); an endpoint that stays down stops the run.
/// </summary>
public sealed class InstructGenerator(
    ResponseCache cache, RunStats stats, PromptTemplate template, PromptTemplate? repairTemplate = null, PromptTemplate? weakTestsTemplate = null, int candidates = 1)
    : ISampleGenerator, IRequestPlanner, IRepairer
{
    /// <summary>The repair prompt file in use.</summary>
    public const string RepairPromptFile = "repair.v1.md";

    /// <summary>The prompt file of a <c>weak-tests</c> repair: the surviving mutants, and tests asked for.</summary>
    public const string WeakTestsPromptFile = "weak-tests.v1.md";

    /// <summary>Longest diagnostic text sent back to the model.</summary>
    private const int MaxFeedbackChars = 4000;

    /// <summary>The task name.</summary>
    public const string TaskName = "instruct";

    /// <summary>The prompt file in use.</summary>
    public const string PromptFile = "instruct.v1.md";

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
        });
    }

    /// <inheritdoc />
    public int Candidates => Math.Max(1, candidates);

    /// <inheritdoc />
    public async IAsyncEnumerable<Candidate> GenerateAsync(Seed seed, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(seed);
        foreach (var candidate in await AskAsync(seed, Messages(seed), cancellationToken).ConfigureAwait(false))
        {
            yield return candidate;
        }
    }

    /// <summary>The seed's <see cref="Candidates"/> answers, each parsed into a candidate with its index.</summary>
    private async Task<List<Candidate>> AskAsync(Seed seed, IReadOnlyList<ChatTurn> messages, CancellationToken cancellationToken)
    {
        IReadOnlyList<Core.State.CachedAnswer> answers;
        try
        {
            answers = await cache.GetOrAskAllAsync(PromptVersion, messages, Candidates, cancellationToken).ConfigureAwait(false);
        }
        catch (LlmException e) when (!e.IsFatal)
        {
            // This request was refused or its answer was garbled; the others may still succeed. Only a verdict on the
            // seed itself (too long for the model's context, filtered) is recorded as its outcome; one that blames the
            // endpoint is not, so the next run asks again (answers received meanwhile are in the state store).
            stats.Llm.CountFailure(e.Reason);
            return [.. Enumerable.Range(0, Candidates).Select(i =>
                Unusable(seed, e.Message, new Core.State.CachedAnswer("", 0, 0)) with { Provisional = !e.IsAboutTheSample, CandidateIndex = i })];
        }
        catch (LlmException e)
        {
            stats.Llm.CountFailure(e.Reason);
            throw AutoRefinerException.RunFailed(
                $"{e.Message}. The {Words.Count(stats.Llm.Answered, "answer")} received in this run {(stats.Llm.Answered == 1 ? "is" : "are")} kept in the state store; run the same command again to go on from there.");
        }

        return [.. answers.Select((answer, i) => Parse(seed, answer) with { CandidateIndex = i })];
    }

    private Candidate Parse(Seed seed, Core.State.CachedAnswer answer)
    {
        var (parsed, error) = AnswerParser.Parse(answer.Text);
        return parsed is null
            ? Unusable(seed, error!, answer) with { Response = answer.Text }
            : new Candidate
            {
                Task = TaskName,
                Instruction = parsed.Instruction,
                Response = parsed.Response,
                Tests = parsed.Tests,
                Generator = cache.Model,
                PromptVersion = PromptVersion,
                Provenance = seed.Provenance,
                SeedId = seed.Id,
                PromptTokens = answer.PromptTokens,
                CompletionTokens = answer.CompletionTokens,
            };
    }

    /// <inheritdoc />
    public async Task<Candidate> RepairAsync(Judged failed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(failed);
        var weak = failed.Verdict == Verdict.WeakTests;
        var template = (weak ? weakTestsTemplate : repairTemplate) ?? throw new InvalidOperationException($"no {(weak ? "weak-tests" : "repair")} prompt was given");
        var original = failed.Candidate;
        var feedback = failed.Detail.Length <= MaxFeedbackChars ? failed.Detail : failed.Detail[..MaxFeedbackChars] + "\n…";
        var messages = template.Render(new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["instruction"] = original.Instruction,
            ["response"] = original.Response,
            ["tests"] = original.Tests.TrimEnd(),
            ["problem"] = Problem(failed.Verdict),
            ["feedback"] = feedback,
        });
        var version = $"{original.PromptVersion}+{template.Version}";
        var repaired = original with
        {
            PromptVersion = version,
            RepairRounds = original.RepairRounds + 1,
            ParseError = null,
        };

        Core.State.CachedAnswer answer;
        try
        {
            answer = await cache.GetOrAskAsync(version, messages, cancellationToken).ConfigureAwait(false);
        }
        catch (LlmException e) when (!e.IsFatal)
        {
            stats.Llm.CountFailure(e.Reason);
            return repaired with { ParseError = $"the repair request failed: {e.Message}", Provisional = !e.IsAboutTheSample };
        }
        catch (LlmException e)
        {
            stats.Llm.CountFailure(e.Reason);
            throw AutoRefinerException.RunFailed(
                $"{e.Message}. The {Words.Count(stats.Llm.Answered, "answer")} received in this run {(stats.Llm.Answered == 1 ? "is" : "are")} kept in the state store; run the same command again to go on from there.");
        }

        repaired = repaired with
        {
            PromptTokens = original.PromptTokens + answer.PromptTokens,
            CompletionTokens = original.CompletionTokens + answer.CompletionTokens,
        };
        if (weak)
        {
            // Only the tests change: the solution passed them and is what the new tests must pass on.
            var (tests, testsError) = AnswerParser.ParseTests(answer.Text);
            return tests is null ? repaired with { ParseError = $"repair answer: {testsError}" } : repaired with { Tests = tests };
        }

        var (parsed, error) = AnswerParser.Parse(answer.Text);
        return parsed is null
            ? repaired with { ParseError = $"repair answer: {error}", Response = answer.Text }
            : repaired with { Instruction = parsed.Instruction, Response = parsed.Response, Tests = parsed.Tests };
    }

    private static string Problem(Verdict verdict) => verdict switch
    {
        Verdict.CompileError => "It does not compile; the compiler said",
        Verdict.TestFailed => "A test failed; the test runner said",
        Verdict.Timeout => "The tests did not finish in time (an endless loop or a wait that never ends?)",
        Verdict.Crashed => "The test process crashed (endless recursion or unbounded memory?)",
        Verdict.BannedApi => "It uses an API that is not allowed here",
        _ => "It was rejected",
    };

    /// <inheritdoc />
    public RequestPlan Plan(Seed seed)
    {
        var messages = Messages(seed);
        var cached = Enumerable.Range(0, Candidates).Count(i => cache.Contains(PromptVersion, messages, i));
        return new RequestPlan(Candidates, cached, (Candidates - cached) * ResponseCache.EstimateTokens(messages));
    }

    private Candidate Unusable(Seed seed, string why, Core.State.CachedAnswer answer) => new()
    {
        Task = TaskName,
        Instruction = "",
        Response = "",
        Generator = cache.Model,
        PromptVersion = PromptVersion,
        Provenance = seed.Provenance,
        SeedId = seed.Id,
        PromptTokens = answer.PromptTokens,
        CompletionTokens = answer.CompletionTokens,
        ParseError = why,
    };
}
