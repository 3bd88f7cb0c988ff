using AutoRefiner.Exporter.Tests.Hub;
using AutoRefiner.Generator.Tests.Llm;

namespace AutoRefiner.Cli.Tests;

/// <summary>`push` of an output with the preference and feedback configs, against the fake Hub and the fake OpenAI server.</summary>
[Collection(nameof(GitHubEnvironment))]
public sealed class CandidatesPushTests : IAsyncLifetime
{
    private const string Token = "hf_cliPushToken0000000000000000000000000";
    private readonly TempDir _dir = new();
    private readonly FakeHubServer _hub = new();
    private readonly FakeOpenAiServer _llm = new() { N = ChoicesMode.Honour };
    private int _answer;

    public Task InitializeAsync()
    {
        _hub.Tokens[Token] = true;
        Environment.SetEnvironmentVariable("HF_ENDPOINT", _hub.Endpoint.ToString());
        Environment.SetEnvironmentVariable("HF_TOKEN", Token);

        // Every other answer does not compile, and every repair passes: pairs and conversations for every seed.
        _llm.Responder = request =>
        {
            var answer = FakeOpenAiServer.ContractAnswer(request);
            var repair = request.UserText.Contains("They were checked by compiling", StringComparison.Ordinal);
            return FakeReply.Answer(!repair && Interlocked.Increment(ref _answer) % 2 == 0 ? answer.Replace("a + b + Step", "a + b + Stpe", StringComparison.Ordinal) : answer);
        };
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        Environment.SetEnvironmentVariable("HF_ENDPOINT", null);
        Environment.SetEnvironmentVariable("HF_TOKEN", null);
        await _hub.DisposeAsync();
        await _llm.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task Push_OutputWithPreferenceAndFeedback_UploadsEveryConfigsFiles()
    {
        _dir.Write("src/Ops.cs", "namespace S;\n\npublic static class Ops\n{\n    /// <summary>Adds one.</summary>\n    public static int Inc(int x) => x + 1;\n\n    /// <summary>Adds two.</summary>\n    public static int Inc2(int x) => x + 2;\n}\n");
        var config = _dir.Write("harvest.yml", $"""
            sources:
              local: [src]
            llm:
              endpoint: {_llm.BaseUrl}
              model: fake-coder
            generation:
              tasks: [instruct]
              candidates: 2
            validation:
              mutants: 0
            curation:
              near-duplicates: false
            export:
              out: out
              test-split: 0
            state: state/state.db
            """);
        var harvest = await CliRunner.RunAsync(["harvest", "--config", config]);
        Assert.True(harvest.ExitCode == 0, harvest.Output + harvest.Errors);
        var outDir = _dir.Combine("out");
        Assert.True(File.Exists(Path.Combine(outDir, "data", "preference", "train-00000-of-00001.parquet")), harvest.Output);
        Assert.True(File.Exists(Path.Combine(outDir, "jsonl", "feedback", "train.jsonl")), harvest.Output);

        var push = await CliRunner.RunAsync(["push", "--repo", "me/csharp-sft", "--out", outDir]);

        Assert.True(push.ExitCode == 0, push.Output + push.Errors);
        var files = _hub.Files("me/csharp-sft");
        foreach (var path in new[] { "data/preference/train-00000-of-00001.parquet", "jsonl/preference/train.jsonl", "data/feedback/train-00000-of-00001.parquet", "jsonl/feedback/train.jsonl" })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(outDir, path)), files[path]);
        }

        Assert.Contains("config_name: preference", System.Text.Encoding.UTF8.GetString(files["README.md"]), StringComparison.Ordinal);
    }
}
