using AutoRefiner.Generator.Tests.Llm;

namespace AutoRefiner.Cli.Tests;

/// <summary>
/// The <c>tests</c> task end to end: a real member harvested from a local project, a fake OpenAI-compatible server on
/// 127.0.0.1 that writes tests for it, and the real compiler, sandbox and mutation testing of that member.
/// </summary>
public sealed class TestsTaskTests : IAsyncLifetime
{
    private const string TestsPrompt = "Write xunit tests for this member of";

    private readonly TempDir _dir = new();
    private readonly FakeOpenAiServer _server = new();
    private readonly string _keyVariable = "AUTOREFINER_TEST_KEY_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();

    public Task InitializeAsync()
    {
        Environment.SetEnvironmentVariable(_keyVariable, "sk-tests-task");
        _server.RequiredKey = "sk-tests-task";
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        Environment.SetEnvironmentVariable(_keyVariable, null);
        await _server.DisposeAsync();
        _dir.Dispose();
    }

    private string Out => _dir.Combine("out");

    private string Config() => _dir.Write("harvest.yml", $"""
        sources:
          local: [src]
        llm:
          endpoint: {_server.BaseUrl}
          model: fake-coder
          api-key-env: {_keyVariable}
          concurrency: 2
          timeout-seconds: 5
        generation:
          tasks: [tests]
        curation:
          near-duplicates: false
          max-per-file: 0
        export:
          out: out
        state: state/state.db
        """);

    private void WriteSources() => _dir.Write("src/Digits.cs", """
        namespace Sample;

        public static class Digits
        {
            /// <summary>Returns the sum of the decimal digits of a non-negative number.</summary>
            /// <param name="n">The number.</param>
            public static int Sum(int n)
            {
                var total = 0;
                for (; n > 0; n /= 10)
                {
                    total += n % 10;
                }

                return total;
            }

            /// <summary>Returns whether a year is a leap year in the Gregorian calendar.</summary>
            /// <param name="year">The year.</param>
            public static bool IsLeap(int year) => year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        }
        """);

    private const string SumTests = """
        [Tests]
        ```csharp
        using Sample;

        public class DigitsSumTests
        {
            [Theory]
            [InlineData(0, 0)]
            [InlineData(7, 7)]
            [InlineData(10, 1)]
            [InlineData(123, 6)]
            [InlineData(9999, 36)]
            public void SumsTheDigits(int n, int sum) => Assert.Equal(sum, Digits.Sum(n));
        }
        ```
        """;

    private const string LeapTests = """
        [Tests]
        ```csharp
        using Sample;

        public class LeapTests
        {
            [Fact]
            public void Answers() => Assert.True(Digits.IsLeap(2024) || !Digits.IsLeap(2024));
        }
        ```
        """;

    [Fact]
    public async Task Harvest_TestsTask_KeepsTestsThatPassOnTheRealMemberAndKillItsMutants_AndRejectsWeakOnes()
    {
        WriteSources();
        _server.Responder = r => r.UserText switch
        {
            var t when t.Contains(TestsPrompt, StringComparison.Ordinal) && t.Contains("public static int Sum(int n)\n", StringComparison.Ordinal) => FakeReply.Answer(SumTests),
            var t when t.Contains(TestsPrompt, StringComparison.Ordinal) => FakeReply.Answer(LeapTests),
            _ => FakeReply.Fail(400, "unexpected request"),
        };

        var result = await CliRunner.RunAsync(["harvest", "--config", Config(), "--out", Out]);

        Assert.True(result.ExitCode == 0, result.Output + result.Errors);
        Assert.True(2 == _server.Requests.Count(r => r.UserText.Contains(TestsPrompt, StringComparison.Ordinal)), result.Output);
        var row = Assert.Single(CliRunner.ReadAllJsonlRows(Out));
        Assert.Equal("tests", row.GetProperty("task").GetString());
        Assert.Equal("tests/1", row.GetProperty("prompt_version").GetString());
        var instruction = row.GetProperty("instruction").GetString()!;
        Assert.StartsWith("Write xunit tests for this member: `public static int Sum(int n)` in `", instruction, StringComparison.Ordinal);
        Assert.Contains("public static class Digits", instruction, StringComparison.Ordinal);
        Assert.Contains("total += n % 10;", instruction, StringComparison.Ordinal);
        Assert.Contains("[InlineData(9999, 36)]", row.GetProperty("response").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("```csharp", row.GetProperty("response").GetString(), StringComparison.Ordinal);
        Assert.Equal((5, 5), (row.GetProperty("tests_run").GetInt32(), row.GetProperty("tests_passed").GetInt32()));
        Assert.Equal("Digits.cs", Path.GetFileName(row.GetProperty("source_path").GetString()));
        var mutants = row.GetProperty("mutants").GetInt32();
        Assert.InRange(mutants, 10, 20);
        Assert.True(row.GetProperty("mutants_killed").GetInt32() * 2 >= mutants, row.ToString());

        // The leap-year tests pass whatever the member does: weak-tests, with surviving mutants of that member only.
        var weak = Assert.Single(CliRunner.ReadJsonl(Path.Combine(Out, "rejected.jsonl")));
        Assert.Equal("weak-tests", weak.GetProperty("verdict").GetString());
        // (Only mutants that divide by zero are killed: the tests call the member but check nothing.)
        Assert.True(weak.GetProperty("mutants_killed").GetInt32() * 2 < weak.GetProperty("mutants").GetInt32(), weak.ToString());
        Assert.Contains("Digits.IsLeap(int), line ", weak.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Digits.Sum", weak.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // validate knows a tests row: its tests run against the code its instruction shows, and score the same.
        var train = Directory.GetFiles(Path.Combine(Out, "jsonl"), "*.jsonl").Single(f => new FileInfo(f).Length > 0);
        var validated = await CliRunner.RunAsync(["validate", train, "--out", _dir.Combine("validated"), "--min-mutation-score", "0.5"]);
        Assert.True(validated.ExitCode == 0, validated.Output + validated.Errors);
        var verdict = Assert.Single(CliRunner.ReadJsonl(_dir.Combine("validated/verdicts.jsonl")));
        Assert.Equal("passed", verdict.GetProperty("verdict").GetString());
        Assert.Equal((mutants, row.GetProperty("mutants_killed").GetInt32()), (verdict.GetProperty("mutants").GetInt32(), verdict.GetProperty("mutants_killed").GetInt32()));
    }
}
