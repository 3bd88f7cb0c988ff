using AutoRefiner.Core.Model;

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

        var rejected = await rows.ValidateAsync(pair.Instruction, pair.Rejected, pair.RejectedTests, cancellationToken).ConfigureAwait(false);
        return rejected.Verdict == Verdict.Passed
            ? chosen with { Verdict = Verdict.TestFailed, Detail = $"the rejected answer passes too ({rejected.TestsPassed} of {rejected.TestsRun} tests), so the pair prefers nothing" }
            : chosen with { Detail = $"rejected answer: {rejected.Verdict.ToWire()}" };
    }

    private static Judged Judgement(Verdict verdict, string detail) => new(
        new Candidate
        {
            Task = "validate", Instruction = "", Response = "", Generator = "validate", PromptVersion = "",
            Provenance = new Provenance("", "", "", "", ""), SeedId = "",
        },
        verdict,
        detail);
}
