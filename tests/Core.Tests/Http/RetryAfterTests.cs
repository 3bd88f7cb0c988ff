using System.Net;
using AutoRefiner.Core.Http;
using Microsoft.Extensions.Time.Testing;

namespace AutoRefiner.Core.Tests.Http;

public sealed class RetryAfterTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 7, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Now);

    private static HttpResponseMessage Answer(params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response;
    }

    [Theory]
    [InlineData("Retry-After", "7", 7)]
    [InlineData("Retry-After", "0", 0)]
    [InlineData("retry-after-ms", "1500", 1.5)]
    [InlineData("Retry-After", "Sun, 06 Dec 2026 07:00:30 GMT", 30)]
    [InlineData("Retry-After", "Sun, 06 Dec 2026 06:59:00 GMT", 1)]
    public void Read_EachFormAServerUses_GivesItsWait(string header, string value, double seconds)
    {
        using var response = Answer((header, value));

        Assert.Equal(TimeSpan.FromSeconds(seconds), RetryAfter.Read(response, _time));
    }

    [Fact]
    public void Read_RetryAfterMs_WinsOverRetryAfter_WhichWinsOverTheRateLimitReset()
    {
        var reset = (Now + TimeSpan.FromMinutes(10)).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var all = Answer(("retry-after-ms", "250"), ("Retry-After", "9"), ("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", reset));
        using var two = Answer(("Retry-After", "9"), ("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", reset));
        using var one = Answer(("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", reset));

        Assert.Equal(TimeSpan.FromMilliseconds(250), RetryAfter.Read(all, _time));
        Assert.Equal(TimeSpan.FromSeconds(9), RetryAfter.Read(two, _time));
        Assert.Equal(TimeSpan.FromMinutes(10), RetryAfter.Read(one, _time));
    }

    [Fact]
    public void Read_ARateLimitResetWhileRequestsRemain_IsNoWait()
    {
        var reset = (Now + TimeSpan.FromMinutes(10)).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var response = Answer(("x-ratelimit-remaining", "12"), ("x-ratelimit-reset", reset));

        Assert.Null(RetryAfter.Read(response, _time));
    }

    [Fact]
    public void Read_TheResetMeasuredOnTheInjectedClock_MovesWithIt()
    {
        var reset = (Now + TimeSpan.FromMinutes(10)).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var response = Answer(("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", reset));

        _time.Advance(TimeSpan.FromMinutes(4));

        Assert.Equal(TimeSpan.FromMinutes(6), RetryAfter.Read(response, _time));
    }

    [Theory]
    [InlineData("retry-after-ms", "soon")]
    [InlineData("retry-after-ms", "-5")]
    [InlineData("Retry-After", "tomorrow")]
    [InlineData("x-ratelimit-reset", "1800000000")]
    public void Read_NothingItCanUse_IsNull(string header, string value)
    {
        using var response = Answer((header, value));

        Assert.Null(RetryAfter.Read(response, _time));
    }
}
