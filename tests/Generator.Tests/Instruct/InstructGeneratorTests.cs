using AutoRefiner.Core;
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

public sealed class InstructGeneratorTests : IAsyncLifetime
{
    private readonly FakeOpenAiServer _server = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("autorefiner-instruct-").FullName;
    private readonly List<IDisposable> _owned = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var item in _owned)
        {
            item.Dispose();
        }

        await _server.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private static Seed Seed(string code = "public static class Util\n{\n    public static int Twice(int x) => 2 * x;\n}\n") => new()
    {
        Id = Core.Text.ContentHash.Of(code),
        Name = "Twice",
        Signature = "public static int Twice(int x)",
        ContainingType = "static class Util",
        Doc = new DocComment { Summary = "Doubles." },
        Code = code,
        Provenance = new Provenance("octo/lib", "src/Util.cs", "abc123", "mit", "https://example.test/octo/lib/blob/abc123/src/Util.cs#L1-L4"),
    };

    private (InstructGenerator Generator, RunStats Stats, StateStore Store) Create(FakeOpenAiServer? server = null, string model = "coder-1", int maxRetries = 1)
    {
        var stats = new RunStats(TimeProvider.System);
        var config = new LlmConfig { Endpoint = (server ?? _server).BaseUrl.ToString(), Model = model, MaxRetries = maxRetries, TimeoutSeconds = 5 };
        var endpoint = LlmEndpoint.Resolve(config, _ => null)!.WithRetryDelays(TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(2));
        var client = new LlmClient(endpoint, stats.Llm);
        var store = StateStore.Open(Path.Combine(_dir, "state.db"));
        _owned.Add(client);
        _owned.Add(store);
        var cache = new ResponseCache(client, store.Answers, stats.Llm, TimeProvider.System);
        return (new InstructGenerator(cache, stats, PromptTemplate.Load(InstructGenerator.PromptFile), PromptTemplate.Load(InstructGenerator.RepairPromptFile)), stats, store);
    }

    private static async Task<Candidate> One(InstructGenerator generator, Seed seed) =>
        Assert.Single(await generator.GenerateAsync(seed, CancellationToken.None).ToListAsync());

    [Fact]
    public async Task Generate_AContractAnswer_GivesACandidateWithSectionsProvenanceAndTokens()
    {
        _server.Responder = r => FakeReply.Answer(FakeOpenAiServer.ContractAnswer(r), promptTokens: 300, completionTokens: 120);
        var (generator, _, _) = Create();
        var seed = Seed();

        var candidate = await One(generator, seed);

        Assert.Null(candidate.ParseError);
        Assert.Equal("instruct", candidate.Task);
        Assert.StartsWith("Write a static class `Adder", candidate.Instruction, StringComparison.Ordinal);
        Assert.Contains("```csharp\nnamespace Exercises;", candidate.Response, StringComparison.Ordinal);
        Assert.Contains("[Fact]", candidate.Tests, StringComparison.Ordinal);
        Assert.Equal(("coder-1", "instruct/1"), (candidate.Generator, candidate.PromptVersion));
        Assert.Equal((300, 120), (candidate.PromptTokens, candidate.CompletionTokens));
        Assert.Equal(seed.Provenance, candidate.Provenance);
        Assert.Equal(seed.Id, candidate.SeedId);

        // The seed is shown to the model as inspiration.
        Assert.Contains("public static int Twice(int x) => 2 * x;", _server.Requests[0].UserText, StringComparison.Ordinal);
        Assert.Contains("octo/lib", _server.Requests[0].UserText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_AnAnswerWithoutSections_IsACandidateThatCarriesWhy()
    {
        _server.Responder = _ => FakeReply.Answer("I cannot help with that.");
        var (generator, _, _) = Create();

        var candidate = await One(generator, Seed());

        Assert.Contains("none of the [Instruction], [Response] and [Tests] sections", candidate.ParseError, StringComparison.Ordinal);
        Assert.Equal("I cannot help with that.", candidate.Response);
    }

    [Fact]
    public async Task Generate_TheSameSeedAgain_IsAnsweredFromTheStateStore()
    {
        var (first, _, _) = Create();
        var before = await One(first, Seed());
        Assert.Equal(1, _server.RequestCount);

        var (second, stats, _) = Create();
        var after = await One(second, Seed());

        Assert.Equal(1, _server.RequestCount);
        Assert.Equal(before, after);
        Assert.Equal((0, 1), (stats.Llm.Answered, stats.Llm.Cached));
    }

    [Fact]
    public async Task Generate_AnEmptyAnswer_IsNotCached()
    {
        _server.Responder = _ => FakeReply.Answer("");
        var (generator, _, store) = Create();

        var candidate = await One(generator, Seed());

        Assert.Equal("the answer is empty", candidate.ParseError);
        Assert.Equal(0, store.Answers.AnswerCount());
    }

    [Fact]
    public async Task Generate_AnotherEndpointWithTheSameModel_ReusesTheCache()
    {
        var (first, _, _) = Create();
        await One(first, Seed());
        await using var other = new FakeOpenAiServer();

        var (second, _, _) = Create(other);
        await One(second, Seed());

        Assert.Equal(0, other.RequestCount);
    }

    [Fact]
    public async Task Generate_AnotherModelOrSeed_IsNotACacheHit()
    {
        var (first, _, _) = Create();
        await One(first, Seed());

        var (otherModel, _, _) = Create(model: "coder-2");
        await One(otherModel, Seed());
        await One(first, Seed("public static class Other\n{\n    public static int Thrice(int x) => 3 * x;\n}\n"));

        Assert.Equal(3, _server.RequestCount);
    }

    [Fact]
    public async Task Generate_ARejectedRequest_IsAnUnparseableCandidateAndTheRunGoesOn()
    {
        _server.Responder = _ => FakeReply.Fail(400, "context length exceeded");
        var (generator, stats, store) = Create();

        var candidate = await One(generator, Seed());

        Assert.Contains("context length exceeded", candidate.ParseError, StringComparison.Ordinal);
        Assert.Equal(1, stats.Llm.Failures["rejected-400"]);
        Assert.Equal(0, store.Answers.AnswerCount()); // nothing cached: a later run may try again
    }

    [Theory]
    [InlineData(400, "Unsupported parameter: 'seed' is not supported with this model.", true)]
    [InlineData(422, "Unprocessable entity", true)]
    [InlineData(400, "This model's maximum context length is 8192 tokens.", false)]
    [InlineData(400, "The prompt was filtered by the content filter.", false)]
    public async Task Generate_ARefusal_IsProvisionalUnlessItIsAVerdictOnTheSeed(int status, string refusal, bool provisional)
    {
        // Provisional candidates are not recorded as the seed's outcome: the next run asks again.
        _server.Responder = _ => FakeReply.Fail(status, refusal);
        var (generator, _, _) = Create();

        var candidate = await One(generator, Seed());

        Assert.NotNull(candidate.ParseError);
        Assert.Equal(provisional, candidate.Provisional);
    }

    [Fact]
    public async Task Generate_AGarbledAnswer_IsProvisional()
    {
        _server.Responder = _ => FakeReply.Raw("""{"object":"chat.completion","choices":[]}""");
        var (generator, stats, _) = Create();

        var candidate = await One(generator, Seed());

        Assert.True(candidate.Provisional);
        Assert.Equal(1, stats.Llm.Failures[LlmException.InvalidAnswer]);
    }

    [Fact]
    public async Task Generate_AnEndpointThatStaysDown_StopsTheRunAndKeepsTheAnswersAlreadyReceived()
    {
        var (generator, _, store) = Create(maxRetries: 2);
        await One(generator, Seed());
        _server.Responder = _ => FakeReply.Fail(503, "overloaded");

        var e = await Assert.ThrowsAsync<AutoRefinerException>(() => One(generator, Seed("public class B { public int X() => 1; }\n")));

        Assert.Equal(FailureKind.Run, e.Kind);
        Assert.Contains("after 3 attempts", e.Message, StringComparison.Ordinal);
        Assert.Contains("run the same command again", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, store.Answers.AnswerCount());
    }

    [Fact]
    public async Task Repair_SendsTheCodeAndTheFailureVerbatim_AndReturnsTheNextRound()
    {
        _server.Responder = r => FakeReply.Answer(FakeOpenAiServer.ContractAnswer(r), promptTokens: 100, completionTokens: 50);
        var (generator, _, _) = Create();
        var first = await One(generator, Seed());
        var failure = "Tests.cs(7,5): error CS0103: The name 'Adderr' does not exist in the current context";

        var repaired = await generator.RepairAsync(new Judged(first, Verdict.CompileError, failure), CancellationToken.None);

        var request = _server.Requests[^1].UserText;
        Assert.Contains(failure, request, StringComparison.Ordinal);
        Assert.Contains("It does not compile; the compiler said", request, StringComparison.Ordinal);
        Assert.Contains(first.Instruction, request, StringComparison.Ordinal);
        Assert.Contains(first.Tests.TrimEnd(), request, StringComparison.Ordinal);
        Assert.Null(repaired.ParseError);
        Assert.Equal(1, repaired.RepairRounds);
        Assert.Equal("instruct/1+repair/1", repaired.PromptVersion);
        Assert.Equal((200, 100), (repaired.PromptTokens, repaired.CompletionTokens));
        Assert.Equal(first.SeedId, repaired.SeedId);
        Assert.NotEqual(first.Response, repaired.Response);
    }

    [Fact]
    public async Task Repair_AnUnreadableAnswer_IsAnUnparseableCandidate()
    {
        var (generator, _, _) = Create();
        var first = await One(generator, Seed());
        _server.Responder = _ => FakeReply.Answer("Sorry, I can't.");

        var repaired = await generator.RepairAsync(new Judged(first, Verdict.TestFailed, "Assert.True() Failure"), CancellationToken.None);

        Assert.StartsWith("repair answer: the answer has none of", repaired.ParseError, StringComparison.Ordinal);
        Assert.Equal(1, repaired.RepairRounds);
    }

    [Fact]
    public async Task Plan_SaysWhichSeedsAreCachedWithoutCallingTheEndpoint()
    {
        var (generator, _, _) = Create();
        await One(generator, Seed());
        var requests = _server.RequestCount;

        var cached = generator.Plan(Seed());
        var fresh = generator.Plan(Seed("public class Fresh { public int Y() => 2; }\n"));

        Assert.Equal(requests, _server.RequestCount);
        Assert.Equal(new RequestPlan(1, 1, 0), cached);
        Assert.Equal((1, 0), (fresh.Requests, fresh.Cached));
        Assert.True(fresh.PromptTokens > 100);
    }
}
