using System.Text.Json;
using AutoRefiner.Generator.Tests.Llm;

namespace AutoRefiner.Cli.Tests;

/// <summary>The curation stage end to end: licences, secrets, benchmarks and near-duplicates, as a user sees them.</summary>
public sealed class CurationTests : IAsyncLifetime
{
    private const string SeedToken = "ghp_S33dT0k3nPl4nt3dInS0urc3C0d3abcdefgh";
    private const string AnswerKey = "sk_live_51AnsW3rK3yPl4nt3dByTh3M0d3lXyZ";
    private const string Email = "jane.maintainer@example.org";
    private readonly TempDir _dir = new();
    private readonly FakeOpenAiServer _llm = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _llm.DisposeAsync();
        _dir.Dispose();
    }

    private const string Solution = """
        public static class Proximity
        {
            public static bool AnyTwoClose(List<double> values, double limit)
            {
                for (int i = 0; i < values.Count; i++)
                {
                    for (int j = 0; j < values.Count; j++)
                    {
                        if (i != j)
                        {
                            double gap = Math.Abs(values[i] - values[j]);
                            if (gap < limit)
                            {
                                return true;
                            }
                        }
                    }
                }

                return false;
            }
        }
        """;

    private void WriteSources()
    {
        _dir.Write("mine/Tools.cs", $$"""
            public static class Tools
            {
                /// <summary>The token to call the API with, or null when the caller runs offline and must send none.</summary>
                public static string? Credential(bool offline)
                {
                    var token = "{{SeedToken}}";
                    if (offline)
                    {
                        return null;
                    }

                    return token;
                }

                /// <summary>Clamps a value. Questions: {{Email}}</summary>
                public static int Clamp(int value, int min, int max) => value < min ? min : value > max ? max : value;

                /// <summary>Whether two numbers are close.</summary>
                public static bool Close(double a, double b) => Math.Abs(a - b) < 0.001;

                /// <summary>Sums the squares of the numbers.</summary>
                public static int SumOfSquares(int[] values)
                {
                    var total = 0;
                    foreach (var value in values)
                    {
                        total += value * value;
                    }

                    return total;
                }

                /// <summary>Sums the squares of the items.</summary>
                public static int SquareSum(int[] items)
                {
                    var sum = 0;
                    foreach (var item in items)
                    {
                        sum += item * item;
                    }

                    return sum;
                }
            }
            """);
        _dir.Write("copyleft/LICENSE", "GNU GENERAL PUBLIC LICENSE\nVersion 3, 29 June 2007\n");
        _dir.Write("copyleft/Gpl.cs", "public static class Gpl\n{\n    /// <summary>Multiplies the argument by three, wrapping round on overflow.</summary>\n    public static int Triple(int x) => 3 * x;\n}\n");
        _dir.Write("benchmarks/humaneval-csharp.jsonl", JsonSerializer.Serialize(new
        {
            task_id = "HumanEval/0",
            prompt = "// Check if in given list of numbers, are any two numbers closer to each other than given threshold.",
            canonical_solution = "public static bool HasCloseElements(List<double> numbers, double threshold) {\n for (int idx = 0; idx < numbers.Count; idx++) {\n for (int idx2 = 0; idx2 < numbers.Count; idx2++) {\n if (idx != idx2) {\n double distance = Math.Abs(numbers[idx] - numbers[idx2]);\n if (distance < threshold) {\n return true;\n }\n }\n }\n }\n return false;\n}",
        }) + "\n");
    }

    private string Config() => _dir.Write("harvest.yml", $"""
        sources:
          local: [mine, copyleft]
        llm:
          endpoint: {_llm.BaseUrl}
          model: fake-coder
        generation:
          tasks: [instruct, doc-comments]
        curation:
          benchmarks: [benchmarks/humaneval-csharp.jsonl]
        """);

    /// <summary>The model copies a benchmark for the seed about closeness and leaks a key for the one about clamping.</summary>
    private static FakeReply Answer(FakeChatRequest request)
    {
        if (request.UserText.Contains("Close(", StringComparison.Ordinal))
        {
            return FakeReply.Answer($"[Instruction]\nWrite a method that tells whether a list of doubles holds two values nearer to one another than a limit.\n\n[Response]\nCompare every pair.\n\n```csharp\n{Solution}\n```\n\n[Tests]\n```csharp\npublic class ProximityTests {{ [Fact] public void Finds() => Assert.True(Proximity.AnyTwoClose(new List<double> {{ 1.0, 1.05 }}, 0.1)); }}\n```\n");
        }

        var answer = FakeOpenAiServer.ContractAnswer(request);
        return request.UserText.Contains("Clamp(", StringComparison.Ordinal)
            ? FakeReply.Answer(answer.Replace("namespace Exercises;", $"namespace Exercises;\n// billing key: {AnswerKey}", StringComparison.Ordinal))
            : FakeReply.Answer(answer);
    }

    [Fact]
    public async Task Harvest_LeavesOutLicencesSecretsBenchmarksAndNearDuplicates_AndSaysWhy()
    {
        WriteSources();
        _llm.Responder = Answer;

        var result = await CliRunner.RunAsync(["harvest", "--config", Config(), "--out", _dir.Combine("out"), "--state", _dir.Combine("state.db")]);

        Assert.True(result.ExitCode == 0, result.Output + result.Errors);
        var outDir = _dir.Combine("out");

        // No planted secret and no e-mail address anywhere in the output folder.
        foreach (var file in Directory.EnumerateFiles(outDir, "*", SearchOption.AllDirectories))
        {
            var bytes = File.ReadAllBytes(file);
            var text = System.Text.Encoding.UTF8.GetString(bytes);
            Assert.DoesNotContain(SeedToken, text, StringComparison.Ordinal);
            Assert.DoesNotContain(AnswerKey, text, StringComparison.Ordinal);
            Assert.DoesNotContain(Email, text, StringComparison.Ordinal);
        }

        var rejected = CliRunner.ReadJsonl(Path.Combine(outDir, "rejected.jsonl"));
        var secret = Assert.Single(rejected, r => r.GetProperty("verdict").GetString() == "secret");
        Assert.Contains("stripe-key in the response", secret.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("<secret:stripe-key>", secret.GetProperty("response").GetString(), StringComparison.Ordinal);
        var contaminated = Assert.Single(rejected, r => r.GetProperty("verdict").GetString() == "contaminated");
        Assert.Contains("humaneval-csharp item HumanEval/0", contaminated.GetProperty("detail").GetString(), StringComparison.Ordinal);

        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "manifest.json")));
        var counts = manifest.RootElement.GetProperty("counts");
        Assert.Equal(1, counts.GetProperty("verdicts").GetProperty("secret").GetInt64());
        Assert.Equal(1, counts.GetProperty("verdicts").GetProperty("contaminated").GetInt64());
        var seedsRejected = counts.GetProperty("seeds_rejected");
        Assert.Equal(1, seedsRejected.GetProperty("secret").GetInt64());          // the seed holding a token never reached the model
        Assert.Equal(1, seedsRejected.GetProperty("license").GetInt64());         // the GPL source
        Assert.Equal(1, seedsRejected.GetProperty("near-duplicate").GetInt64());  // SquareSum is SumOfSquares renamed
        Assert.Contains("GPL-3.0-only is not in curation.licenses", counts.GetProperty("seed_reject_examples").GetProperty("license")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(1, manifest.RootElement.GetProperty("curation").GetProperty("benchmarks").GetProperty("humaneval-csharp").GetInt32());
        Assert.DoesNotContain(_llm.Requests, r => r.UserText.Contains("SquareSum", StringComparison.Ordinal) || r.UserText.Contains("Triple", StringComparison.Ordinal));

        var rows = CliRunner.ReadAllJsonlRows(outDir);
        Assert.Contains(rows, r => r.GetProperty("instruction").GetString()!.Contains("Questions: <email>", StringComparison.Ordinal));
        var attribution = File.ReadAllText(Path.Combine(outDir, "ATTRIBUTION.md"));
        Assert.Contains("| mine |  | (not a git checkout) | none |  |", attribution, StringComparison.Ordinal);
        Assert.Contains("near-duplicates were removed (MinHash + LSH", File.ReadAllText(Path.Combine(outDir, "README.md")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DefaultHarvest_DropsADisguisedHumanEvalItem_AsContaminated_AndTheCardNamesTheBuiltinSets()
    {
        // No curation section at all: the built-in C# HumanEval and MBPP are what a new user gets.
        _dir.Write("src/Numbers.cs", """
            public static class Numbers
            {
                /// <summary>Whether any two values are nearer than the gap.</summary>
                public static bool Near(float[] values, float gap) => values.Length > 1 && Math.Abs(values[0] - values[1]) < gap;
            }
            """);
        var config = _dir.Write("default.yml", $"""
            sources:
              local: [src]
            llm:
              endpoint: {_llm.BaseUrl}
              model: fake-coder
            generation:
              tasks: [instruct]
            """);
        _llm.Responder = _ => FakeReply.Answer(
            $"[Instruction]\nImplement AnyPairWithin: given a sequence of single-precision values and a tolerance, report whether some two distinct entries differ by less than the tolerance.\n\n[Response]\nCompare every pair once.\n\n" +
            $"```csharp\n{DisguisedSolution}\n```\n\n[Tests]\n```csharp\n{DisguisedTests}\n```\n");

        var result = await CliRunner.RunAsync(["harvest", "--config", config, "--out", _dir.Combine("out"), "--state", _dir.Combine("state.db")]);

        Assert.True(result.ExitCode == 0, result.Output + result.Errors);
        var rejected = CliRunner.ReadJsonl(Path.Combine(_dir.Combine("out"), "rejected.jsonl"));
        var contaminated = Assert.Single(rejected, r => r.GetProperty("verdict").GetString() == "contaminated");
        Assert.Contains("humaneval-cs item HumanEval/0", contaminated.GetProperty("detail").GetString(), StringComparison.Ordinal);
        // Only the rejects list and the report (which shows rejects) may quote it.
        foreach (var file in Directory.EnumerateFiles(_dir.Combine("out"), "*", SearchOption.AllDirectories).Where(f => Path.GetFileName(f) is not ("rejected.jsonl" or "report.html")))
        {
            Assert.False(File.ReadAllText(file).Contains("AnyPairWithin", StringComparison.Ordinal), file);
        }

        var card = File.ReadAllText(Path.Combine(_dir.Combine("out"), "README.md"));
        Assert.Contains("decontaminated against humaneval-cs (158 items", card, StringComparison.Ordinal);
        Assert.Contains("mbpp-cs (97 items", card, StringComparison.Ordinal);
        Assert.Contains("used them only to find and reject overlapping samples", card, StringComparison.Ordinal);
    }

    private const string DisguisedSolution = """
        public static class Closeness
        {
            public static bool AnyPairWithin(List<float> samples, float tolerance)
            {
                for (var a = 0; a < samples.Count; a++)
                {
                    for (var b = a + 1; b < samples.Count; b++)
                    {
                        if (Math.Abs(samples[a] - samples[b]) < tolerance)
                        {
                            return true;
                        }
                    }
                }

                return false;
            }
        }
        """;

    private const string DisguisedTests = """
        public class ClosenessTests
        {
            [Fact]
            public void Examples()
            {
                Assert.True(Closeness.AnyPairWithin(new List<float> { 1.0f, 2.0f, 3.9f, 4.0f, 5.0f, 2.2f }, 0.3f));
                Assert.False(Closeness.AnyPairWithin(new List<float> { 1.0f, 2.0f, 3.9f, 4.0f, 5.0f, 2.2f }, 0.05f));
                Assert.True(Closeness.AnyPairWithin(new List<float> { 1.0f, 2.0f, 5.9f, 4.0f, 5.0f }, 0.95f));
                Assert.False(Closeness.AnyPairWithin(new List<float> { 1.0f, 2.0f, 5.9f, 4.0f, 5.0f }, 0.8f));
                Assert.True(Closeness.AnyPairWithin(new List<float> { 1.0f, 2.0f, 3.0f, 4.0f, 5.0f, 2.0f }, 0.1f));
            }
        }
        """;

    [Fact]
    public async Task Harvest_WithSecretsRedacted_KeepsTheSampleWithAPlaceholder()
    {
        WriteSources();
        _llm.Responder = Answer;
        var config = Config();
        File.AppendAllText(config, "\n  secrets: redact\n");

        var result = await CliRunner.RunAsync(["harvest", "--config", config, "--out", _dir.Combine("out"), "--state", _dir.Combine("state.db")]);

        Assert.True(result.ExitCode == 0, result.Output + result.Errors);
        var rows = CliRunner.ReadAllJsonlRows(_dir.Combine("out"));
        Assert.Contains(rows, r => r.GetProperty("response").GetString()!.Contains("<secret:stripe-key>", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.GetProperty("response").GetString()!.Contains("<secret:github-token>", StringComparison.Ordinal));
        foreach (var file in Directory.EnumerateFiles(_dir.Combine("out"), "*", SearchOption.AllDirectories))
        {
            Assert.DoesNotContain(SeedToken, File.ReadAllText(file), StringComparison.Ordinal);
            Assert.DoesNotContain(AnswerKey, File.ReadAllText(file), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("curation:\n  secrets: shred\n", "curation.secrets: 'shred' is not an action; supported: drop, redact")]
    [InlineData("curation:\n  minhash-permutations: 100\n", "curation.minhash-permutations: must be a multiple of 8")]
    [InlineData("curation:\n  benchmarks: [evals.csv]\n", "curation.benchmarks[0]: 'evals.csv' is not builtin (the C# HumanEval and MBPP shipped with AutoRefiner) or a .jsonl or .parquet file")]
    [InlineData("curation:\n  benchmarks: [missing.jsonl]\n", "bad.yml:4: curation.benchmarks[0]: 'missing.jsonl' does not exist")]
    public async Task Harvest_BadCurationSettings_AreUsageErrors(string yaml, string message)
    {
        _dir.Write("src/A.cs", "public static class A { /// <summary>One.</summary>\n public static int One() => 1; }\n");
        var config = _dir.Write("bad.yml", "sources:\n  local: [src]\n" + yaml);

        var result = await CliRunner.RunAsync(["harvest", "--config", config, "--out", _dir.Combine("out"), "--state", _dir.Combine("s.db")]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CommandsThatReadNoBenchmark_RunWhereTheBenchmarkFilesAreNot()
    {
        // A CI job that pushes or reports on another machine than the harvest has the config, not the evaluation sets.
        _dir.Write("src/A.cs", "public static class A { /// <summary>One.</summary>\n public static int One() => 1; }\n");
        var harvested = await CliRunner.RunAsync(["harvest", "--source", _dir.Combine("src"), "--out", _dir.Combine("out"), "--state", _dir.Combine("s.db")]);
        Assert.True(harvested.ExitCode == 0, harvested.Output + harvested.Errors);
        var config = _dir.Write("elsewhere.yml", "curation:\n  benchmarks: [evals/not-here.jsonl]\n");

        var report = await CliRunner.RunAsync(["report", "--config", config, "--out", _dir.Combine("out")]);

        Assert.True(report.ExitCode == 0, report.Output + report.Errors);
    }
}
