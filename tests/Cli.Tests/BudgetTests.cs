using System.Text.Json;
using AutoRefiner.Generator.Tests.Llm;

namespace AutoRefiner.Cli.Tests;

/// <summary>
/// <c>llm.max-cost</c> and <c>llm.max-tokens-total</c> end to end: the real command and Semantic Kernel connector against
/// the fake OpenAI-compatible server on 127.0.0.1.
/// </summary>
public sealed class BudgetTests : IAsyncLifetime
{
    private readonly TempDir _dir = new();
    private readonly FakeOpenAiServer _server = new();

    private static readonly string[] Methods = ["Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot"];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _dir.Dispose();
    }

    private string Out => _dir.Combine("out");

    /// <summary>Six seeds; every answer bills 400 prompt and 100 completion tokens: 0.5 at 1000 per million each.</summary>
    private string Config(string budget) => _dir.Write("harvest.yml", $"""
        sources:
          local: [src]
        llm:
          endpoint: {_server.BaseUrl}
          model: fake-coder
          concurrency: 1
          max-tokens: 100
          prices:
            fake-coder: {"{"} input: 1000, output: 1000 {"}"}
          {budget}
        generation:
          tasks: [instruct]
        curation:
          near-duplicates: false   # the fake's answers are one template: near-duplicates by design
        export:
          out: out
        state: state/state.db
        """);

    private void WriteSources()
    {
        // Different bodies, so no seed is a near-duplicate of another.
        // Loops, not one-line expressions: a trivial member is no seed, not even as inspiration.
        var steps = new[] { "s += i + 1", "s ^= i * 2", "s -= i % 3", "s += i / 4", "s |= i << 5", "s += i * i" };
        var methods = string.Join("\n\n", Methods.Select((m, i) => $$"""
                /// <summary>Folds the numbers below <paramref name="x"/> into one value with fold number {{i}}, starting from zero.</summary>
                public static int {{m}}(int x)
                {
                    var s = 0;
                    for (var i = 0; i < x; i++)
                    {
                        {{steps[i]}};
                    }

                    return s;
                }
            """));
        _dir.Write("src/Ops.cs", $$"""
            namespace Sample;

            public static class Ops
            {
            {{methods}}
            }
            """);
        _server.Responder = request => FakeReply.Answer(FakeOpenAiServer.ContractAnswer(request), promptTokens: 400, completionTokens: 100);
    }

    private HashSet<string> SeedsAsked(int from = 0) =>
        [.. _server.Requests.Skip(from).Select(r => Methods.First(m => r.UserText.Contains(m + "(", StringComparison.Ordinal)))];

    [Theory]
    [InlineData("max-cost: 1.4")]
    [InlineData("max-tokens-total: 1300")]
    public async Task ABudget_StopsTheRunCleanly_AndEachRerunContinuesWithTheRemainder(string budget)
    {
        WriteSources();
        var config = Config(budget);

        // The first run sends what fits (two answers: 1.0 spent, 1000 tokens billed; a third could cross the limit).
        var first = await CliRunner.RunAsync(["harvest", "--config", config]);

        Assert.True(first.ExitCode == 0, first.Output + first.Errors);
        Assert.Equal(2, _server.Requests.Count);
        var limit = budget.Replace(": ", " ", StringComparison.Ordinal);
        Assert.Contains($"the budget (llm.{limit}) was reached, so 4 seeds were not sent to the model and have no sample yet; run the same command again to continue", first.Output, StringComparison.Ordinal);
        Assert.Equal(2, CliRunner.ReadAllJsonlRows(Out).Count);
        using (var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(Out, "manifest.json"))))
        {
            var llm = manifest.RootElement.GetProperty("llm");
            Assert.Equal($"llm.{limit}", llm.GetProperty("budget_reached").GetString());
            Assert.Equal(4, llm.GetProperty("seeds_left_for_budget").GetInt64());
            Assert.Equal(0.5, llm.GetProperty("cost_per_kept_sample").GetDouble(), 6);
        }

        Assert.Contains("per kept sample", first.Output, StringComparison.Ordinal);
        Assert.Contains("cost per kept sample", File.ReadAllText(Path.Combine(Out, "report.html")), StringComparison.Ordinal);

        // Each rerun spends only on seeds not answered yet, and the dataset grows until every seed has its sample.
        var asked = SeedsAsked();
        for (var run = 0; run < 2; run++)
        {
            var before = _server.Requests.Count;
            var again = await CliRunner.RunAsync(["harvest", "--config", config]);

            Assert.True(again.ExitCode == 0, again.Output + again.Errors);
            var now = SeedsAsked(before);
            Assert.Equal(2, now.Count);
            Assert.Empty(now.Intersect(asked));
            asked.UnionWith(now);
            Assert.Equal(asked.Count, CliRunner.ReadAllJsonlRows(Out).Count);
        }

        Assert.Equal(Methods.Length, asked.Count);
        var last = await CliRunner.RunAsync(["harvest", "--config", config]);
        Assert.True(last.ExitCode == 0, last.Output + last.Errors);
        Assert.Equal(6, _server.Requests.Count);
        Assert.DoesNotContain("was reached", last.Output, StringComparison.Ordinal);
        Assert.Equal(6, CliRunner.ReadAllJsonlRows(Out).Count);
    }

    [Fact]
    public async Task DryRun_ComparesItsWorstCaseWithTheBudget()
    {
        WriteSources();

        var result = await CliRunner.RunAsync(["harvest", "--config", Config("max-cost: 1.4"), "--dry-run"]);

        Assert.True(result.ExitCode == 0, result.Output + result.Errors);
        Assert.Contains("budget: llm.max-cost 1.4: the worst case (", result.Output, StringComparison.Ordinal);
        Assert.Contains(") is over it; a run would stop sending once the budget is reached, export what it has, and the next run would continue", result.Output, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task MaxCost_WithoutAPriceForTheModel_IsAUsageError()
    {
        WriteSources();
        var config = _dir.Write("noprice.yml", $"""
            sources:
              local: [src]
            llm:
              endpoint: {_server.BaseUrl}
              model: fake-coder
              max-cost: 2
            """);

        var result = await CliRunner.RunAsync(["harvest", "--config", config, "--out", Out]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("llm.max-cost: needs a price for model 'fake-coder' in llm.prices", result.Errors, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }
}
