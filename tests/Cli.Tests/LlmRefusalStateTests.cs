namespace AutoRefiner.Cli.Tests;

/// <summary>
/// An endpoint that refuses requests for its own reasons poisons nothing: the refusals are not stored as the seeds'
/// outcomes, the run does not pass for a success, and once the endpoint is fixed every seed is asked again.
/// </summary>
public sealed class LlmRefusalStateTests : IAsyncLifetime
{
    private readonly TempDir _dir = new();
    private readonly Generator.Tests.Llm.FakeOpenAiServer _server = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _dir.Dispose();
    }

    private string Out => _dir.Combine("out");

    private string Config(string keyEnv = "AUTOREFINER_TEST_NO_KEY") => _dir.Write("harvest.yml", $"""
        sources:
          local: [src]
        llm:
          endpoint: {_server.BaseUrl}
          model: fake-coder
          api-key-env: {keyEnv}
          max-retries: 0
        generation:
          tasks: [instruct]
        curation:
          near-duplicates: false
        export:
          out: out
        state: state/state.db
        """);

    private void WriteSources()
    {
        var methods = string.Join("\n\n", new[] { "Alpha", "Bravo", "Charlie" }.Select((m, i) => $$"""
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

    [Fact]
    public async Task Harvest_AnEndpointRefusingAParameter_ExitsOne_StoresNoVerdict_AndTheFixedEndpointIsAskedForEverySeed()
    {
        WriteSources();
        var broken = true;
        _server.Responder = r => broken
            ? Generator.Tests.Llm.FakeReply.Fail(400, "Unsupported parameter: 'seed' is not supported with this model.") with { ErrorParam = "seed" }
            : Generator.Tests.Llm.FakeReply.Answer(Generator.Tests.Llm.FakeOpenAiServer.ContractAnswer(r));
        var config = Config();

        var first = await CliRunner.RunAsync(["harvest", "--config", config, "--out", Out]);

        Assert.Equal(1, first.ExitCode);
        Assert.Contains("gave no usable answer to any of the 3 requests of this run (rejected-400 3)", first.Errors, StringComparison.Ordinal);
        Assert.Equal(3, _server.RequestCount);

        broken = false;
        var second = await CliRunner.RunAsync(["harvest", "--config", config, "--out", Out]);

        Assert.True(second.ExitCode == 0, second.Output + second.Errors);
        Assert.Equal(6, _server.RequestCount); // all three asked again: the refusals were the endpoint's, not the seeds'
        Assert.Equal(3, CliRunner.ReadAllJsonlRows(Out).Count);
    }

    [Fact]
    public async Task Harvest_AKeyPastedAsTheVariableName_IsAConfigErrorThatNeverShowsIt()
    {
        WriteSources();
        const string pasted = "sk-proj-AbCdEf0123456789AbCdEf0123456789";

        var result = await CliRunner.RunAsync(["harvest", "--config", Config(pasted), "--out", Out]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("harvest.yml:6: llm.api-key-env: must be the name of an environment variable", result.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain(pasted, result.Output + result.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-proj", result.Output + result.Errors, StringComparison.Ordinal);
        Assert.Equal(0, _server.RequestCount);
    }
}
