using AutoRefiner.Core.Model;

namespace AutoRefiner.Validator.Tests.Sandbox;

/// <summary>Code that never ends is a timeout, and the pool goes on with the next sample.</summary>
public sealed class NeverEndingCodeTests(TimeoutSandboxFixture sandbox) : IClassFixture<TimeoutSandboxFixture>
{
    [Fact]
    public async Task InfiniteLoop_IsATimeout()
    {
        var judged = await HostileCodeTests.JudgeTestAsync(sandbox, "var i = 0; while (true) { i++; }");

        Assert.Equal(Verdict.Timeout, judged.Verdict);
        Assert.Contains("HostileTests.Hostile", judged.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HangingOnTaskDelayForever_IsATimeout()
    {
        var judged = await HostileCodeTests.JudgeTestAsync(sandbox, "await Task.Delay(-1);");

        Assert.Equal(Verdict.Timeout, judged.Verdict);
    }
}
