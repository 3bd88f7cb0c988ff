using AutoRefiner.Core.Config;
using AutoRefiner.Core.Pipeline;
using AutoRefiner.Generator.Llm;
using Microsoft.Extensions.Time.Testing;

namespace AutoRefiner.Generator.Tests.Llm;

/// <summary>
/// What the LLM client makes of answers that are too big, too slow, empty of choices or not answers at all, and of
/// refusals that blame the endpoint rather than the sample. Waits and time limits run on a <see cref="FakeTimeProvider"/>.
/// </summary>
public sealed class LlmAnswerLimitsTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private const string Key = "sk-test-7f3a9c1e5b2d4f6a8c0e";
    private readonly FakeOpenAiServer _server = new();
    private readonly LlmUsage _usage = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 3, 0, 0, TimeSpan.Zero));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private LlmClient Client(int timeoutSeconds = 5, int maxRetries = 3, string? endpoint = null, TimeSpan? maxDelay = null)
    {
        var config = new LlmConfig { Model = "test-model", MaxTokens = 777, MaxRetries = maxRetries, TimeoutSeconds = timeoutSeconds, Endpoint = endpoint ?? _server.BaseUrl.ToString(), ApiKeyEnv = "KEY_VAR" };
        var resolved = LlmEndpoint.Resolve(config, name => name == "KEY_VAR" ? Key : null)!
            .WithRetryDelays(TimeSpan.FromMilliseconds(20), maxDelay ?? TimeSpan.FromSeconds(5));
        return new LlmClient(resolved, _usage, _time);
    }

    private static ChatTurn[] Messages(string text = "hello") => [new("system", "be brief"), new("user", text)];

    /// <summary>
    /// Moves the fake clock on in steps until <paramref name="task"/> ends, each step once every attempt the client sent
    /// has reached the server (so no attempt's time runs out before the server saw it, however slow the machine).
    /// </summary>
    private async Task<T> DriveAsync<T>(Task<T> task, TimeSpan step, int maxSteps = 2000)
    {
        for (var i = 0; i < maxSteps && !task.IsCompleted; i++)
        {
            await Task.WhenAny(task, Task.Delay(5));
            if (!task.IsCompleted && _server.RequestCount >= _usage.Attempts)
            {
                _time.Advance(step);
            }
        }

        return await task;
    }

    [Fact]
    public async Task Complete_AnAnswerWithNoChoices_IsAGarbledAnswer_NotACrashOfTheRun()
    {
        _server.Responder = _ => FakeReply.Raw("""{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"test-model","choices":[]}""");
        using var client = Client();

        var e = await Assert.ThrowsAsync<LlmException>(() => client.CompleteAsync(Messages(), CancellationToken.None));

        Assert.False(e.IsFatal);
        Assert.Equal(LlmException.InvalidAnswer, e.Reason);
        Assert.Contains("\"choices\" is empty", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", e.Message, StringComparison.Ordinal);
        Assert.False(e.IsAboutTheSample);
    }

    [Fact]
    public async Task Complete_GarbledAnswersInARow_StopTheRunAfterAFew_AsIdenticalRefusalsDo()
    {
        _server.Responder = _ => FakeReply.Raw("<html><body>Sign in to the proxy</body></html>");
        using var client = Client();

        for (var i = 1; i < LlmClient.RefusalsBeforeGivingUp; i++)
        {
            var lost = await Assert.ThrowsAsync<LlmException>(() => client.CompleteAsync(Messages($"q{i}"), CancellationToken.None));
            Assert.False(lost.IsFatal);
            Assert.Contains("is not a chat completion: it is not JSON", lost.Message, StringComparison.Ordinal);
        }

        var last = await Assert.ThrowsAsync<LlmException>(() => client.CompleteAsync(Messages("q5"), CancellationToken.None));
        Assert.True(last.IsFatal);
        Assert.Contains("5 such answers in a row", last.Message, StringComparison.Ordinal);
        Assert.Contains(_server.BaseUrl.Authority, last.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Complete_AnAnswerBetweenGarbledOnes_StartsTheCountAgain()
    {
        var n = 0;
        _server.Responder = _ => Interlocked.Increment(ref n) % 4 == 0 ? FakeReply.Answer("ok") : FakeReply.Raw("<html/>");
        using var client = Client();

        for (var i = 0; i < 12; i++)
        {
            try
            {
                await client.CompleteAsync(Messages($"q{i}"), CancellationToken.None);
            }
            catch (LlmException e)
            {
                Assert.False(e.IsFatal);
            }
        }
    }

    [Fact]
    public async Task Complete_AnEndlessAnswer_IsCutAtTheCap_NotHeldInMemory_AndNotAskedAgain()
    {
        _server.Responder = _ => new FakeReply { EndlessBody = true };
        using var client = Client();

        var e = await Assert.ThrowsAsync<LlmException>(() => client.CompleteAsync(Messages(), CancellationToken.None));

        Assert.Equal(LlmException.AnswerTooLarge, e.Reason);
        Assert.Contains("answer too large (over 16 MB", e.Message, StringComparison.Ordinal);
        Assert.False(e.IsFatal);
        Assert.False(e.IsAboutTheSample);
        Assert.Equal(1, _server.RequestCount);

        // What was read is the cap and what the sockets had in flight, not the endless rest.
        Assert.True(_server.EndlessBytesSent < 64L * 1024 * 1024, $"{_server.EndlessBytesSent:N0} bytes were taken");
        output.WriteLine($"endless answer: {_server.EndlessBytesSent:N0} bytes sent before the client stopped; peak working set of the test process {System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64:N0} bytes");
    }

    [Fact]
    public async Task Complete_AContentLengthOfTwoGigabytes_IsRefusedUnread_AsTooLarge()
    {
        _server.Responder = _ => new FakeReply { ClaimedLength = 2L * 1024 * 1024 * 1024 + 1 };
        using var client = Client();

        var e = await Assert.ThrowsAsync<LlmException>(() => client.CompleteAsync(Messages(), CancellationToken.None));

        Assert.Equal(LlmException.AnswerTooLarge, e.Reason);
        Assert.Contains("answer too large", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("buffer", e.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1, _server.RequestCount);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Complete_AnEndpointThatHangs_IsSaidToGiveNoAnswerWithinTheTimeout_NotToBeUnreachable(bool midBody)
    {
        _server.Responder = _ => new FakeReply { Hang = midBody ? HangPoint.MidBody : HangPoint.BeforeHeaders };
        using var client = Client(timeoutSeconds: 30, maxRetries: 1);

        var e = await Assert.ThrowsAsync<LlmException>(() => DriveAsync(client.CompleteAsync(Messages(), CancellationToken.None), TimeSpan.FromSeconds(5)));

        Assert.True(e.IsFatal);
        Assert.Equal("timeout", e.Reason);
        Assert.Contains("gave no answer within llm.timeout-seconds (30 s), 2 times", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("cannot be reached", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Operation canceled", e.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(2, _server.RequestCount);
    }

    [Fact]
    public async Task Complete_ALongRetryAfter_IsWaitedOnTheRunsClock_AndSaysUntilWhen()
    {
        _server.Responder = r => r.Attempt == 1 ? FakeReply.RateLimited(600) : FakeReply.Answer("ok");
        using var client = Client(maxDelay: TimeSpan.FromMinutes(15));
        var start = _time.GetUtcNow();

        var task = client.CompleteAsync(Messages(), CancellationToken.None);
        while (_usage.WaitingUntil is null && !task.IsCompleted)
        {
            await Task.WhenAny(task, Task.Delay(5));
        }

        Assert.Equal(start + TimeSpan.FromSeconds(600), _usage.WaitingUntil);
        Assert.Equal(1, _server.RequestCount);
        _time.Advance(TimeSpan.FromSeconds(599));
        await Task.WhenAny(task, Task.Delay(50));
        Assert.False(task.IsCompleted);
        Assert.Equal(1, _server.RequestCount);

        var answer = await DriveAsync(task, TimeSpan.FromSeconds(1));
        Assert.Equal("ok", answer.Text);
        Assert.Equal(2, _server.RequestCount);
    }

    [Theory]
    [InlineData("Unsupported parameter: 'seed' is not supported with this model.", false)]
    [InlineData("Invalid model name for this deployment", false)]
    [InlineData("This model's maximum context length is 8192 tokens. However, your messages resulted in 9000 tokens.", true)]
    [InlineData("The response was filtered due to the prompt triggering Azure OpenAI's content management policy.", true)]
    public async Task Complete_ARefusal_IsAVerdictOnTheSampleOnlyWhenItIsAboutItsContent(string refusal, bool aboutTheSample)
    {
        _server.Responder = _ => FakeReply.Fail(400, refusal);
        using var client = Client();

        var e = await Assert.ThrowsAsync<LlmException>(() => client.CompleteAsync(Messages(), CancellationToken.None));

        Assert.False(e.IsFatal);
        Assert.Equal(aboutTheSample, e.IsAboutTheSample);
    }

    [Fact]
    public async Task Complete_AKeyInTheEndpointsQuery_NeverAppearsInAMessage()
    {
        _server.Responder = _ => FakeReply.Fail(400, "bad request");
        using var client = Client(endpoint: _server.BaseUrl + "?api-key=azure-secret-123&sig=abc%2Bdef");

        var e = await Assert.ThrowsAsync<LlmException>(() => client.CompleteAsync(Messages(), CancellationToken.None));

        Assert.DoesNotContain("azure-secret-123", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("abc%2Bdef", e.Message, StringComparison.Ordinal);
        Assert.Contains("api-key=***", e.Message, StringComparison.Ordinal);
    }
}
