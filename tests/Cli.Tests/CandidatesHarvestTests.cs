using System.Collections.Concurrent;
using System.Text.Json;
using AutoRefiner.Core.Text;
using AutoRefiner.Generator.Tests.Llm;

namespace AutoRefiner.Cli.Tests;

/// <summary>
/// <c>generation.candidates: 3</c> end to end: the real command and Semantic Kernel connector against a fake
/// OpenAI-compatible server whose answers to one seed mix passes and failures; the preference and feedback configs are
/// checked by an independent compile and test run (<see cref="IndependentTestRun"/>).
/// </summary>
public sealed class CandidatesHarvestTests : IAsyncLifetime
{
    private readonly TempDir _dir = new();
    private readonly FakeOpenAiServer _server = new();
    private readonly ConcurrentDictionary<string, int> _asked = new(StringComparer.Ordinal);

    /// <summary>One seed per name; what the fake answers each is in <see cref="Reply"/>.</summary>
    private static readonly string[] Seeds = ["Alpine", "Bramble", "Cobalt", "Dunes"];

    public Task InitializeAsync()
    {
        _server.Responder = Reply;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _dir.Dispose();
    }

    private string Out => _dir.Combine("out");

    private string Config(int candidates) => _dir.Write($"harvest-{candidates}.yml", $"""
        sources:
          local: [src]
        llm:
          endpoint: {_server.BaseUrl}
          model: fake-coder
          concurrency: 2
          timeout-seconds: 10
          max-retries: 1
        generation:
          tasks: [instruct]
          candidates: {candidates}
          repair-rounds: 1
        validation:
          mutants: 0
        curation:
          near-duplicates: false   # the fake's answers are one template: near-duplicates by design
          max-per-file: 0
        export:
          out: out
          test-split: 0
        state: state/state.db
        """);

    private void WriteSources()
    {
        var methods = string.Join("\n\n", Seeds.Select((m, i) => $$"""
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

    private static string Answer(string seed, string body, string explanation = "Doubles it.") => $$"""
        [Instruction]
        Write a static class `Twice{{seed}}` with a method `int Of(int x)` that returns twice its argument.

        [Response]
        {{explanation}}

        ```csharp
        public static class Twice{{seed}}
        {
            public static int Of(int x) => {{body}};
        }
        ```

        [Tests]
        ```csharp
        using Xunit;

        public class Twice{{seed}}Tests
        {
            [Fact]
            public void Doubles() => Assert.Equal(8, Twice{{seed}}.Of(4));
        }
        ```
        """;

    /// <summary>
    /// Alpine: three passing answers of different lengths (easy). Bramble: a pass, a compile error and a test failure,
    /// whose repairs fail a test again (1 of 3: medium). Cobalt: two compile errors and a test failure, all repaired
    /// (easy after feedback). Dunes: three compile errors whose repair does not compile either (hard, no row).
    /// </summary>
    private FakeReply Reply(FakeChatRequest request)
    {
        var text = request.UserText;
        var seed = Seeds.First(s => text.Contains(s, StringComparison.Ordinal));
        if (text.Contains("They were checked by compiling", StringComparison.Ordinal))
        {
            return FakeReply.Answer(seed switch
            {
                "Bramble" => Answer(seed, "x + 3", "Adds three."),
                "Cobalt" => Answer(seed, "x * 2", "Fixed: it doubles now."),
                _ => Answer(seed, "x * twice", "Fixed."),
            });
        }

        var nth = _asked.AddOrUpdate(seed, 0, (_, n) => n + 1) % 3;
        return FakeReply.Answer(seed switch
        {
            "Alpine" => Answer(seed, AlpineBodies[nth], AlpineExplanations[nth]),
            "Bramble" => Answer(seed, BrambleBodies[nth]),
            "Cobalt" => Answer(seed, CobaltBodies[nth]),
            _ => Answer(seed, "x * two"),
        });
    }

    private static readonly string[] AlpineBodies = ["x * 2", "x + x", "2 * x"];
    private static readonly string[] AlpineExplanations = ["Doubles it.", "Adds the argument to itself, which doubles it.", "Multiplies the argument by two, which doubles it, as asked."];
    private static readonly string[] BrambleBodies = ["x * 2", "x * two", "x + 2"];
    private static readonly string[] CobaltBodies = ["x * two", "x * two", "x + 2"];

    private static bool IsRepair(FakeChatRequest r) => r.UserText.Contains("They were checked by compiling", StringComparison.Ordinal);

    private static List<JsonElement> Jsonl(string path) => File.Exists(path) ? CliRunner.ReadJsonl(path) : [];

    [Fact]
    public async Task Harvest_ThreeCandidatesMixingPassesAndFailures_WritesOneRowPerSeedPairsAndRepairConversations()
    {
        WriteSources();

        var result = await CliRunner.RunAsync(["harvest", "--config", Config(3), "--out", Out]);

        Assert.True(result.ExitCode == 0, result.Output + result.Errors);

        // 3 answers per seed; repairs: Bramble 2, Cobalt 2 (its two identical compile errors share one cached repair), Dunes 1.
        Assert.Equal(12, _server.Requests.Count(r => !IsRepair(r)));
        Assert.Equal(5, _server.Requests.Count(IsRepair));

        // default: exactly one row per seed with a passing answer; pass_rate and difficulty from the three verdicts.
        var rows = CliRunner.ReadAllJsonlRows(Out).ToDictionary(r => Seeds.First(s => r.GetProperty("instruction").GetString()!.Contains(s, StringComparison.Ordinal)), StringComparer.Ordinal);
        Assert.Equal(["Alpine", "Bramble", "Cobalt"], rows.Keys.Order(StringComparer.Ordinal));
        Assert.Equal((1.0, "easy"), (rows["Alpine"].GetProperty("pass_rate").GetDouble(), rows["Alpine"].GetProperty("difficulty").GetString()));
        Assert.Equal((1.0 / 3, "medium"), (rows["Bramble"].GetProperty("pass_rate").GetDouble(), rows["Bramble"].GetProperty("difficulty").GetString()));
        Assert.Equal((1.0, "easy"), (rows["Cobalt"].GetProperty("pass_rate").GetDouble(), rows["Cobalt"].GetProperty("difficulty").GetString()));

        // Of Alpine's three passing answers, the shortest is the row.
        Assert.Contains("Doubles it.", rows["Alpine"].GetProperty("response").GetString(), StringComparison.Ordinal);
        Assert.Equal(3, await CliRunner.AssertDatasetIsSoundAsync(Out));

        // Dunes failed three times: its rejections say hard, 0 of 3.
        var rejected = CliRunner.ReadJsonl(Path.Combine(Out, "rejected.jsonl"));
        var dunes = rejected.Where(r => r.GetProperty("instruction").GetString()!.Contains("Dunes", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, dunes.Count);
        Assert.All(dunes, r => Assert.Equal((0.0, "hard", "compile-error"), (r.GetProperty("pass_rate").GetDouble(), r.GetProperty("difficulty").GetString(), r.GetProperty("verdict").GetString())));
        var bramble = rejected.Where(r => r.GetProperty("instruction").GetString()!.Contains("Bramble", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, bramble.Count);
        Assert.All(bramble, r => Assert.Equal("test-failed", r.GetProperty("verdict").GetString()));

        // preference: chosen passes and rejected fails under an independent compile and test run.
        var pairs = Jsonl(Path.Combine(Out, "jsonl", "preference", "train.jsonl"));
        Assert.Equal(5, pairs.Count);
        foreach (var pair in pairs)
        {
            var prompt = Assert.Single(pair.GetProperty("prompt").EnumerateArray().ToList());
            Assert.Equal("user", prompt.GetProperty("role").GetString());
            var chosen = Assert.Single(pair.GetProperty("chosen").EnumerateArray().ToList()).GetProperty("content").GetString()!;
            var rejectedAnswer = Assert.Single(pair.GetProperty("rejected").EnumerateArray().ToList()).GetProperty("content").GetString()!;
            var chosenRun = IndependentTestRun.Run(CodeBlocks.FirstCSharp(chosen)!, pair.GetProperty("chosen_tests").GetString()!);
            Assert.True(chosenRun.Passed, chosenRun.Why + "\n" + chosen);
            Assert.False(IndependentTestRun.Run(CodeBlocks.FirstCSharp(rejectedAnswer)!, pair.GetProperty("rejected_tests").GetString()!).Passed, rejectedAnswer);
            Assert.Equal("passed", pair.GetProperty("chosen_verdict").GetString());
            Assert.Contains(pair.GetProperty("rejected_verdict").GetString(), new[] { "compile-error", "test-failed" });
            Assert.NotEmpty(pair.GetProperty("rejected_detail").GetString()!);
            Assert.StartsWith("Ops.cs", pair.GetProperty("source_path").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(3, pairs.Count(p => p.GetProperty("prompt")[0].GetProperty("content").GetString()!.Contains("Bramble", StringComparison.Ordinal)));
        Assert.Equal(2, pairs.Count(p => p.GetProperty("rejected_source").GetString() == "repair"));

        // feedback: Cobalt's repairs as 4-turn conversations whose last answer passes, the compiler's words verbatim.
        var conversations = Jsonl(Path.Combine(Out, "jsonl", "feedback", "train.jsonl"));
        Assert.Equal(2, conversations.Count);
        foreach (var conversation in conversations)
        {
            var turns = conversation.GetProperty("messages").EnumerateArray().ToList();
            Assert.Equal(["user", "assistant", "user", "assistant"], turns.Select(t => t.GetProperty("role").GetString()));
            var last = turns[3].GetProperty("content").GetString()!;
            var run = IndependentTestRun.Run(CodeBlocks.FirstCSharp(last)!, conversation.GetProperty("tests").GetString()!);
            Assert.True(run.Passed, run.Why + "\n" + last);
            Assert.False(IndependentTestRun.Run(CodeBlocks.FirstCSharp(turns[1].GetProperty("content").GetString()!)!, conversation.GetProperty("tests").GetString()!).Passed);
        }

        Assert.Contains(conversations, c => c.GetProperty("messages")[2].GetProperty("content").GetString()!.Contains("error CS0103: The name 'two' does not exist in the current context", StringComparison.Ordinal));

        // Every config is in the manifest and the card.
        var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(Out, "manifest.json"))).RootElement;
        Assert.Equal(5, manifest.GetProperty("configs").GetProperty("preference").GetProperty("train").GetInt64());
        Assert.Equal(2, manifest.GetProperty("configs").GetProperty("feedback").GetProperty("train").GetInt64());
        Assert.Equal(2, manifest.GetProperty("difficulty").GetProperty("easy").GetInt64());
        Assert.Contains(manifest.GetProperty("files").EnumerateArray(), f => f.GetProperty("path").GetString() == "data/preference/train-00000-of-00001.parquet");
        var card = File.ReadAllText(Path.Combine(Out, "README.md"));
        Assert.Contains("- config_name: preference\n", card, StringComparison.Ordinal);
        Assert.Contains("- config_name: feedback\n", card, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DryRun_ThreeCandidates_ShowsThreeRequestsPerSeed()
    {
        WriteSources();

        var result = await CliRunner.RunAsync(["harvest", "--config", Config(3), "--out", Out, "--dry-run"]);

        Assert.True(result.ExitCode == 0, result.Output + result.Errors);
        Assert.Contains("llm: a run would send 12 requests to fake-coder (0 of 12 are answered in the state store already; 3 answers per seed, generation.candidates)", result.Output, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task Harvest_MoreCandidatesAfterARunWithOne_AsksOnlyForTheMissingAnswers()
    {
        WriteSources();
        var first = await CliRunner.RunAsync(["harvest", "--config", Config(1), "--out", Out]);
        Assert.True(first.ExitCode == 0, first.Output + first.Errors);
        Assert.Equal(4, _server.Requests.Count(r => !IsRepair(r)));

        var plan = await CliRunner.RunAsync(["harvest", "--config", Config(3), "--out", Out, "--dry-run"]);
        Assert.Contains("a run would send 8 requests to fake-coder (4 of 12 are answered in the state store already", plan.Output, StringComparison.Ordinal);

        var second = await CliRunner.RunAsync(["harvest", "--config", Config(3), "--out", Out]);

        Assert.True(second.ExitCode == 0, second.Output + second.Errors);
        Assert.Equal(12, _server.Requests.Count(r => !IsRepair(r)));
        Assert.Equal(3, CliRunner.ReadAllJsonlRows(Out).Count);

        var before = _server.Requests.Count;
        var third = await CliRunner.RunAsync(["harvest", "--config", Config(3), "--out", Out]);
        Assert.True(third.ExitCode == 0, third.Output + third.Errors);
        Assert.Equal(before, _server.Requests.Count);
        Assert.Equal(5, Jsonl(Path.Combine(Out, "jsonl", "preference", "train.jsonl")).Count);
    }

    [Fact]
    public async Task Validate_PreferenceFiles_PairsHoldAndSwappedPairsFail()
    {
        WriteSources();
        var harvest = await CliRunner.RunAsync(["harvest", "--config", Config(3), "--out", Out]);
        Assert.True(harvest.ExitCode == 0, harvest.Output + harvest.Errors);
        var jsonl = Path.Combine(Out, "jsonl", "preference", "train.jsonl");

        var result = await CliRunner.RunAsync(["validate", jsonl, "--out", _dir.Combine("validated")]);

        Assert.True(result.ExitCode == 0, result.Output + result.Errors);
        Assert.Contains("rows: 5 (preference): passed 5", result.Output, StringComparison.Ordinal);
        Assert.Equal(5, CliRunner.ReadJsonl(Path.Combine(_dir.Combine("validated"), "train.jsonl")).Count);

        var parquet = await CliRunner.RunAsync(["validate", Path.Combine(Out, "data", "preference", "train-00000-of-00001.parquet"), "--out", _dir.Combine("validated-parquet")]);
        Assert.True(parquet.ExitCode == 0, parquet.Output + parquet.Errors);
        Assert.Contains("rows: 5 (preference): passed 5", parquet.Output, StringComparison.Ordinal);

        // The same pairs the wrong way round: the chosen answer fails.
        var swapped = _dir.Write("swapped.jsonl", string.Join('\n', File.ReadAllLines(jsonl).Select(line =>
        {
            var row = System.Text.Json.Nodes.JsonNode.Parse(line)!.AsObject();
            (row["chosen"], row["rejected"]) = (row["rejected"]!.DeepClone(), row["chosen"]!.DeepClone());
            (row["chosen_tests"], row["rejected_tests"]) = (row["rejected_tests"]!.DeepClone(), row["chosen_tests"]!.DeepClone());
            return row.ToJsonString();
        })) + "\n");
        var bad = await CliRunner.RunAsync(["validate", swapped, "--out", _dir.Combine("validated-swapped")]);

        Assert.True(bad.ExitCode == 0, bad.Output + bad.Errors);
        Assert.DoesNotMatch(@"[:,] passed \d", bad.Output.Split('\n').First(l => l.StartsWith("rows:", StringComparison.Ordinal)));
        var verdicts = CliRunner.ReadJsonl(Path.Combine(_dir.Combine("validated-swapped"), "verdicts.jsonl"));
        Assert.Equal(5, verdicts.Count);
        Assert.All(verdicts, v => Assert.StartsWith("the chosen answer does not pass", v.GetProperty("detail").GetString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Validate_TheFeedbackConfig_KeepsEveryConversation()
    {
        // Its answers show their tests too (the runner's words refer to them) and the row has a tests field: the tests
        // must run once, not be compiled a second time into the solution.
        WriteSources();
        var harvest = await CliRunner.RunAsync(["harvest", "--config", Config(3), "--out", Out]);
        Assert.True(harvest.ExitCode == 0, harvest.Output + harvest.Errors);
        var feedback = Path.Combine(Out, "jsonl", "feedback", "train.jsonl");
        Assert.NotEmpty(File.ReadAllLines(feedback));

        var result = await CliRunner.RunAsync(["validate", feedback, "--out", _dir.Combine("validated-feedback")]);

        Assert.True(result.ExitCode == 0, result.Output + result.Errors);
        var verdicts = CliRunner.ReadJsonl(Path.Combine(_dir.Combine("validated-feedback"), "verdicts.jsonl"));
        Assert.Equal(File.ReadAllLines(feedback).Length, verdicts.Count);
        Assert.All(verdicts, v => Assert.True(v.GetProperty("verdict").GetString() == "passed", v.ToString()));
    }

    [Fact]
    public async Task Validate_PreferencePairsWhoseRejectedAnswerIsNotAWrongAnswer_DoNotHold()
    {
        WriteSources();
        var harvest = await CliRunner.RunAsync(["harvest", "--config", Config(3), "--out", Out]);
        Assert.True(harvest.ExitCode == 0, harvest.Output + harvest.Errors);
        var line = File.ReadAllLines(Path.Combine(Out, "jsonl", "preference", "train.jsonl"))[0];

        string With(Action<System.Text.Json.Nodes.JsonObject> change)
        {
            var row = System.Text.Json.Nodes.JsonNode.Parse(line)!.AsObject();
            change(row);
            return row.ToJsonString();
        }

        var input = _dir.Write("odd-pairs.jsonl", string.Join('\n', new[]
        {
            // The same code on both sides, the rejected side with tests that fail it.
            With(r =>
            {
                r["rejected"] = r["chosen"]!.DeepClone();
                r["rejected_tests"] = "public class NoTests { [Fact] public void Fails() => Assert.Fail(\"no\"); }";
            }),

            // Hostile code: never paired, never written.
            With(r => r["rejected"]![0]!["content"] = "```csharp\npublic static class Gone { public static void Go() => System.IO.File.Delete(\"/etc/passwd\"); }\n```"),

            // No code at all: not a wrong answer to the task.
            With(r => r["rejected"]![0]!["content"] = "I cannot help with that."),
        }) + "\n");

        var result = await CliRunner.RunAsync(["validate", input, "--out", _dir.Combine("validated-odd")]);

        Assert.True(result.ExitCode == 0, result.Output + result.Errors);
        var verdicts = CliRunner.ReadJsonl(Path.Combine(_dir.Combine("validated-odd"), "verdicts.jsonl")).Select(v => v.GetProperty("verdict").GetString()).ToList();
        Assert.Equal(["test-failed", "banned-api", "unparseable"], verdicts);
        Assert.False(File.Exists(Path.Combine(_dir.Combine("validated-odd"), "odd-pairs.jsonl")) &&
                     File.ReadAllText(Path.Combine(_dir.Combine("validated-odd"), "odd-pairs.jsonl")).Contains("File.Delete", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MergeAndReport_OutputsWithConfigs_CarryEveryConfigAndShowDifficulty()
    {
        WriteSources();
        var first = await CliRunner.RunAsync(["harvest", "--config", Config(3), "--out", _dir.Combine("one")]);
        Assert.True(first.ExitCode == 0, first.Output + first.Errors);
        var second = await CliRunner.RunAsync(["harvest", "--config", Config(3), "--out", _dir.Combine("two")]);
        Assert.True(second.ExitCode == 0, second.Output + second.Errors);

        var merged = await CliRunner.RunAsync(["merge", _dir.Combine("one"), _dir.Combine("two"), "--config", Config(3), "--out", Out]);

        Assert.True(merged.ExitCode == 0, merged.Output + merged.Errors);
        Assert.Equal(3, CliRunner.ReadAllJsonlRows(Out).Count);
        Assert.Equal(5, Jsonl(Path.Combine(Out, "jsonl", "preference", "train.jsonl")).Count);
        Assert.Equal(2, Jsonl(Path.Combine(Out, "jsonl", "feedback", "train.jsonl")).Count);
        var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(Out, "manifest.json"))).RootElement;
        Assert.Equal(5, manifest.GetProperty("configs").GetProperty("preference").GetProperty("train").GetInt64());
        Assert.Equal(2, manifest.GetProperty("difficulty").GetProperty("easy").GetInt64());
        Assert.Equal(1, manifest.GetProperty("difficulty").GetProperty("medium").GetInt64());
        Assert.Contains("- config_name: feedback\n", File.ReadAllText(Path.Combine(Out, "README.md")), StringComparison.Ordinal);

        File.Delete(Path.Combine(Out, "report.html"));
        var report = await CliRunner.RunAsync(["report", "--config", Config(3), "--out", Out]);

        Assert.True(report.ExitCode == 0, report.Output + report.Errors);
        var html = File.ReadAllText(Path.Combine(Out, "report.html"));
        Assert.Contains("<section id=\"execution-feedback\">", html, StringComparison.Ordinal);
        Assert.Matches("<svg id=\"difficulty\".*>easy<.*data-value=\"2\".*>medium<.*data-value=\"1\".*>hard<.*data-value=\"0\"", html);
        Assert.Contains("<tr><td>preference</td><td>train</td><td data-value=\"5\">5</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains("<tr><td>feedback</td><td>train</td><td data-value=\"2\">2</td></tr>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refresh_AfterAHarvestWithThreeCandidates_KeepsEveryConfigWithoutAskingAgain()
    {
        WriteSources();
        var harvest = await CliRunner.RunAsync(["harvest", "--config", Config(3), "--out", Out]);
        Assert.True(harvest.ExitCode == 0, harvest.Output + harvest.Errors);
        var pairs = File.ReadAllText(Path.Combine(Out, "jsonl", "preference", "train.jsonl"));
        var conversations = File.ReadAllText(Path.Combine(Out, "jsonl", "feedback", "train.jsonl"));
        var asked = _server.Requests.Count;

        var refresh = await CliRunner.RunAsync(["refresh", "--config", Config(3), "--out", Out]);

        Assert.True(refresh.ExitCode == 0, refresh.Output + refresh.Errors);
        Assert.Equal(asked, _server.Requests.Count);
        Assert.Equal(pairs, File.ReadAllText(Path.Combine(Out, "jsonl", "preference", "train.jsonl")));
        Assert.Equal(conversations, File.ReadAllText(Path.Combine(Out, "jsonl", "feedback", "train.jsonl")));
        Assert.Equal(3, CliRunner.ReadAllJsonlRows(Out).Count);
    }
}
