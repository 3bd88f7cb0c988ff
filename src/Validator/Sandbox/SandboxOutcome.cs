using AutoRefiner.Sandbox;

namespace AutoRefiner.Validator.Sandbox;

/// <summary>How a sample's test run ended.</summary>
public enum SandboxEnd
{
    /// <summary>The worker answered: see the results.</summary>
    Completed,

    /// <summary>The tests ran past their time.</summary>
    Timeout,

    /// <summary>The worker died (stack overflow, out of memory, an exit) or sent garbage.</summary>
    Crashed,
}

/// <summary>The outcome of running one assembly's tests.</summary>
/// <param name="End">How it ended.</param>
/// <param name="Response">The worker's answer, when there is one (also for a test that timed out inside the worker).</param>
/// <param name="Detail">What went wrong, in a sentence, when it did.</param>
public sealed record SandboxOutcome(SandboxEnd End, RunResponse? Response, string Detail);
