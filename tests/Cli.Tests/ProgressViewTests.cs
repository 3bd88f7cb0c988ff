using AutoRefiner.Cli.Rendering;
using AutoRefiner.Core.Pipeline;
using Microsoft.Extensions.Time.Testing;
using Spectre.Console.Testing;

namespace AutoRefiner.Cli.Tests;

public sealed class ProgressViewTests
{
    [Fact]
    public void PlainLine_WhileTheLlmEndpointIsWaitedFor_SaysUntilWhen_AndNoLongerOnceItIsOver()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 3, 0, 0, TimeSpan.Zero));
        var stats = new RunStats(time);
        var view = new ProgressView(new TestConsole(), stats, "harvest");
        stats.Llm.CountAttempt(retry: false);

        stats.Llm.WaitUntil(time.GetUtcNow() + TimeSpan.FromMinutes(10));

        Assert.Contains("waiting for the LLM endpoint until 03:10:00 UTC (10:00 left) before asking again", view.PlainLine(), StringComparison.Ordinal);
        time.Advance(TimeSpan.FromMinutes(4));
        Assert.Contains("(6:00 left)", view.PlainLine(), StringComparison.Ordinal);
        time.Advance(TimeSpan.FromMinutes(7));
        Assert.DoesNotContain("waiting", view.PlainLine(), StringComparison.Ordinal);
    }

    [Fact]
    public void PlainLine_WhileASourceIsWaitedFor_SaysWhatAndUntilWhen()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 3, 0, 0, TimeSpan.Zero));
        var stats = new RunStats(time);
        var view = new ProgressView(new TestConsole(), stats, "harvest");

        stats.WaitFor("GitHub's rate limit", time.GetUtcNow() + TimeSpan.FromMinutes(30));

        Assert.Contains("waiting for GitHub's rate limit until 03:30:00 UTC (30:00 left)", view.PlainLine(), StringComparison.Ordinal);
        time.Advance(TimeSpan.FromMinutes(31));
        Assert.DoesNotContain("waiting", view.PlainLine(), StringComparison.Ordinal);
    }
}
