using System.Text.Json;
using System.Text.Json.Nodes;

namespace AutoRefiner.Cli.Tests;

/// <summary><c>validate</c> on third-party rows with tests: their mutation score, and the gate when one is asked for.</summary>
public sealed class ValidateMutationTests : IDisposable
{
    private const string Solution = """
        public static class Fizz
        {
            public static string Say(int n)
            {
                if (n % 15 == 0)
                {
                    return "FizzBuzz";
                }

                if (n % 3 == 0)
                {
                    return "Fizz";
                }

                return n % 5 == 0 ? "Buzz" : n.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        """;

    private const string StrongTests = """
        public class FizzTests
        {
            [Theory]
            [InlineData(1, "1")]
            [InlineData(3, "Fizz")]
            [InlineData(5, "Buzz")]
            [InlineData(6, "Fizz")]
            [InlineData(10, "Buzz")]
            [InlineData(15, "FizzBuzz")]
            [InlineData(30, "FizzBuzz")]
            [InlineData(7, "7")]
            public void Says(int n, string said) => Assert.Equal(said, Fizz.Say(n));
        }
        """;

    private const string WeakTests = """
        public class FizzTests
        {
            [Fact]
            public void SaysSomething() => Assert.NotNull(Fizz.Say(4));
        }
        """;

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Validated => _dir.Combine("validated");

    private string Input() => _dir.Write("rows.jsonl", string.Join("\n", new[]
    {
        new JsonObject { ["prompt"] = "Write FizzBuzz.", ["completion"] = $"```csharp\n{Solution}\n```", ["tests"] = StrongTests },
        new JsonObject { ["prompt"] = "Write FizzBuzz.", ["completion"] = $"```csharp\n{Solution}\n```", ["tests"] = WeakTests },
        new JsonObject { ["prompt"] = "Say hi.", ["completion"] = "```csharp\npublic static class Hi { public static string Say() => \"hi\"; }\n```" },
    }.Select(r => r.ToJsonString())) + "\n");

    private List<JsonElement> Verdicts() => CliRunner.ReadJsonl(Path.Combine(Validated, "verdicts.jsonl"));

    [Fact]
    public async Task Validate_RowsWithTests_GetTheirMutationScoreRecordedButNotJudgedWithoutABar()
    {
        var result = await CliRunner.RunAsync(["validate", Input(), "--out", Validated]);

        Assert.True(result.ExitCode == 0, result.Output + result.Errors);
        var verdicts = Verdicts();
        Assert.Equal(["passed", "passed", "passed"], verdicts.Select(v => v.GetProperty("verdict").GetString()));
        var (strong, weak) = (verdicts[0], verdicts[1]);
        Assert.Equal(strong.GetProperty("mutants").GetInt32(), weak.GetProperty("mutants").GetInt32());
        Assert.True(strong.GetProperty("mutants").GetInt32() >= 10);
        Assert.True(strong.GetProperty("mutants_killed").GetInt32() > weak.GetProperty("mutants_killed").GetInt32());
        Assert.True(weak.GetProperty("mutants_killed").GetInt32() * 2 < weak.GetProperty("mutants").GetInt32());
        Assert.False(verdicts[2].TryGetProperty("mutants", out _)); // no tests: no score
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(Validated, "report.json")));
        var mutation = report.RootElement.GetProperty("mutation");
        Assert.Equal(2, mutation.GetProperty("rows").GetInt64());
        Assert.False(mutation.TryGetProperty("min_score", out _));
        Assert.Contains("mutation: 2 rows with tests scored", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_ASolutionNamingTheMutantSwitch_CannotSlipWeakTestsPastTheGate()
    {
        // A class named like the schemata's switch used to make the mutants fail to build, which read as "nothing to
        // mutate" and let tests that check nothing pass the bar.
        var input = _dir.Write("switch.jsonl", string.Join("\n", new[]
        {
            new JsonObject { ["prompt"] = "Write FizzBuzz.", ["completion"] = $"```csharp\npublic static class __ArMutant {{ }}\n{Solution}\n```", ["tests"] = WeakTests },
            new JsonObject { ["prompt"] = "Write FizzBuzz.", ["completion"] = $"```csharp\n{Solution}\n```", ["tests"] = WeakTests.Replace("Fizz.Say(4)", "(object)__ArMutant.Id", StringComparison.Ordinal) + "\npublic static class __ArMutant { public static int Id; }" },
        }.Select(r => r.ToJsonString())) + "\n");

        var result = await CliRunner.RunAsync(["validate", input, "--out", Validated, "--min-mutation-score", "0.5"]);

        Assert.True(result.ExitCode is 0 or 1, result.Output + result.Errors);
        var verdicts = Verdicts();
        Assert.Equal(["weak-tests", "weak-tests"], verdicts.Select(v => v.GetProperty("verdict").GetString()));
        Assert.All(verdicts, v => Assert.Contains("reserves for its switch", v.GetProperty("detail").GetString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Validate_AMinMutationScore_RejectsWeakTestsAndKeepsTheRest()
    {
        var input = Input();

        var result = await CliRunner.RunAsync(["validate", input, "--out", Validated, "--min-mutation-score", "0.5"]);

        Assert.True(result.ExitCode == 0, result.Output + result.Errors);
        var verdicts = Verdicts();
        Assert.Equal(["passed", "weak-tests", "passed"], verdicts.Select(v => v.GetProperty("verdict").GetString()));
        Assert.StartsWith("the tests kill ", verdicts[1].GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("\n- ", verdicts[1].GetProperty("detail").GetString(), StringComparison.Ordinal);
        var kept = File.ReadAllLines(Path.Combine(Validated, "rows.jsonl"));
        Assert.Equal([File.ReadAllLines(input)[0], File.ReadAllLines(input)[2]], kept);
        Assert.Contains("(bar 0.5: weak-tests 1)", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("half")]
    [InlineData("-0.1")]
    public async Task Validate_ABadMinMutationScore_IsAUsageErrorSayingWhatItTakes(string value)
    {
        var result = await CliRunner.RunAsync(["validate", Input(), "--out", Validated, "--min-mutation-score", value]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"--min-mutation-score takes a share of mutants from 0 to 1 (such as 0.5), not '{value}'", result.Errors, StringComparison.Ordinal);
    }
}
