using System.Text.Json;
using AutoRefiner.Generator.Tests.Llm;

namespace AutoRefiner.Cli.Tests;

/// <summary>
/// End-to-end runs with the instruct generator: the real command, the real Semantic Kernel connector, and a fake
/// OpenAI-compatible server on 127.0.0.1 that misbehaves in the ways real ones do.
/// </summary>
public sealed class LlmHarvestTests : IAsyncLifetime
{
    private readonly TempDir _dir = new();
    private readonly FakeOpenAiServer _server = new();
    private readonly string _keyVariable = "AUTOREFINER_TEST_KEY_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
    private readonly string _key = "sk-secret-" + Guid.NewGuid().ToString("N");

    private static readonly string[] Methods = ["Alpha", "Bravo429", "Charlie500", "DeltaSlow", "EchoNoSections", "FoxtrotUnfenced", "GolfDropped"];

    public Task InitializeAsync()
    {
        Environment.SetEnvironmentVariable(_keyVariable, _key);
        _server.RequiredKey = _key;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        Environment.SetEnvironmentVariable(_keyVariable, null);
        await _server.DisposeAsync();
        _dir.Dispose();
    }

    private string Out => _dir.Combine("out");

    private string Config(string extraLlm = "", string tasks = "[instruct]") => _dir.Write($"harvest-{tasks.Trim('[', ']').Replace(", ", "-", StringComparison.Ordinal)}.yml", $"""
        sources:
          local: [src]
        llm:
          endpoint: {_server.BaseUrl}
          model: fake-coder
          api-key-env: {_keyVariable}
          concurrency: 4
          timeout-seconds: 2
          max-retries: 3
          prices:
            fake-coder: {"{"} input: 2.5, output: 10 {"}"}
        {extraLlm}
        generation:
          tasks: {tasks}
        curation:
          near-duplicates: false   # the fake's answers are one template: near-duplicates by design
          max-per-file: 0          # one file of many members: the per-file cap of doc-comment rows is not this test's subject
        export:
          out: out
        state: state/state.db
        """);

    private void WriteSources()
    {
        var methods = string.Join("\n\n", Methods.Select((m, i) => $$"""
                /// <summary>Returns {{i}} more than its argument.</summary>
                public static int {{m}}(int x) => x + {{i}};
            """));
        _dir.Write("src/Ops.cs", $$"""
            namespace Sample;

            public static class Ops
            {
            {{methods}}
            }
            """);
    }

    /// <summary>What the fake endpoint does, by the method the seed shows it.</summary>
    private static FakeReply Misbehave(FakeChatRequest request)
    {
        var text = request.UserText;
        var good = FakeReply.Answer(FakeOpenAiServer.ContractAnswer(request), promptTokens: 1000, completionTokens: 200);
        if (text.Contains("Bravo429", StringComparison.Ordinal))
        {
            return request.Attempt == 1 ? FakeReply.RateLimited(1) : good;
        }

        if (text.Contains("Charlie500", StringComparison.Ordinal))
        {
            return request.Attempt <= 2 ? FakeReply.Fail(500, "internal error") : good;
        }

        if (text.Contains("DeltaSlow", StringComparison.Ordinal))
        {
            return request.Attempt == 1 ? good with { Delay = TimeSpan.FromSeconds(5) } : good;
        }

        if (text.Contains("GolfDropped", StringComparison.Ordinal))
        {
            return request.Attempt == 1 ? FakeReply.Dropped() : good;
        }

        if (text.Contains("EchoNoSections", StringComparison.Ordinal))
        {
            return FakeReply.Answer("Here is a nice problem: write a method that adds numbers. Good luck!", 1000, 20);
        }

        if (text.Contains("FoxtrotUnfenced", StringComparison.Ordinal))
        {
            var unfenced = FakeOpenAiServer.ContractAnswer(request).Replace("```csharp\n", "", StringComparison.Ordinal).Replace("```\n", "\n", StringComparison.Ordinal);
            return FakeReply.Answer(unfenced.TrimEnd('`', '\n') + "\n", 1000, 200);
        }

        return good;
    }

    [Fact]
    public async Task Harvest_WithAMisbehavingEndpoint_KeepsEverythingThatSucceeds_AndRecordsTheRest()
    {
        WriteSources();
        _server.Responder = Misbehave;

        var result = await CliRunner.RunAsync(["harvest", "--config", Config(), "--out", Out]);

        Assert.True(result.ExitCode == 0, result.Output + result.Errors);
        var rows = CliRunner.ReadAllJsonlRows(Out);
        Assert.Equal(6, rows.Count);
        Assert.All(rows, r =>
        {
            Assert.Equal("instruct", r.GetProperty("task").GetString());
            Assert.Equal("fake-coder", r.GetProperty("generator").GetString());
            Assert.Equal("instruct/1", r.GetProperty("prompt_version").GetString());
            Assert.Contains("[Fact]", r.GetProperty("tests").GetString(), StringComparison.Ordinal);
            Assert.Equal(1, r.GetProperty("tests_run").GetInt32());
            Assert.Equal(1, r.GetProperty("tests_passed").GetInt32());
            Assert.Equal(1000, r.GetProperty("prompt_tokens").GetInt32());
            Assert.Equal(200, r.GetProperty("completion_tokens").GetInt32());
            Assert.StartsWith("Ops.cs", r.GetProperty("source_path").GetString(), StringComparison.Ordinal);
        });
        Assert.Equal(6, await CliRunner.AssertDatasetIsSoundAsync(Out));

        var rejected = Assert.Single(CliRunner.ReadJsonl(Path.Combine(Out, "rejected.jsonl")));
        Assert.Equal("unparseable", rejected.GetProperty("verdict").GetString());
        Assert.Contains("none of the [Instruction], [Response] and [Tests] sections", rejected.GetProperty("detail").GetString(), StringComparison.Ordinal);

        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(Out, "manifest.json")));
        var llm = manifest.RootElement.GetProperty("llm");
        Assert.Equal(7, llm.GetProperty("answered").GetInt64());
        Assert.Equal(0, llm.GetProperty("cached").GetInt64());
        Assert.Equal(5, llm.GetProperty("retries").GetInt64()); // 429 once, 500 twice, the slow answer once, the dropped connection once
        Assert.Equal(_server.RequestCount, llm.GetProperty("attempts").GetInt64());
        Assert.Equal(7000, llm.GetProperty("prompt_tokens_billed").GetInt64());
        Assert.Equal(6 * 200 + 20, llm.GetProperty("completion_tokens_billed").GetInt64());
        Assert.Equal((7000 * 2.5 + 1220 * 10) / 1e6, llm.GetProperty("estimated_cost").GetDouble(), 6);
        Assert.Equal("fake-coder", manifest.RootElement.GetProperty("model").GetString());
        Assert.Contains("estimated cost 0.0297", result.Output, StringComparison.Ordinal);
        Assert.True(_server.MaxConcurrent > 1, "requests were sent one at a time");
        var card = File.ReadAllText(Path.Combine(Out, "README.md"));
        Assert.Contains("- Model: fake-coder", card, StringComparison.Ordinal);
        Assert.Contains("(prompt `instruct/1`)", card, StringComparison.Ordinal);
        Assert.Contains("- Tokens: 7,000 prompt, 1,220 completion", card, StringComparison.Ordinal);
        Assert.Contains("tests run in a sandbox (network namespace", card, StringComparison.Ordinal);
        Assert.Contains("network namespace", manifest.RootElement.GetProperty("sandbox").GetProperty("isolation").GetString(), StringComparison.Ordinal);

        AssertKeyNowhere(result);
    }

    [Fact]
    public async Task Harvest_Again_MakesNoRequestAndWritesTheSameDataset()
    {
        WriteSources();
        _server.Responder = Misbehave;
        var config = Config();
        Assert.Equal(0, (await CliRunner.RunAsync(["harvest", "--config", config, "--out", Out])).ExitCode);
        var firstIds = Ids();
        var requests = _server.RequestCount;

        var again = await CliRunner.RunAsync(["harvest", "--config", config, "--out", Out]);

        Assert.Equal(0, again.ExitCode);
        Assert.Equal(requests, _server.RequestCount);
        Assert.Equal(firstIds, Ids());
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(Out, "manifest.json")));
        Assert.Equal(0, manifest.RootElement.GetProperty("llm").GetProperty("answered").GetInt64());
        Assert.Equal(7, manifest.RootElement.GetProperty("run").GetProperty("reused").GetInt64()); // judged samples reused: not even the cache is asked
        Assert.Contains("harvest: 0 new rows; 7 samples reused from earlier runs", again.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Harvest_AgainstAnEndpointAsStrictAsOpenAi_LosesNoSample()
    {
        // api.openai.com refuses max_tokens next to max_completion_tokens; the run learns that from the first refusal.
        WriteSources();
        _server.Responder = r => r.Number("max_tokens") is not null && r.Number("max_completion_tokens") is not null
            ? FakeReply.Fail(400, "Setting 'max_tokens' and 'max_completion_tokens' at the same time is not supported.") with { ErrorParam = "max_tokens" }
            : FakeReply.Answer(FakeOpenAiServer.ContractAnswer(r));

        var result = await CliRunner.RunAsync(["harvest", "--config", Config(), "--out", Out]);

        Assert.True(result.ExitCode == 0, result.Output + result.Errors);
        Assert.Equal(7, Ids().Count);
        Assert.True(_server.RequestCount <= 7 + 4, $"{_server.RequestCount} requests: at most one refusal per request in flight at the switch");
    }

    [Fact]
    public async Task Harvest_AGarbledAnswer_IsAskedAgainNextRun_ARefusalIsNot()
    {
        WriteSources();
        var failing = true;
        _server.Responder = r => failing && r.UserText.Contains("Alpha", StringComparison.Ordinal)
            ? FakeReply.Raw("<html><body>502 Bad Gateway</body></html>")
            : r.UserText.Contains("EchoNoSections", StringComparison.Ordinal)
                ? FakeReply.Fail(400, "This model's maximum context length is 8192 tokens.")
                : FakeReply.Answer(FakeOpenAiServer.ContractAnswer(r));
        var config = Config();

        var first = await CliRunner.RunAsync(["harvest", "--config", config, "--out", Out]);

        Assert.True(first.ExitCode == 0, first.Output + first.Errors);
        Assert.Equal(5, Ids().Count);
        var details = CliRunner.ReadJsonl(Path.Combine(Out, "rejected.jsonl"))
            .Where(r => r.GetProperty("verdict").GetString() == "unparseable").Select(r => r.GetProperty("detail").GetString()!).ToList();
        Assert.Contains(details, d => d.Contains("not a chat completion", StringComparison.Ordinal));
        Assert.Contains(details, d => d.Contains("maximum context length", StringComparison.Ordinal));

        failing = false;
        var requests = _server.RequestCount;
        var second = await CliRunner.RunAsync(["harvest", "--config", config, "--out", Out]);

        Assert.True(second.ExitCode == 0, second.Output + second.Errors);
        Assert.Equal(requests + 1, _server.RequestCount); // the garbled one is asked again; the refused one would be refused again
        Assert.Contains("Alpha", _server.Requests[^1].UserText, StringComparison.Ordinal);
        Assert.Equal(6, Ids().Count);
        Assert.Single(CliRunner.ReadJsonl(Path.Combine(Out, "rejected.jsonl")));
    }

    [Fact]
    public async Task Harvest_EndpointDown_StopsWithExitOne_KeepsThePreviousDataset_AndResumesWithoutPayingTwice()
    {
        WriteSources();
        var config = Config();
        Assert.Equal(0, (await CliRunner.RunAsync(["harvest", "--config", Config(tasks: "[doc-comments]"), "--out", Out])).ExitCode);
        var previous = File.ReadAllText(Path.Combine(Out, "manifest.json"));
        _server.Responder = r => r.UserText.Contains("DeltaSlow", StringComparison.Ordinal) ? FakeReply.Fail(503, "overloaded") : FakeReply.Answer(FakeOpenAiServer.ContractAnswer(r));

        var failed = await CliRunner.RunAsync(["harvest", "--config", config, "--out", Out]);

        Assert.Equal(1, failed.ExitCode);
        Assert.Contains("still answered 503 after 4 attempts", failed.Errors, StringComparison.Ordinal);
        Assert.Contains("run the same command again", failed.Errors, StringComparison.Ordinal);
        Assert.Equal(previous, File.ReadAllText(Path.Combine(Out, "manifest.json")));
        var answeredBefore = _server.Requests.Where(r => !r.UserText.Contains("DeltaSlow", StringComparison.Ordinal)).Select(r => r.UserText).Distinct(StringComparer.Ordinal).Count();

        _server.Responder = r => FakeReply.Answer(FakeOpenAiServer.ContractAnswer(r));
        var requestsBefore = _server.RequestCount;
        var resumed = await CliRunner.RunAsync(["harvest", "--config", config, "--out", Out]);

        Assert.Equal(0, resumed.ExitCode);
        Assert.Equal(7, CliRunner.ReadAllJsonlRows(Out).Count);
        Assert.Equal(7 - answeredBefore, _server.RequestCount - requestsBefore);
        AssertKeyNowhere(failed);
    }

    [Fact]
    public async Task Harvest_DryRun_CountsRequestsSendsNoneAndWritesNothing()
    {
        WriteSources();
        var config = Config();

        var plan = await CliRunner.RunAsync(["harvest", "--config", config, "--out", Out, "--dry-run"]);

        Assert.Equal(0, plan.ExitCode);
        Assert.Contains("a run would send 7 requests to fake-coder (0 of 7 are answered in the state store already)", plan.Output, StringComparison.Ordinal);
        Assert.Contains("at most 14,336 completion tokens", plan.Output, StringComparison.Ordinal); // 7 × llm.max-tokens 2048
        Assert.Equal(0, _server.RequestCount);
        Assert.False(Directory.Exists(Out));

        Assert.Equal(0, (await CliRunner.RunAsync(["harvest", "--config", config, "--out", Out, "--limit", "3"])).ExitCode);
        var after = await CliRunner.RunAsync(["harvest", "--config", config, "--out", Out, "--dry-run"]);

        Assert.Contains("a run would send 4 requests to fake-coder (3 of 7 are answered in the state store already)", after.Output, StringComparison.Ordinal);
        Assert.Equal(3, _server.RequestCount);
    }

    [Fact]
    public async Task Harvest_InstructAndDocComments_WritesBothTasks()
    {
        WriteSources();

        var result = await CliRunner.RunAsync(["harvest", "--config", Config(tasks: "[instruct, doc-comments]"), "--out", Out]);

        Assert.Equal(0, result.ExitCode);
        var tasks = CliRunner.ReadAllJsonlRows(Out).GroupBy(r => r.GetProperty("task").GetString()).ToDictionary(g => g.Key!, g => g.Count());
        Assert.Equal(7, tasks["instruct"]);
        Assert.Equal(7, tasks["doc-comments"]);
        Assert.DoesNotContain("no LLM is configured", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Harvest_UndocumentedMethods_AreInspirationForInstructOnly()
    {
        _dir.Write("src/Digits.cs", """
            public static class Digits
            {
                /// <summary>Doubles.</summary>
                public static int Twice(int x) => 2 * x;

                public static int Sum(int n)
                {
                    var total = 0;
                    for (; n > 0; n /= 10)
                    {
                        total += n % 10;
                    }

                    return total;
                }
            }
            """);

        var result = await CliRunner.RunAsync(["harvest", "--config", Config(tasks: "[instruct, doc-comments]"), "--out", Out]);

        Assert.Equal(0, result.ExitCode);
        var rows = CliRunner.ReadAllJsonlRows(Out);
        Assert.Equal(2, rows.Count(r => r.GetProperty("task").GetString() == "instruct"));
        var docPair = Assert.Single(rows, r => r.GetProperty("task").GetString() == "doc-comments");
        Assert.Contains("Twice", docPair.GetProperty("instruction").GetString(), StringComparison.Ordinal);
        Assert.Contains(_server.Requests, r => r.UserText.Contains("total += n % 10;", StringComparison.Ordinal));
        Assert.Contains("1 more method as inspiration for instruct", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Harvest_FailingTests_GoBackOnceWithTheFailure_RepairedOnesAreKept_OthersDropped()
    {
        _dir.Write("src/Rooms.cs", """
            public static class Rooms
            {
                /// <summary>Hotel rooms: the guests given plus one spare room.</summary>
                public static int Hotel(int x) => x + 1;

                /// <summary>India rooms: the guests given plus two spare rooms.</summary>
                public static int India(int x) => x + 2;
            }
            """);
        static string Wrong(FakeChatRequest r, string marker) => FakeOpenAiServer.ContractAnswer(r)
            .Replace("Assert.Equal(", "Assert.Equal(1 + ", StringComparison.Ordinal)
            .Replace("namespace Exercises;", $"namespace Exercises; // {marker}", StringComparison.Ordinal);
        _server.Responder = r => r.UserText switch
        {
            var t when t.Contains("They were checked", StringComparison.Ordinal) && t.Contains("// india", StringComparison.Ordinal) => FakeReply.Answer(Wrong(r, "india again")),
            var t when t.Contains("They were checked", StringComparison.Ordinal) => FakeReply.Answer(FakeOpenAiServer.ContractAnswer(r)),
            var t when t.Contains("Hotel", StringComparison.Ordinal) => FakeReply.Answer(Wrong(r, "hotel")),
            _ => FakeReply.Answer(Wrong(r, "india")),
        };

        var result = await CliRunner.RunAsync(["harvest", "--config", Config(), "--out", Out]);

        Assert.Equal(0, result.ExitCode);
        var row = Assert.Single(CliRunner.ReadAllJsonlRows(Out));
        Assert.Equal(1, row.GetProperty("repair_rounds").GetInt32());
        Assert.Equal("instruct/1+repair/1", row.GetProperty("prompt_version").GetString());
        Assert.Equal((1, 1), (row.GetProperty("tests_run").GetInt32(), row.GetProperty("tests_passed").GetInt32()));
        var dropped = Assert.Single(CliRunner.ReadJsonl(Path.Combine(Out, "rejected.jsonl")));
        Assert.Equal("test-failed", dropped.GetProperty("verdict").GetString());
        Assert.Equal(1, dropped.GetProperty("repair_rounds").GetInt32());
        Assert.Contains("Assert.Equal() Failure", dropped.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // The model was told what failed, in the test runner's own words.
        var repairs = _server.Requests.Where(r => r.UserText.Contains("They were checked", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, repairs.Count);
        Assert.All(repairs, r => Assert.Contains("Assert.Equal() Failure: Values differ", r.UserText, StringComparison.Ordinal));
        Assert.All(repairs, r =>
        {
            // The wrong answer expects one more than the sum: the runner's expected and actual values say so.
            var values = System.Text.RegularExpressions.Regex.Match(r.UserText, @"Expected: (\d+)\s+Actual:\s+(\d+)");
            Assert.True(values.Success, r.UserText);
            Assert.Equal(int.Parse(values.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) + 1, int.Parse(values.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        });
        Assert.Contains("2 sent back for repair (test-failed 2), 1 passed after it", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Harvest_KeyRefused_StopsAtOnceWithoutShowingTheKey()
    {
        WriteSources();
        _server.RequiredKey = "sk-another-key";
        _server.Responder = r => FakeReply.Answer(FakeOpenAiServer.ContractAnswer(r));

        var result = await CliRunner.RunAsync(["harvest", "--config", Config(), "--out", Out]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"refused the API key (401 Unauthorized): check ${_keyVariable}", result.Errors, StringComparison.Ordinal);
        AssertKeyNowhere(result);
    }

    [Theory]
    [InlineData("  temperature: 3", "llm.temperature: must be between 0 and 2, not 3")]
    [InlineData("  max-tokens: many", "llm.max-tokens: must be a whole number, not 'many'")]
    [InlineData("  max-tokens: 0", "llm.max-tokens: must be between 16 and 1000000, not 0")]
    [InlineData("  seed: 1.5", "llm.seed: must be a whole number, not '1.5'")]
    public async Task Harvest_BadLlmSettings_AreUsageErrorsNamingTheKey(string line, string message)
    {
        WriteSources();

        var result = await CliRunner.RunAsync(["harvest", "--config", Config(line), "--out", Out]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Errors, StringComparison.Ordinal);
        Assert.Equal(0, _server.RequestCount);
    }

    private List<string> Ids() => [.. CliRunner.ReadAllJsonlRows(Out).Select(r => r.GetProperty("id").GetString()!).Order(StringComparer.Ordinal)];

    /// <summary>The key must not be in what the user saw nor in any file the run wrote (output, state store).</summary>
    private void AssertKeyNowhere(CliRunner.Result result)
    {
        Assert.DoesNotContain(_key, result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(_key, result.Errors, StringComparison.Ordinal);
        foreach (var file in Directory.EnumerateFiles(_dir.Path, "*", SearchOption.AllDirectories))
        {
            Assert.DoesNotContain(_key, File.ReadAllText(file), StringComparison.Ordinal);
        }
    }
}
