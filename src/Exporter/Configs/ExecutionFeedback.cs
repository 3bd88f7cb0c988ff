using AutoRefiner.Core.Curation;
using AutoRefiner.Core.Model;
using AutoRefiner.Core.Text;

namespace AutoRefiner.Exporter.Configs;

/// <summary>
/// Turns the judged answers of one seed into <c>preference</c> pairs and <c>feedback</c> conversations. Only answers that
/// failed on their merits — <c>compile-error</c>, <c>test-failed</c>, <c>weak-tests</c>, <c>timeout</c> — and that the
/// licence, secret and benchmark checks let through are used; a banned-API, secret, licence or contaminated answer is
/// never written.
/// </summary>
internal static class ExecutionFeedback
{
    /// <summary>The names of the configs, as the card and the manifest call them.</summary>
    public const string Preference = "preference";

    /// <summary>The repair conversations.</summary>
    public const string Feedback = "feedback";

    /// <summary>Failures a preference pair's rejected answer or a conversation's failing turn may have.</summary>
    public static IReadOnlyList<Verdict> Usable { get; } = [Verdict.CompileError, Verdict.TestFailed, Verdict.WeakTests, Verdict.Timeout];

    /// <summary>Whether a failing answer may be written.</summary>
    public static bool IsUsable(Judged failed) =>
        !failed.Tainted && failed.Candidate.ParseError is null && failed.Candidate.Response.Length > 0 && Usable.Contains(failed.Verdict);

    /// <summary>
    /// Pairs of one seed's answers: each passing answer with the failing answers it was repaired from, and the seed's
    /// SFT answer (else another passing one) with every failing answer to the same instruction.
    /// </summary>
    public static List<(Judged Chosen, Judged Rejected, string Source)> Pairs(IReadOnlyList<Judged> group)
    {
        ArgumentNullException.ThrowIfNull(group);
        var pairs = new List<(Judged, Judged, string)>();
        var passing = group.Where(j => j.Verdict == Verdict.Passed).OrderBy(j => j.Alternative).ToList();
        if (passing.Count == 0)
        {
            return pairs;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Add(Judged chosen, Judged rejected, string source)
        {
            if (IsUsable(rejected) && seen.Add(ContentHash.Of(chosen.Candidate.Response, rejected.Candidate.Response)))
            {
                pairs.Add((chosen, rejected, source));
            }
        }

        // A repair answers the task it was given again ("keep the task the same"): its failing answers share its prompt.
        foreach (var p in passing)
        {
            foreach (var before in Chain(p.Before))
            {
                Add(p, before, "repair");
            }
        }

        // Another answer pairs only where it answers the same instruction: the instruct model writes its own task.
        foreach (var failed in group.Where(j => j.Verdict != Verdict.Passed).SelectMany(j => Chain(j)))
        {
            if (passing.FirstOrDefault(p => SameInstruction(p, failed)) is { } chosen)
            {
                Add(chosen, failed, "candidate");
            }
        }

        return pairs;
    }

    /// <summary>The repair conversations of one seed: every passing answer repaired from failing ones that may all be written.</summary>
    public static List<(Judged Final, List<Judged> Failures)> Conversations(IReadOnlyList<Judged> group)
    {
        ArgumentNullException.ThrowIfNull(group);
        var conversations = new List<(Judged, List<Judged>)>();
        foreach (var p in group.Where(j => j.Verdict == Verdict.Passed && j.Before is not null))
        {
            var failures = Chain(p.Before).Reverse().ToList();
            if (failures.All(IsUsable))
            {
                conversations.Add((p, failures));
            }
        }

        return conversations;
    }

    /// <summary>The preference row of a pair.</summary>
    public static PreferenceRow ToRow(Judged chosen, Judged rejected, string source, string lang)
    {
        ArgumentNullException.ThrowIfNull(chosen);
        ArgumentNullException.ThrowIfNull(rejected);
        var c = chosen.Candidate;
        var row = new PreferenceRow
        {
            Id = ContentHash.Of(c.Instruction, c.Response, rejected.Candidate.Response),
            Task = c.Task,
            Prompt = [new ChatMessage { Role = "user", Content = c.Instruction }],
            Chosen = [new ChatMessage { Role = "assistant", Content = c.Response }],
            Rejected = [new ChatMessage { Role = "assistant", Content = rejected.Candidate.Response }],
            ChosenVerdict = chosen.Verdict.ToWire(),
            RejectedVerdict = rejected.Verdict.ToWire(),
            RejectedDetail = rejected.Detail,
            ChosenTests = c.Tests,
            RejectedTests = rejected.Candidate.Tests,
            RejectedSource = source,
            PassRate = chosen.PassRate,
            Difficulty = chosen.Difficulty,
            Lang = lang,
            Generator = c.Generator,
            PromptVersion = c.PromptVersion,
        };
        (row.SourceRepo, row.SourcePath, row.SourceCommit, row.SourceLicense, row.SourceUrl, row.SourceLines, row.SourceNotice) =
            (c.Provenance.Repo, c.Provenance.Path, c.Provenance.Commit, c.Provenance.License, c.Provenance.Url, c.Provenance.Lines, c.Provenance.Notice);
        return row;
    }

    /// <summary>The feedback row of a repaired answer and the failing answers before it (oldest first).</summary>
    public static FeedbackRow ToRow(Judged final, IReadOnlyList<Judged> failures, string lang)
    {
        ArgumentNullException.ThrowIfNull(final);
        ArgumentNullException.ThrowIfNull(failures);
        var c = final.Candidate;
        var messages = new List<ChatMessage> { new() { Role = "user", Content = failures[0].Candidate.Instruction } };
        foreach (var failed in failures)
        {
            messages.Add(new ChatMessage { Role = "assistant", Content = Answer(failed.Candidate) });
            messages.Add(new ChatMessage { Role = "user", Content = FeedbackTurn(failed) });
        }

        messages.Add(new ChatMessage { Role = "assistant", Content = Answer(c) });
        var row = new FeedbackRow
        {
            Id = ContentHash.Of([.. messages.Select(m => m.Content)]),
            Task = c.Task,
            Messages = messages,
            FeedbackVerdicts = [.. failures.Select(f => f.Verdict.ToWire())],
            Tests = c.Tests,
            PassRate = final.PassRate,
            Difficulty = final.Difficulty,
            Lang = lang,
            Generator = c.Generator,
            PromptVersion = c.PromptVersion,
        };
        (row.SourceRepo, row.SourcePath, row.SourceCommit, row.SourceLicense, row.SourceUrl, row.SourceLines, row.SourceNotice) =
            (c.Provenance.Repo, c.Provenance.Path, c.Provenance.Commit, c.Provenance.License, c.Provenance.Url, c.Provenance.Lines, c.Provenance.Notice);
        return row;
    }

    /// <summary>The split of a pair or conversation: that of its passing answer's SFT row (its source file decides).</summary>
    public static string SplitOf(Judged passing, double testShare) =>
        SampleId.SplitOf(passing.Candidate, SampleId.Of(passing.Candidate), testShare);

    /// <summary>
    /// An assistant turn: the answer, and its tests where they are not the answer itself — the test runner's words name
    /// them, so the conversation shows what they refer to.
    /// </summary>
    public static string Answer(Candidate candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        var tests = candidate.Tests.Trim();
        return tests.Length == 0 || candidate.Response.Contains(tests, StringComparison.Ordinal)
            ? candidate.Response
            : candidate.Response.TrimEnd() + "\n\nTests:\n\n" + CodeBlocks.Fence(tests);
    }

    /// <summary>The user turn after a failing answer: what went wrong, and the compiler's or test runner's words verbatim.</summary>
    public static string FeedbackTurn(Judged failed)
    {
        ArgumentNullException.ThrowIfNull(failed);
        var problem = failed.Verdict switch
        {
            Verdict.CompileError => "It does not compile; the compiler said:",
            Verdict.TestFailed => "A test failed; the test runner said:",
            Verdict.WeakTests => "The tests pass, but they do not catch these changes to the solution:",
            _ => "The tests did not finish in time; the test runner said:",
        };
        return $"{problem}\n\n```text\n{failed.Detail.Trim()}\n```\n\nFix it.";
    }

    private static bool SameInstruction(Judged a, Judged b) =>
        ContentHash.Normalize(a.Candidate.Instruction) == ContentHash.Normalize(b.Candidate.Instruction);

    /// <summary>An answer and those it was repaired from, newest first.</summary>
    private static IEnumerable<Judged> Chain(Judged? judged)
    {
        for (var j = judged; j is not null; j = j.Before)
        {
            yield return j;
        }
    }
}
