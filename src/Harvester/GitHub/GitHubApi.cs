using AutoRefiner.Core;
using AutoRefiner.Core.Pipeline;
using Octokit;
using Polly;
using Polly.Retry;

namespace AutoRefiner.Harvester.GitHub;

/// <summary>
/// The GitHub connection a harvest shares between its search and its repository cache: Octokit over the rate-limit
/// handler, long waits retried with the run's clock, failures turned into sentences, skipped repositories counted.
/// </summary>
internal sealed class GitHubApi : IDisposable
{
    private readonly GitHubSettings _settings;
    private readonly TimeProvider _time;
    private readonly RunStats _stats;
    private readonly RateLimitHandler _handler;
    private readonly ResiliencePipeline _longWaits;

    /// <summary>Wraps <paramref name="client"/>, whose connection goes through <paramref name="handler"/>.</summary>
    public GitHubApi(GitHubClient client, RateLimitHandler handler, GitHubSettings settings, TimeProvider time, RunStats stats)
    {
        Client = client;
        _handler = handler;
        _settings = settings;
        _time = time;
        _stats = stats;
        _longWaits = BuildLongWaits();
    }

    /// <summary>Octokit's client.</summary>
    public GitHubClient Client { get; }

    /// <summary>HTTP requests sent so far (retries and redirects included).</summary>
    public int Requests => _handler.Requests;

    /// <summary>
    /// Runs one Octokit call (to <paramref name="what"/>, an API path for messages): waits out long rate limits with the
    /// run's token and asks again, and turns the failures a user can act on into sentences (never with the token): an
    /// answer too large, one that is not the JSON GitHub documents, none within Octokit's time limit. Other API errors
    /// reach the caller, which skips that repository.
    /// </summary>
    public async Task<T> Call<T>(Func<Task<T>> call, string what, CancellationToken cancellationToken)
    {
        try
        {
            return await _longWaits.ExecuteAsync(async token => await call().WaitAsync(token), cancellationToken);
        }
        catch (AuthorizationException)
        {
            throw AutoRefinerException.Usage(_settings.Token is null
                ? $"GitHub ({_settings.ShownApiUri}) refused an anonymous request (401): set GITHUB_TOKEN to a token that can read public repositories"
                : $"GitHub ({_settings.ShownApiUri}) rejected GITHUB_TOKEN (401 Bad credentials): check that the token is valid and not expired");
        }
        catch (RateLimitExceededException e)
        {
            throw AutoRefinerException.RunFailed(
                $"the GitHub API rate limit is spent until {e.Reset.UtcDateTime:yyyy-MM-dd HH:mm} UTC; nothing was written; run again after that{(_settings.Token is null ? " (or set GITHUB_TOKEN for a higher limit)" : "")}");
        }
        catch (HttpRequestException e)
        {
            throw AutoRefinerException.RunFailed($"cannot reach GitHub at {_settings.ShownApiUri}: {_settings.Redact(e.Message)}");
        }
        catch (GitHubAnswerException e)
        {
            throw AutoRefinerException.RunFailed($"{_settings.Redact(e.Message)} (GitHub at {_settings.ShownApiUri})");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw AutoRefinerException.RunFailed(
                $"GitHub ({_settings.ShownApiUri}) gave no answer to {_settings.Redact(what)} within Octokit's limit of {OctokitTimeout.TotalSeconds:F0} s per request");
        }
        catch (Exception e) when (e is System.Runtime.Serialization.SerializationException or InvalidCastException or FormatException or OverflowException or System.Text.Json.JsonException)
        {
            // Octokit's deserialiser fails on an HTML page from a proxy, JSON cut short, or fields of the wrong type.
            throw AutoRefinerException.RunFailed(
                $"GitHub ({_settings.ShownApiUri}) answered {_settings.Redact(what)} with something that is not the JSON it documents (cut short, or a page from a proxy?)");
        }
    }

    /// <summary>
    /// Waits too long to spend inside one Octokit request (<see cref="GitHubWaitException"/>) are waited here, with the
    /// run's token and clock, and the call is made again: the same pipeline shape as the handler's, one level up.
    /// </summary>
    private ResiliencePipeline BuildLongWaits() => new ResiliencePipelineBuilder { TimeProvider = _time }
        .AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = RateLimitHandler.MaxAttempts - 1,
            ShouldHandle = new PredicateBuilder().Handle<GitHubWaitException>(),
            DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(((GitHubWaitException)args.Outcome.Exception!).Wait),
            OnRetry = args =>
            {
                var wait = (GitHubWaitException)args.Outcome.Exception!;
                _handler.EnsureWithinMaxWait(wait.Wait, wait.Message);
                _stats.Notice($"{wait.Message}: waiting {wait.Wait.TotalMinutes:F1} min before asking again");
                _stats.WaitFor("GitHub's rate limit", _time.GetUtcNow() + wait.Wait);
                return ValueTask.CompletedTask;
            },
        })
        .Build();

    /// <summary>How long Octokit lets one request take (its <c>Request.Timeout</c>), waits inside the handler included.</summary>
    private static readonly TimeSpan OctokitTimeout = TimeSpan.FromSeconds(100);

    /// <summary>Counts a repository passed over and tells the user why (never with the token).</summary>
    public void Skip(string repo, string reason, string why)
    {
        _stats.SkipRepository(reason);
        _stats.Notice($"skipped {repo}: {_settings.Redact(why)}");
    }

    /// <summary>An API error that concerns one repository (451, blocked, empty, a 5xx that did not pass): it is skipped.</summary>
    public void SkipFailed(string repo, ApiException e) =>
        Skip(repo, $"http-{(int)e.StatusCode}", $"GitHub answered {(int)e.StatusCode}: {_settings.Redact(e.Message)}");

    /// <inheritdoc />
    public void Dispose() => _handler.Dispose();
}
