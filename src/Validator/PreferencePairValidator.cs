using AutoRefiner.Core.Model;
using AutoRefiner.Core.Text;

namespace AutoRefiner.Validator;

/// <summary>
/// Judges a preference row (<see cref="PreferenceLayout"/>): it holds when its chosen answer passes and its rejected
/// answer fails, each compiled and tested with its own tests. A pair whose chosen answer fails takes that verdict; one
/// whose rejected answer passes is <c>test-failed</c> with a detail saying so: it teaches the model nothing.
/// </summary>
public sealed class PreferencePairValidator(SftRowValidator rows)
{
    /// <summary>The row's verdict; the tests counted are the chosen answer's.</summary>
    public async ValueTask<Judged> ValidateAsync(IReadOnlyDictionary<string, object?> row, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (PreferenceLayout.Read(row, out var problem) is not { } pair)
        {
            return Judgement(Verdict.Unparseable, problem!);
        }

        var chosen = await rows.ValidateAsync(pair.Instruction, pair.Chosen, pair.ChosenTests, cancellationToken).ConfigureAwait(false);
        if (chosen.Verdict != Verdict.Passed)
        {
            return chosen with { Detail = $"the chosen answer does not pass ({chosen.Verdict.ToWire()}): {chosen.Detail}" };
        }

        if (Code(pair.Chosen) is { Length: > 0 } chosenCode && chosenCode == Code(pair.Rejected))
        {
            return chosen with { Verdict = Verdict.TestFailed, Detail = "the rejected answer's code is the chosen answer's, so the pair prefers nothing" };
        }

        var rejected = await rows.ValidateAsync(pair.Instruction, pair.Rejected, pair.RejectedTests, cancellationToken).ConfigureAwait(false);
        if (rejected.Verdict == Verdict.Passed)
        {
            return chosen with { Verdict = Verdict.TestFailed, Detail = $"the rejected answer passes too ({rejected.TestsPassed} of {rejected.TestsRun} tests), so the pair prefers nothing" };
        }

        // A pair teaches "this, not that" only where "that" is a wrong answer to the task: one that does not compile, fails
        // or barely tests itself, or never ends (as the harvest pairs them). Hostile code (banned-api) must reach no output,
        // and an answer that is empty or needs a package the sandbox lacks is not wrong, only unjudged.
        return rejected.Verdict switch
        {
            Verdict.CompileError or Verdict.TestFailed or Verdict.WeakTests or Verdict.Timeout => chosen with { Detail = $"rejected answer: {rejected.Verdict.ToWire()}" },
            Verdict.BannedApi or Verdict.Secret => chosen with { Verdict = rejected.Verdict, Detail = $"the rejected answer is {rejected.Verdict.ToWire()} ({rejected.Detail}): such code is never paired" },
            _ => chosen with { Verdict = Verdict.Unparseable, Detail = $"the rejected answer is {rejected.Verdict.ToWire()}, not a wrong answer to the task ({rejected.Detail}): the pair prefers nothing it can show" },
        };
    }

    /// <summary>The answer's code with its whitespace left out, for telling two answers apart.</summary>
    private static string Code(string answer) =>
        string.Concat((CodeBlocks.FirstCSharp(answer) ?? answer).Where(c => !char.IsWhiteSpace(c)));

    private static Judged Judgement(Verdict verdict, string detail) => new(
        new Candidate
        {
            Task = "validate", Instruction = "", Response = "", Generator = "validate", PromptVersion = "",
            Provenance = new Provenance("", "", "", "", ""), SeedId = "",
        },
        verdict,
        detail);
}
