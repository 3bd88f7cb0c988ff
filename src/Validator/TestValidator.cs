using AutoRefiner.Core.Model;
using AutoRefiner.Core.Pipeline;
using AutoRefiner.Core.Text;
using AutoRefiner.Validator.Mutation;
using AutoRefiner.Validator.Sandbox;

namespace AutoRefiner.Validator;

/// <summary>
/// Judges a candidate that has tests: the solution and the tests are compiled together (<c>compile-error</c>), checked
/// against the deny-list (<c>banned-api</c>), and the tests run in a sandbox worker (<c>test-failed</c>,
/// <c>timeout</c>, <c>crashed</c>, or <c>passed</c> with the counts). A candidate without tests (doc-comment pairs) is
/// judged by compiling its code alone, as before.
/// </summary>
/// <remarks>
/// With a <see cref="MutationTester"/>, a sample whose tests pass is mutation-tested too: <c>weak-tests</c> when its tests
/// kill too few mutants of its solution, and the counts are recorded on the verdict either way.
/// </remarks>
public sealed class TestValidator(CompileValidator compileOnly, SandboxPool sandbox, bool runTests, MutationTester? mutation = null) : ICandidateValidator
{
    /// <inheritdoc />
    public async ValueTask<Judged> ValidateAsync(Candidate candidate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        if (candidate.ParseError is not null || string.IsNullOrWhiteSpace(candidate.Tests))
        {
            return await compileOnly.ValidateAsync(candidate, cancellationToken).ConfigureAwait(false);
        }

        var solution = MutationScope.SolutionOf(candidate);
        if (string.IsNullOrWhiteSpace(solution))
        {
            return new Judged(candidate, Verdict.Unparseable, candidate.Task == Core.Config.GenerationConfig.TestsTask ? "the instruction has no ```csharp block of the code under test" : "the response has no ```csharp code block");
        }

        var built = TestAssemblyBuilder.Build(solution, candidate.Tests, cancellationToken);
        if (built.BannedUse is { } banned)
        {
            return new Judged(candidate, Verdict.BannedApi, $"uses {banned}");
        }

        if (built.Image is null && built.MissingPackages.Count > 0)
        {
            // One missing package, not the dozens of errors it causes: no repair of the code would make it compile here.
            return new Judged(
                candidate,
                Verdict.MissingDependency,
                $"needs the NuGet {(built.MissingPackages.Count == 1 ? "package" : "packages")} {string.Join("; ", built.MissingPackages)} (the sandbox has the .NET libraries and xunit only)");
        }

        if (built.Image is not { } image)
        {
            return new Judged(candidate, Verdict.CompileError, string.Join('\n', built.Errors));
        }

        if (!runTests)
        {
            return new Judged(candidate, Verdict.Passed, "");
        }

        var outcome = await sandbox.RunAsync(image, cancellationToken).ConfigureAwait(false);
        var tests = outcome.Response?.Tests ?? [];
        var run = tests.Count(t => t.Outcome != "skipped");
        var passed = tests.Count(t => t.Outcome == "passed");
        return outcome.End switch
        {
            SandboxEnd.Timeout => new Judged(candidate, Verdict.Timeout, outcome.Detail, run, passed),
            SandboxEnd.Crashed => new Judged(candidate, Verdict.Crashed, outcome.Detail, run, passed),
            _ when outcome.Response?.Error is { } error => new Judged(candidate, Verdict.TestFailed, error, run, passed),
            _ when tests.FirstOrDefault(t => t.Outcome == "failed") is { } failed => new Judged(
                candidate, Verdict.TestFailed, $"{run - passed} of {Words.Count(run, "test")} failed; {failed.Name}: {failed.Message}", run, passed),
            _ when run == 0 => new Judged(candidate, Verdict.TestFailed, "every test is skipped: nothing was checked", 0, 0),
            _ when outcome.Response?.LeftRunning == true => new Judged(
                candidate, Verdict.BannedApi, $"left work running after its tests ended ({outcome.Response.Running ?? "its assembly stayed in use"}): threads, tasks and timers a sample starts must finish before its tests end", run, passed),
            _ => await MutationTestedAsync(new Judged(candidate, Verdict.Passed, "", run, passed), solution, tests, cancellationToken).ConfigureAwait(false),
        };
    }

    /// <summary>The passed verdict with its mutation score, or <c>weak-tests</c> below the bar.</summary>
    private async Task<Judged> MutationTestedAsync(Judged passed, string solution, IReadOnlyList<AutoRefiner.Sandbox.TestResult> results, CancellationToken cancellationToken)
    {
        if (mutation is null || mutation.Mutants == 0)
        {
            return passed;
        }

        var score = await mutation.ScoreAsync(solution, passed.Candidate.Tests, results, MutationScope.Of(passed.Candidate, solution), cancellationToken).ConfigureAwait(false);
        var scored = passed with { Mutants = score.Mutants, MutantsKilled = score.Killed };
        return score.IsBelow(mutation.MinScore) ? scored with { Verdict = Verdict.WeakTests, Detail = score.Detail(mutation.MinScore) } : scored;
    }
}
