using AutoRefiner.Generator.Tests.Llm;

namespace AutoRefiner.Cli.Tests;

/// <summary>
/// Mutation testing end to end: the real command, the real Semantic Kernel connector, a fake OpenAI-compatible server on
/// 127.0.0.1, real compilations and real sandbox workers. Tests that pass but tell the solution from nothing are
/// <c>weak-tests</c>; given the surviving mutants, the model gets one chance to write tests that kill them.
/// </summary>
public sealed class MutationHarvestTests : IAsyncLifetime
{
    private readonly TempDir _dir = new();
    private readonly FakeOpenAiServer _server = new();
    private readonly string _keyVariable = "AUTOREFINER_TEST_KEY_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();

    public Task InitializeAsync()
    {
        Environment.SetEnvironmentVariable(_keyVariable, "sk-mutation-test");
        _server.RequiredKey = "sk-mutation-test";
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        Environment.SetEnvironmentVariable(_keyVariable, null);
        await _server.DisposeAsync();
        _dir.Dispose();
    }

    private string Out => _dir.Combine("out");

    private string Config(string validation = "") => _dir.Write("harvest.yml", $"""
        sources:
          local: [src]
        llm:
          endpoint: {_server.BaseUrl}
          model: fake-coder
          api-key-env: {_keyVariable}
          concurrency: 2
          timeout-seconds: 5
        generation:
          tasks: [instruct]
          repair-rounds: 2
        validation:
          timeout-seconds: 10
        {validation}
        curation:
          near-duplicates: false   # the fake's answers are one template: near-duplicates by design
          max-per-file: 0
        export:
          out: out
        state: state/state.db
        """);

    private void WriteSources() => _dir.Write("src/Seeds.cs", """
        public static class Seeds
        {
            /// <summary>Alpha: adds one.</summary>
            public static int Alpha(int x) => x + 1;

            /// <summary>Bravo: adds two.</summary>
            public static int Bravo(int x) => x + 2;

            /// <summary>Charlie: adds three.</summary>
            public static int Charlie(int x) => x + 3;
        }
        """);

    /// <summary>A clamp exercise whose solution is right; only its tests differ.</summary>
    private static string Answer(string name, string tests) => $$"""
        [Instruction]
        Write a static class `{{name}}` with a method `int Clamp(int value, int low, int high)` that returns `value` limited to the range from `low` to `high`.

        [Response]
        It compares the value with each bound.

        ```csharp
        public static class {{name}}
        {
            public static int Clamp(int value, int low, int high)
            {
                if (value < low)
                {
                    return low;
                }

                return value > high ? high : value;
            }
        }
        ```

        {{tests}}
        """;

    /// <summary>Tests that pass on anything that returns: they kill no mutant.</summary>
    private static string Weak(string name) => $$"""
        [Tests]
        ```csharp
        public class {{name}}Tests
        {
            [Fact]
            public void Runs() => {{name}}.Clamp(5, 0, 10);
        }
        ```
        """;

    /// <summary>Tests of the results at and around both bounds.</summary>
    private static string Strong(string name) => $$"""
        [Tests]
        ```csharp
        public class {{name}}Tests
        {
            [Theory]
            [InlineData(5, 5)]
            [InlineData(-3, 0)]
            [InlineData(0, 0)]
            [InlineData(10, 10)]
            [InlineData(12, 10)]
            public void Clamps(int value, int expected) => Assert.Equal(expected, {{name}}.Clamp(value, 0, 10));
        }
        ```
        """;

    private const string WeakRepair = "The tests pass, but they check too little";

    [Fact]
    public async Task Harvest_TestsThatKillNoMutant_AreWeakTests_GoBackOnceWithTheSurvivors_AndKillingTestsAreKept()
    {
        WriteSources();
        _server.Responder = r => r.UserText switch
        {
            // The repair: the tests the survivors call for (ClampB), or weak ones again (ClampC).
            var t when t.Contains(WeakRepair, StringComparison.Ordinal) && t.Contains("ClampB", StringComparison.Ordinal) => FakeReply.Answer(Strong("ClampB")),
            var t when t.Contains(WeakRepair, StringComparison.Ordinal) => FakeReply.Answer(Weak("ClampC")),
            var t when t.Contains("Alpha", StringComparison.Ordinal) => FakeReply.Answer(Answer("ClampA", Strong("ClampA"))),
            var t when t.Contains("Bravo", StringComparison.Ordinal) => FakeReply.Answer(Answer("ClampB", Weak("ClampB"))),
            _ => FakeReply.Answer(Answer("ClampC", Weak("ClampC"))),
        };

        var result = await CliRunner.RunAsync(["harvest", "--config", Config(), "--out", Out]);

        Assert.True(result.ExitCode == 0, result.Output + result.Errors);
        var rows = CliRunner.ReadAllJsonlRows(Out).ToDictionary(r => r.GetProperty("instruction").GetString()!.Substring(r.GetProperty("instruction").GetString()!.IndexOf("Clamp", StringComparison.Ordinal), 6), StringComparer.Ordinal);
        Assert.Equal(["ClampA", "ClampB"], rows.Keys.Order(StringComparer.Ordinal));

        // Good tests: kept at once, with a score at or above the bar.
        var good = rows["ClampA"];
        Assert.Equal(0, good.GetProperty("repair_rounds").GetInt32());
        Assert.Equal(5, good.GetProperty("mutants").GetInt32());
        Assert.True(good.GetProperty("mutants_killed").GetInt32() >= 3, good.ToString());

        // Weak tests, repaired from the survivors: kept with repair_rounds = 1, the new tests, a score over the bar.
        var repaired = rows["ClampB"];
        Assert.Equal(1, repaired.GetProperty("repair_rounds").GetInt32());
        Assert.Equal("instruct/1+weak-tests/1", repaired.GetProperty("prompt_version").GetString());
        Assert.Contains("[InlineData(12, 10)]", repaired.GetProperty("tests").GetString(), StringComparison.Ordinal);
        Assert.Contains("public static int Clamp", repaired.GetProperty("response").GetString(), StringComparison.Ordinal);
        Assert.Equal(5, repaired.GetProperty("mutants").GetInt32());
        Assert.True(repaired.GetProperty("mutants_killed").GetInt32() >= 3, repaired.ToString());

        // Weak again after the one weak-tests repair (of two rounds): rejected, with survivors as diffs.
        var weak = Assert.Single(CliRunner.ReadJsonl(Path.Combine(Out, "rejected.jsonl")));
        Assert.Equal("weak-tests", weak.GetProperty("verdict").GetString());
        Assert.Equal(1, weak.GetProperty("repair_rounds").GetInt32());
        // None of its mutants can fail a test that checks nothing (a test stalled past its time by a busy machine would
        // count as a kill: the bound allows one).
        Assert.Equal(5, weak.GetProperty("mutants").GetInt32());
        var killed = weak.GetProperty("mutants_killed").GetInt32();
        Assert.True(killed <= 1, weak.ToString());
        var detail = weak.GetProperty("detail").GetString()!;
        Assert.StartsWith($"the tests kill {killed} of 5 mutants of the solution (score 0.{killed * 2}0, below validation.min-mutation-score 0.5)", detail, StringComparison.Ordinal);
        Assert.Contains("ClampC.Clamp(int, int, int), line 5 (relational):\n- if (value < low)\n+ if (value <= low)", detail, StringComparison.Ordinal);

        // The model was shown the survivors, once per weak sample.
        var repairs = _server.Requests.Where(r => r.UserText.Contains(WeakRepair, StringComparison.Ordinal)).ToList();
        Assert.Equal(2, repairs.Count);
        Assert.All(repairs, r => Assert.Contains("+ if (value <= low)", r.UserText, StringComparison.Ordinal));

        using var manifestDocument = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(Out, "manifest.json")));
        var manifest = manifestDocument.RootElement;
        Assert.Equal(1, manifest.GetProperty("counts").GetProperty("verdicts").GetProperty("weak-tests").GetInt64());
        Assert.Equal(2, manifest.GetProperty("mutation").GetProperty("rows").GetInt64());
        Assert.Equal(10, manifest.GetProperty("mutation").GetProperty("mutants").GetInt64());
    }

    [Fact]
    public async Task Harvest_AHigherBar_RejectsTestsThatPassTheDefaultOne()
    {
        WriteSources();
        // The strong tests leave the two boundary mutants alive (`<` → `<=` returns the bound either way): 3 of 5.
        _server.Responder = r =>
        {
            var name = "Clamp" + (r.UserText.Contains("Alpha", StringComparison.Ordinal) ? "A" : r.UserText.Contains("Bravo", StringComparison.Ordinal) ? "B" : "C");
            return FakeReply.Answer(Answer(name, Strong(name)));
        };

        var result = await CliRunner.RunAsync(["harvest", "--config", Config("  min-mutation-score: 1"), "--out", Out]);

        Assert.True(result.ExitCode == 0, result.Output + result.Errors);
        Assert.False(Directory.Exists(Path.Combine(Out, "jsonl")) && CliRunner.ReadAllJsonlRows(Out).Count > 0);
        var rejected = CliRunner.ReadJsonl(Path.Combine(Out, "rejected.jsonl"));
        Assert.Equal(3, rejected.Count);
        Assert.All(rejected, r => Assert.Equal("weak-tests", r.GetProperty("verdict").GetString()));
        Assert.All(rejected, r => Assert.InRange(r.GetProperty("mutants_killed").GetInt32(), 3, 4));
    }
}
