using System.Net;
using AutoRefiner.Core;
using AutoRefiner.Harvester.GitHub;

namespace AutoRefiner.Harvester.Tests.GitHub;

public sealed class RateLimitHandlerTests
{
    /// <summary>Answers from a script, one response per request.</summary>
    private sealed class Script(params Func<HttpResponseMessage>[] answers) : HttpMessageHandler
    {
        private int _next;

        public int Calls => _next;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(answers[Math.Min(_next++, answers.Length - 1)]());
    }

    private readonly SkippingTime _time = new();

    private (HttpClient Client, List<string> Notices) Client(Script script, TimeSpan? maxWait = null)
    {
        var notices = new List<string>();
        var handler = new RateLimitHandler(_time, maxWait ?? TimeSpan.FromMinutes(1), notices.Add) { InnerHandler = script };
        return (new HttpClient(handler), notices);
    }

    private static HttpResponseMessage Answer(HttpStatusCode status, string body = "{}", Action<HttpResponseMessage>? change = null)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(body) };
        change?.Invoke(response);
        return response;
    }

    [Fact]
    public async Task Send_PlainForbidden_IsPassedOnWithoutRetrying()
    {
        var script = new Script(() => Answer(HttpStatusCode.Forbidden, "{\"message\":\"Resource not accessible by integration\"}"));
        var (client, notices) = Client(script);

        var response = await client.GetAsync(new Uri("http://127.0.0.1/api/v3/repos/o/r"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(1, script.Calls);
        Assert.Empty(notices);
    }

    [Fact]
    public async Task Send_PrimaryLimitSpentIn403_WaitsForTheResetThenRetries()
    {
        var reset = _time.GetUtcNow().AddSeconds(15).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var script = new Script(
            () => Answer(HttpStatusCode.Forbidden, "{\"message\":\"API rate limit exceeded\"}", r =>
            {
                r.Headers.Add("X-RateLimit-Remaining", "0");
                r.Headers.Add("X-RateLimit-Reset", reset);
            }),
            () => Answer(HttpStatusCode.OK));
        var (client, notices) = Client(script);

        var response = await client.GetAsync(new Uri("http://127.0.0.1/api/v3/rate"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, script.Calls);
        Assert.Equal("GitHub rate limit: waiting 15 s before retrying /api/v3/rate", Assert.Single(notices));
        Assert.Equal([TimeSpan.FromSeconds(15)], _time.Waits);
    }

    [Fact]
    public async Task Send_ServerErrorsAndDroppedConnections_AreRetriedOnTheRunsClockFiveTimesInAll()
    {
        var script = new Script(
            () => throw new HttpRequestException("reset", null, HttpStatusCode.BadGateway),
            () => Answer(HttpStatusCode.BadGateway),
            () => Answer(HttpStatusCode.ServiceUnavailable, "{}", r => r.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(7))),
            () => Answer(HttpStatusCode.BadGateway),
            () => Answer(HttpStatusCode.BadGateway));
        var (client, notices) = Client(script);

        var response = await client.GetAsync(new Uri("http://127.0.0.1/api/v3/repos/o/r"));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode); // the fifth answer is passed on
        Assert.Equal(RateLimitHandler.MaxAttempts, script.Calls);
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(8)], _time.Waits);
        Assert.StartsWith("GitHub connection failed", notices[0], StringComparison.Ordinal);
        Assert.Equal("GitHub answered 503: retrying /api/v3/repos/o/r in 7 s", notices[2]);
    }

    [Fact]
    public async Task Send_SecondaryLimitWithoutRetryAfter_BacksOffAMinuteWhichTheMaximumForbids()
    {
        var script = new Script(() => Answer(HttpStatusCode.Forbidden, "{\"message\":\"You have exceeded a secondary rate limit.\"}"));
        var (client, _) = Client(script, maxWait: TimeSpan.FromSeconds(30));

        var e = await Assert.ThrowsAsync<AutoRefinerException>(() => client.GetAsync(new Uri("http://127.0.0.1/api/v3/search/repositories")));

        Assert.Contains("run again after", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, script.Calls);
    }

    [Fact]
    public async Task Send_ArchiveLabelledApplicationGzip_IsRelabelledSoOctokitStreamsIt()
    {
        var script = new Script(() =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent([0x1f, 0x8b]) };
            response.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/gzip");
            return response;
        });
        var (client, _) = Client(script);

        var response = await client.GetAsync(new Uri("http://127.0.0.1/codeload/o/r/legacy.tar.gz/main"));

        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Send_WaitLongerThanOctokitsRequestTimeoutAllows_IsLeftToTheCaller()
    {
        var script = new Script(() => Answer(HttpStatusCode.TooManyRequests, "{}", r => r.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(90))));
        var (client, _) = Client(script, maxWait: TimeSpan.FromMinutes(5));

        var e = await Assert.ThrowsAsync<GitHubWaitException>(() => client.GetAsync(new Uri("http://127.0.0.1/api/v3/repos/o/r")));

        Assert.Equal(TimeSpan.FromSeconds(90), e.Wait);
        Assert.Equal(1, script.Calls);
    }

    [Fact]
    public async Task Send_SearchBudgetSpent_DoesNotHoldBackOtherRequests()
    {
        var reset = _time.GetUtcNow().AddMinutes(10).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var script = new Script(
            () => Answer(HttpStatusCode.OK, "{}", r =>
            {
                r.Headers.Add("X-RateLimit-Remaining", "0");
                r.Headers.Add("X-RateLimit-Reset", reset);
                r.Headers.Add("X-RateLimit-Resource", "search");
            }),
            () => Answer(HttpStatusCode.OK));
        var (client, _) = Client(script, maxWait: TimeSpan.FromMinutes(30));

        await client.GetAsync(new Uri("http://127.0.0.1/api/v3/search/repositories?q=x"));
        var core = await client.GetAsync(new Uri("http://127.0.0.1/api/v3/repos/o/r"));

        Assert.Equal(HttpStatusCode.OK, core.StatusCode);
        await Assert.ThrowsAsync<GitHubWaitException>(() => client.GetAsync(new Uri("http://127.0.0.1/api/v3/search/repositories?q=y")));
    }
}
