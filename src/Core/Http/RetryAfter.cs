using System.Globalization;

namespace AutoRefiner.Core.Http;

/// <summary>
/// The one reader of "how long the server asks us to wait", shared by the GitHub, Hub and LLM clients so that they
/// agree on every form a server uses: OpenAI's <c>retry-after-ms</c>, <c>Retry-After</c> as seconds or as an HTTP date
/// (RFC 9110 §10.2.3), and, for a spent rate limit (<c>x-ratelimit-remaining: 0</c>), GitHub's <c>x-ratelimit-reset</c>
/// in epoch seconds. The first form present wins, in that order (GitHub documents <c>Retry-After</c> before the reset).
/// </summary>
public static class RetryAfter
{
    /// <summary>
    /// Shortest wait read from a date: HTTP dates and epoch resets are whole seconds and the two clocks differ, so a
    /// moment already past (or this very second) still waits a second rather than asking again too early.
    /// </summary>
    public static readonly TimeSpan MinimumForADate = TimeSpan.FromSeconds(1);

    /// <summary>The wait <paramref name="response"/> asks for, measured on <paramref name="time"/>, or null when it names none.</summary>
    public static TimeSpan? Read(HttpResponseMessage response, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(time);
        if (Header(response, "retry-after-ms") is { } ms
            && double.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out var millis) && millis >= 0 && double.IsFinite(millis))
        {
            return TimeSpan.FromMilliseconds(millis);
        }

        switch (response.Headers.RetryAfter)
        {
            case { Delta: { } delta }:
                return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
            case { Date: { } date }:
                return Until(date, time);
        }

        if (Header(response, "x-ratelimit-remaining") is "0"
            && long.TryParse(Header(response, "x-ratelimit-reset"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var reset)
            && reset is > 0 and < 253402300799)
        {
            return Until(DateTimeOffset.FromUnixTimeSeconds(reset), time);
        }

        return null;
    }

    private static TimeSpan Until(DateTimeOffset moment, TimeProvider time)
    {
        var wait = moment - time.GetUtcNow();
        return wait > MinimumForADate ? wait : MinimumForADate;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault()?.Trim() : null;
}
