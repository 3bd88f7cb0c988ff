using AutoRefiner.Core.Config;
using AutoRefiner.Core.Pipeline;
using AutoRefiner.Generator.Llm;

namespace AutoRefiner.Generator.Tests.Llm;

public sealed class LlmClientTests : IAsyncLifetime
{
    private const string Key = "sk-test-7f3a9c1e5b2d4f6a8c0e";
    private readonly FakeOpenAiServer _server = new();
    private readonly LlmUsage _usage = new();
    private readonly SkippingTime _time = new();

    public Task InitializeAsync()
    {
        // The server's delays and the client's waits and time limits run on one clock that no test sleeps on.
        _server.Time = _time;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private LlmClient Client(LlmConfig? config = null, string? key = Key, Uri? url = null)
    {
        config ??= new LlmConfig { Model = "test-model", MaxTokens = 777, Temperature = 0.2, Seed = 42, MaxRetries = 3, TimeoutSeconds = 5 };
        config = config with { Endpoint = (url ?? _server.BaseUrl).ToString(), ApiKeyEnv = "KEY_VAR" };
        var endpoint = LlmEndpoint.Resolve(config, name => name == "KEY_VAR" ? key : null)!
            .WithRetryDelays(TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(5));
        return new LlmClient(endpoint, _usage, _time);
    }

    private static ChatTurn[] Messages(string text = "hello") => [new("system", "be brief"), new("user", text)];

    [Fact]
    public async Task Complete_ReturnsTheAnswerAndItsTokenUsage()
    {
        _server.Responder = _ => FakeReply.Answer("the answer", promptTokens: 11, completionTokens: 22);
        using var client = Client();

        var answer = await client.CompleteAsync(Messages(), CancellationToken.None);

        Assert.Equal("the answer", answer.Text);
        Assert.Equal(11, answer.PromptTokens);
        Assert.Equal(22, answer.CompletionTokens);
        Assert.Equal((1, 0, 1, 11, 22), (_usage.Answered, _usage.Retries, _usage.Attempts, _usage.PromptTokens, _usage.CompletionTokens));
    }

    [Fact]
    public async Task Complete_SendsModelMessagesAndParameters_WithTheLimitUnderBothNames()
    {
        using var client = Client();
        await client.CompleteAsync(Messages("the prompt"), CancellationToken.None);

        var request = Assert.Single(_server.Requests);
        Assert.Equal("/v1/chat/completions", request.Path);
        Assert.Equal("test-model", request.Model);
        Assert.Equal("the prompt", request.UserText);
        Assert.Equal("system", request.Json!["messages"]![0]!["role"]!.GetValue<string>());
        Assert.Equal(777, request.Number("max_completion_tokens"));
        Assert.Equal(777, request.Number("max_tokens")); // what Ollama and llama.cpp read
        Assert.Equal(0.2, request.Number("temperature")!.Value, 3);
        Assert.Equal(42, request.Number("seed"));
        Assert.Equal($"Bearer {Key}", request.Authorization);
    }

    [Fact]
    public async Task Complete_WithTheKeysVariableUnset_SendsNoAuthorizationHeader()
    {
        using var client = Client(key: null);
        await client.CompleteAsync(Messages(), CancellationToken.None);

        var request = Assert.Single(_server.Requests);
        Assert.Null(request.Authorization);
    }

    [Theory]
    [InlineData("gsk_abcdefghijklmnopqrstuvwxyz1234567890ABCDEFGHIJ")]
    [InlineData("hf_AbCdEfGhIjKlMnOpQrStUvWxYz012345")]
    [InlineData("ghp_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789")]
    [InlineData("github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz")]
    [InlineData("sk_live_abcdefghijklmnop")]
    [InlineData("xai-AbCdEfGhIjKlMnOpQrStUvWxYz")]
    [InlineData("Zx81Qw27Er63Ty45Ui09OpAsDfGhJkLmNb")]
    public void Resolve_AKeyPastedAsTheVariablesName_IsRefusedWithoutShowingIt(string pasted)
    {
        var config = new LlmConfig { Model = "m", Endpoint = _server.BaseUrl.ToString(), ApiKeyEnv = pasted };

        var e = Assert.Throws<AutoRefiner.Core.AutoRefinerException>(() => LlmEndpoint.Resolve(config, _ => "x"));

        Assert.Contains("not the key itself", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(pasted, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("OPENAI_API_KEY")]
    [InlineData("GROQ_API_KEY")]
    [InlineData("MY_VERY_LONG_COMPANY_OPENAI_API_KEY_2")]
    [InlineData("hf_token")]
    public void Resolve_AVariablesName_IsTaken(string name)
    {
        var config = new LlmConfig { Model = "m", Endpoint = _server.BaseUrl.ToString(), ApiKeyEnv = name };

        Assert.NotNull(LlmEndpoint.Resolve(config, _ => null));
    }

    [Fact]
    public async Task Complete_RateLimited_WaitsWhatRetryAfterSaysThenSucceeds()
    {
        _server.Responder = r => r.Attempt == 1 ? FakeReply.RateLimited(1) : FakeReply.Answer("ok");
        using var client = Client();

        var answer = await client.CompleteAsync(Messages(), CancellationToken.None);

        Assert.Equal("ok", answer.Text);
        Assert.Equal([TimeSpan.FromSeconds(1)], _time.Waits); // Retry-After: 1, on the client's clock
        Assert.Equal((2, 1), (_usage.Attempts, _usage.Retries));
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(408)]
    public async Task Complete_TransientStatus_IsRetried(int status)
    {
        _server.Responder = r => r.Attempt <= 2 ? FakeReply.Fail(status) : FakeReply.Answer("ok");
        using var client = Client();

        Assert.Equal("ok", (await client.CompleteAsync(Messages(), CancellationToken.None)).Text);
        Assert.Equal(3, _server.RequestCount);
        Assert.Equal(2, _usage.Retries);
    }

    [Fact]
    public async Task Complete_SlowAnswerPastTheTimeout_IsAbandonedAndRetried()
    {
        _server.Responder = r => r.Attempt == 1 ? FakeReply.Answer("late") with { Delay = TimeSpan.FromSeconds(4) } : FakeReply.Answer("on time");
        using var client = Client(new LlmConfig { Model = "m", TimeoutSeconds = 1, MaxRetries = 2 });

        Assert.Equal("on time", (await client.CompleteAsync(Messages(), CancellationToken.None)).Text);
        Assert.Equal(1, _usage.Retries);
    }

    [Fact]
    public async Task Complete_DroppedConnection_IsRetried()
    {
        _server.Responder = r => r.Attempt == 1 ? FakeReply.Dropped() : FakeReply.Answer("ok");
        using var client = Client();

        Assert.Equal("ok", (await client.CompleteAsync(Messages(), CancellationToken.None)).Text);
        Assert.Equal(1, _usage.Retries);
    }

    /// <summary>OpenAI's own refusals, word for word (their 400 bodies), for the parameters some endpoints will not take.</summary>
    private static FakeReply OpenAiRefusal(string message, string param) => FakeReply.Fail(400, message) with { ErrorParam = param };

    [Fact]
    public async Task Complete_AnEndpointRefusingBothLimitFields_GetsMaxCompletionTokensAlone_FromThenOn()
    {
        // What api.openai.com answers to max_tokens next to max_completion_tokens (and volcengine, and others).
        _server.Responder = r => r.Number("max_tokens") is not null && r.Number("max_completion_tokens") is not null
            ? OpenAiRefusal("Setting 'max_tokens' and 'max_completion_tokens' at the same time is not supported.", "max_tokens")
            : FakeReply.Answer("ok");
        using var client = Client();

        Assert.Equal("ok", (await client.CompleteAsync(Messages("one"), CancellationToken.None)).Text);
        Assert.Equal("ok", (await client.CompleteAsync(Messages("two"), CancellationToken.None)).Text);

        Assert.Equal(3, _server.RequestCount); // one refusal, then every request the way the endpoint takes it
        Assert.All(_server.Requests.Skip(1), r => Assert.Equal((null, 777), (r.Number("max_tokens"), r.Number("max_completion_tokens"))));
        Assert.Equal(LlmClient.TokenLimitField.MaxCompletionTokens, client.TokenLimit);
    }

    [Fact]
    public async Task Complete_AnEndpointThatDoesNotKnowMaxCompletionTokens_GetsMaxTokensAlone()
    {
        _server.Responder = r => r.Number("max_completion_tokens") is not null
            ? OpenAiRefusal("Unrecognized request argument supplied: max_completion_tokens", "max_completion_tokens")
            : FakeReply.Answer("ok");
        using var client = Client();

        Assert.Equal("ok", (await client.CompleteAsync(Messages(), CancellationToken.None)).Text);

        Assert.Equal((777, null), (_server.Requests[^1].Number("max_tokens"), _server.Requests[^1].Number("max_completion_tokens")));
    }

    [Fact]
    public async Task Complete_AReasoningModelRefusingTheTemperatureAndMaxTokens_IsAskedAgainWithoutThem()
    {
        // OpenAI's o-series and gpt-5 models: max_tokens is refused, then any temperature but their own.
        _server.Responder = r => r.Number("max_tokens") is not null
            ? OpenAiRefusal("Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.", "max_tokens")
            : r.Number("temperature") is not null
                ? OpenAiRefusal("Unsupported value: 'temperature' does not support 0.2 with this model. Only the default (1) value is supported.", "temperature")
                : FakeReply.Answer("ok");
        using var client = Client();

        Assert.Equal("ok", (await client.CompleteAsync(Messages(), CancellationToken.None)).Text);

        var last = _server.Requests[^1];
        Assert.Equal((null, 777, null), (last.Number("max_tokens"), last.Number("max_completion_tokens"), last.Number("temperature")));
        Assert.False(client.SendsTemperature);
        Assert.Equal(3, _server.RequestCount);
    }

    [Fact]
    public async Task Complete_MaxTokensFieldPinnedToMaxCompletionTokens_SendsItAlone()
    {
        using var client = Client(new LlmConfig { Model = "gpt-x", MaxTokens = 777, MaxTokensField = "max_completion_tokens" });

        await client.CompleteAsync(Messages(), CancellationToken.None);

        Assert.Equal((null, 777), (_server.Requests[^1].Number("max_tokens"), _server.Requests[^1].Number("max_completion_tokens")));
    }

    [Fact]
    public async Task Complete_APinnedLimitField_IsNeverChanged_AndTheRefusalCostsThatRequest()
    {
        _server.Responder = r => r.Number("max_tokens") is not null && r.Number("max_completion_tokens") is not null
            ? OpenAiRefusal("Setting 'max_tokens' and 'max_completion_tokens' at the same time is not supported.", "max_tokens")
            : FakeReply.Answer("ok");
        using var client = Client(new LlmConfig { Model = "test-model", MaxTokens = 777, Temperature = 0.2, MaxRetries = 3, TimeoutSeconds = 5, MaxTokensField = "both" });

        var e = await Assert.ThrowsAsync<LlmException>(() => client.CompleteAsync(Messages(), CancellationToken.None));

        Assert.Equal("rejected-400", e.Reason);
        Assert.Equal(1, _server.RequestCount);
        Assert.Equal(LlmClient.TokenLimitField.Both, client.TokenLimit);
    }

    [Fact]
    public async Task Complete_AnEndpointRefusingEveryRequest_StopsTheRunAfterAFew()
    {
        _server.Responder = _ => FakeReply.Fail(400, "tools are not supported by this model");
        using var client = Client();

        for (var i = 1; i < LlmClient.RefusalsBeforeGivingUp; i++)
        {
            Assert.False((await Assert.ThrowsAsync<LlmException>(() => client.CompleteAsync(Messages(), CancellationToken.None))).IsFatal);
        }

        var last = await Assert.ThrowsAsync<LlmException>(() => client.CompleteAsync(Messages(), CancellationToken.None));
        Assert.True(last.IsFatal);
        Assert.Contains("refused 5 requests in a row the same way, answering none of them", last.Message, StringComparison.Ordinal);
        Assert.Contains("tools are not supported", last.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Complete_RefusalsAboutOneRequestsSize_NeverStopTheRun_EvenBeforeAnyAnswer()
    {
        // Oversized seeds refused in milliseconds while the first real answer takes seconds: other seeds may still pass.
        var n = 0;
        _server.Responder = _ => FakeReply.Fail(400, $"This model's maximum context length is 8192 tokens. However, your messages resulted in {9000 + Interlocked.Increment(ref n)} tokens.");
        using var client = Client();

        for (var i = 0; i < 2 * LlmClient.RefusalsBeforeGivingUp; i++)
        {
            Assert.False((await Assert.ThrowsAsync<LlmException>(() => client.CompleteAsync(Messages(), CancellationToken.None))).IsFatal);
        }
    }

    [Fact]
    public async Task Complete_ATooLargeLimit_IsNotMistakenForARefusedFieldName()
    {
        _server.Responder = _ => OpenAiRefusal("'max_tokens' or 'max_completion_tokens' is too large: 777. This model's maximum context length is 512 tokens.", "max_tokens");
        using var client = Client();

        var e = await Assert.ThrowsAsync<LlmException>(() => client.CompleteAsync(Messages(), CancellationToken.None));

        Assert.Equal("rejected-400", e.Reason);
        Assert.Equal(1, _server.RequestCount);
        Assert.Equal(LlmClient.TokenLimitField.Both, client.TokenLimit);
        Assert.True(client.SendsTemperature);
    }

    [Fact]
    public async Task Complete_RefusalsAfterAnAnswer_CostOnlyTheirOwnRequests()
    {
        using var client = Client();
        await client.CompleteAsync(Messages(), CancellationToken.None);
        _server.Responder = _ => FakeReply.Fail(400, "This model's maximum context length is 8192 tokens.");

        for (var i = 0; i < 2 * LlmClient.RefusalsBeforeGivingUp; i++)
        {
            Assert.False((await Assert.ThrowsAsync<LlmException>(() => client.CompleteAsync(Messages(), CancellationToken.None))).IsFatal);
        }
    }

    [Fact]
    public async Task Complete_EmptyOkAnswer_IsRetried()
    {
        _server.Responder = r => r.Attempt == 1 ? FakeReply.Raw("") : FakeReply.Answer("ok");
        using var client = Client();

        Assert.Equal("ok", (await client.CompleteAsync(Messages(), CancellationToken.None)).Text);
        Assert.Equal(1, _usage.Retries);
    }

    [Fact]
    public async Task Complete_OkAnswerThatIsNotAChatCompletion_FailsThatRequestOnly()
    {
        _server.Responder = _ => FakeReply.Raw("<html>gateway</html>");
        using var client = Client();

        var e = await Assert.ThrowsAsync<LlmException>(() => client.CompleteAsync(Messages(), CancellationToken.None));

        Assert.False(e.IsFatal);
        Assert.Equal("invalid-answer", e.Reason);
    }

    [Fact]
    public async Task Complete_EndpointDownForGood_IsFatalAfterItsRetries()
    {
        _server.Responder = _ => FakeReply.Fail(503, "overloaded");
        using var client = Client();

        var e = await Assert.ThrowsAsync<LlmException>(() => client.CompleteAsync(Messages(), CancellationToken.None));

        Assert.True(e.IsFatal);
        Assert.Equal(4, _server.RequestCount); // 1 + llm.max-retries 3
        Assert.Contains("503", e.Message, StringComparison.Ordinal);
        Assert.Contains("4 attempts", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Complete_NothingListening_IsFatalWithAClearMessage()
    {
        var dead = new Uri($"http://127.0.0.1:{FreePort()}/v1/");
        using var client = Client(url: dead);

        var e = await Assert.ThrowsAsync<LlmException>(() => client.CompleteAsync(Messages(), CancellationToken.None));

        Assert.True(e.IsFatal);
        Assert.Contains("cannot be reached", e.Message, StringComparison.Ordinal);
        Assert.Contains(dead.Authority, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Complete_KeyRefused_IsFatal_AndTheKeyNeverAppearsEvenWhenTheServerEchoesIt()
    {
        _server.Responder = r => FakeReply.Fail(401, $"Incorrect API key provided: {r.Authorization}");
        using var client = Client();

        var e = await Assert.ThrowsAsync<LlmException>(() => client.CompleteAsync(Messages(), CancellationToken.None));

        Assert.True(e.IsFatal);
        Assert.Contains("KEY_VAR", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, e.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, _server.RequestCount); // a refused key is not retried
    }

    [Fact]
    public async Task Complete_RequestRejected_FailsThatRequestOnly()
    {
        _server.Responder = _ => FakeReply.Fail(400, "This model's maximum context length is 8192 tokens");
        using var client = Client();

        var e = await Assert.ThrowsAsync<LlmException>(() => client.CompleteAsync(Messages(), CancellationToken.None));

        Assert.False(e.IsFatal);
        Assert.Equal("rejected-400", e.Reason);
        Assert.Contains("maximum context length", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Complete_WithoutAKey_StillReachesAServerThatNeedsNone()
    {
        using var client = Client(key: null);

        await client.CompleteAsync(Messages(), CancellationToken.None);

        Assert.Single(_server.Requests);
    }

    [Theory]
    [InlineData("http://llm.example.com/v1", true)]
    [InlineData("https://llm.example.com/v1", false)]
    [InlineData("http://127.0.0.1:11434/v1", false)]
    [InlineData("http://localhost:11434/v1", false)]
    public void Resolve_AKeyOverPlainHttpToAnotherMachine_IsRefused(string url, bool refused)
    {
        var config = new LlmConfig { Endpoint = url, Model = "m", ApiKeyEnv = "K" };

        var e = Record.Exception(() => LlmEndpoint.Resolve(config, name => name == "K" ? Key : null));

        Assert.Equal(refused, e is Core.AutoRefinerException);
        if (refused)
        {
            Assert.Contains("would travel unencrypted", e!.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(Key, e.Message, StringComparison.Ordinal);
        }
    }

    private static int FreePort()
    {
        var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        var port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }
}
