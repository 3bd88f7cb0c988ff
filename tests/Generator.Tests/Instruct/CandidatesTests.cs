using AutoRefiner.Core.Config;
using AutoRefiner.Core.Model;
using AutoRefiner.Core.Pipeline;
using AutoRefiner.Core.State;
using AutoRefiner.Generator.Instruct;
using AutoRefiner.Generator.Llm;
using AutoRefiner.Generator.Prompts;
using AutoRefiner.Generator.Tests.Llm;
using AutoRefiner.State;

namespace AutoRefiner.Generator.Tests.Instruct;

/// <summary>k answers per seed (<c>generation.candidates</c>) through the real connector: <c>n</c> where the fake honours it, k requests where it ignores or refuses it.</summary>
public sealed class CandidatesTests : IAsyncLifetime
{
    private readonly FakeOpenAiServer _server = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("autorefiner-candidates-").FullName;
    private readonly List<IDisposable> _owned = [];
    private int _answers;

    public Task InitializeAsync()
    {
        // Each answer differs (a counter in the class name), as sampled answers do.
        _server.Responder = request => FakeReply.Answer(
            FakeOpenAiServer.ContractAnswer(request).Replace("Adder", $"Adder{Interlocked.Increment(ref _answers)}x", StringComparison.Ordinal), 100, 50);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var item in _owned)
        {
            item.Dispose();
        }

        await _server.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private static Seed Seed() => new()
    {
        Id = Core.Text.ContentHash.Of("twice"),
        Name = "Twice",
        Signature = "public static int Twice(int x)",
        ContainingType = "static class Util",
        Doc = new DocComment { Summary = "Doubles." },
        Code = "public static class Util\n{\n    public static int Twice(int x) => 2 * x;\n}\n",
        Provenance = new Provenance("octo/lib", "src/Util.cs", "abc123", "mit", "https://example.test/octo/lib/blob/abc123/src/Util.cs#L1-L4"),
    };

    private (InstructGenerator Generator, LlmClient Client, RunStats Stats) Create(int candidates)
    {
        var stats = new RunStats(TimeProvider.System);
        var config = new LlmConfig { Endpoint = _server.BaseUrl.ToString(), Model = "coder-1", MaxRetries = 1, TimeoutSeconds = 5 };
        var endpoint = LlmEndpoint.Resolve(config, _ => null)!.WithRetryDelays(TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(2));
        var client = new LlmClient(endpoint, stats.Llm);
        var store = StateStore.Open(Path.Combine(_dir, "state.db"));
        _owned.Add(client);
        _owned.Add(store);
        var cache = new ResponseCache(client, store.Answers, stats.Llm, TimeProvider.System);
        return (new InstructGenerator(cache, stats, PromptTemplate.Load(InstructGenerator.PromptFile), candidates: candidates), client, stats);
    }

    [Fact]
    public async Task Generate_ServerHonoursN_OneRequestBringsThreeDistinctCandidates()
    {
        _server.N = ChoicesMode.Honour;
        var (generator, client, _) = Create(3);

        var candidates = await generator.GenerateAsync(Seed(), CancellationToken.None).ToListAsync();

        var request = Assert.Single(_server.Requests);
        Assert.Equal(3, request.Number("n"));
        Assert.Equal([0, 1, 2], candidates.Select(c => c.CandidateIndex ?? -1));
        Assert.Equal(3, candidates.Select(c => c.Response).Distinct(StringComparer.Ordinal).Count());
        Assert.All(candidates, c => Assert.Null(c.ParseError));
        Assert.True(client.SendsChoices);
    }

    [Fact]
    public async Task Generate_ServerIgnoresN_AsksForTheRestOneByOne_AndStopsSendingN()
    {
        var (generator, client, _) = Create(3);

        var first = await generator.GenerateAsync(Seed(), CancellationToken.None).ToListAsync();
        var second = await generator.GenerateAsync(Seed() with { Id = "other", Code = "class Other { }" }, CancellationToken.None).ToListAsync();

        Assert.Equal(3, first.Select(c => c.Response).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(3, second.Count);
        Assert.Equal(6, _server.Requests.Count);
        Assert.Equal(3, _server.Requests[0].Number("n"));
        Assert.All(_server.Requests.Skip(1), r => Assert.Null(r.Number("n")));
        Assert.False(client.SendsChoices);
    }

    [Fact]
    public async Task Generate_ServerRefusesN_FallsBackToOneRequestPerAnswer()
    {
        _server.N = ChoicesMode.Refuse;
        var (generator, client, stats) = Create(3);

        var candidates = await generator.GenerateAsync(Seed(), CancellationToken.None).ToListAsync();

        Assert.Equal(3, candidates.Count);
        Assert.All(candidates, c => Assert.Null(c.ParseError));
        Assert.Equal(4, _server.Requests.Count);
        Assert.Equal(3, _server.Requests[0].Number("n"));
        Assert.All(_server.Requests.Skip(1), r => Assert.Null(r.Number("n")));
        Assert.False(client.SendsChoices);
        Assert.Empty(stats.Llm.Failures);
    }

    [Fact]
    public async Task Generate_AfterARunStoppedMidway_AsksOnlyForTheMissingAnswers()
    {
        var (one, _, _) = Create(1);
        Assert.Single(await one.GenerateAsync(Seed(), CancellationToken.None).ToListAsync());
        Assert.Single(_server.Requests);

        _server.N = ChoicesMode.Honour;
        var (three, _, stats) = Create(3);
        var candidates = await three.GenerateAsync(Seed(), CancellationToken.None).ToListAsync();

        Assert.Equal(2, _server.Requests.Count);
        Assert.Equal(2, _server.Requests[1].Number("n"));
        Assert.Equal(1, stats.Llm.Cached);
        Assert.Equal(3, candidates.Select(c => c.Response).Distinct(StringComparer.Ordinal).Count());

        var plan = three.Plan(Seed());
        Assert.Equal(new RequestPlan(3, 3, 0), plan);
    }

    [Fact]
    public async Task Generate_WithASeedOneByOne_EachAnswerGetsItsOwnSeed()
    {
        var stats = new RunStats(TimeProvider.System);
        var config = new LlmConfig { Endpoint = _server.BaseUrl.ToString(), Model = "coder-1", MaxRetries = 1, TimeoutSeconds = 5, Seed = 40 };
        var client = new LlmClient(LlmEndpoint.Resolve(config, _ => null)!, stats.Llm);
        var store = StateStore.Open(Path.Combine(_dir, "seeded.db"));
        _owned.Add(client);
        _owned.Add(store);
        var generator = new InstructGenerator(new ResponseCache(client, store.Answers, stats.Llm, TimeProvider.System), stats, PromptTemplate.Load(InstructGenerator.PromptFile), candidates: 3);

        await generator.GenerateAsync(Seed(), CancellationToken.None).ToListAsync();

        Assert.Equal([40, 41, 42], _server.Requests.Select(r => (int)(r.Number("seed") ?? -1)));
    }
}
