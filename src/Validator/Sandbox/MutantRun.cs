namespace AutoRefiner.Validator.Sandbox;

/// <summary>How the tests fared against one mutant.</summary>
/// <param name="Id">The mutant.</param>
/// <param name="Killed">A test failed, timed out or crashed, or the run could not complete: the tests told it apart.</param>
/// <param name="How">What killed it (<c>failed: Tests.Adds</c>, <c>timeout</c>, <c>crashed</c>), or <c>survived</c>.</param>
public sealed record MutantRun(int Id, bool Killed, string How)
{
    /// <summary>Judges one mutant's run.</summary>
    public static MutantRun From(int id, SandboxOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.End == SandboxEnd.Timeout)
        {
            return new MutantRun(id, true, "timeout");
        }

        if (outcome.End == SandboxEnd.Crashed)
        {
            return new MutantRun(id, true, "crashed");
        }

        if (outcome.Response?.Error is { } error)
        {
            return new MutantRun(id, true, "error: " + error);
        }

        var failed = outcome.Response?.Tests.FirstOrDefault(t => t.Outcome is not ("passed" or "skipped"));
        return failed is null ? new MutantRun(id, false, "survived") : new MutantRun(id, true, $"{failed.Outcome}: {failed.Name}");
    }
}
