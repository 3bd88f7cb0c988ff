using AutoRefiner.Core;
using AutoRefiner.Core.Config;

namespace AutoRefiner.Harvester.GitHub;

/// <summary>Where and how to reach GitHub: from <c>harvest.yml</c> and the standard environment variables.</summary>
/// <param name="ApiUri">API base (<c>GITHUB_API_URL</c>, default https://api.github.com/).</param>
/// <param name="WebUri">Web base for permalinks (https://github.com/, or the Enterprise host).</param>
/// <param name="Token">Token (<c>GITHUB_TOKEN</c>), or null for anonymous access. Never logged.</param>
/// <param name="Config">The <c>sources.github</c> section.</param>
internal sealed record GitHubSettings(Uri ApiUri, Uri WebUri, string? Token, GitHubSourceConfig Config)
{
    /// <summary>
    /// Reads the environment (<c>GITHUB_API_URL</c>, <c>GITHUB_TOKEN</c>, and <c>GITHUB_SERVER_URL</c> for the web host of
    /// permalinks); a malformed <c>GITHUB_API_URL</c> is a usage error.
    /// </summary>
    public static GitHubSettings FromEnvironment(GitHubSourceConfig config, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var api = environment("GITHUB_API_URL");
        Uri apiUri;
        if (string.IsNullOrWhiteSpace(api))
        {
            apiUri = new Uri("https://api.github.com/");
        }
        else if (!Uri.TryCreate(api.Trim(), UriKind.Absolute, out apiUri!) || apiUri.Scheme is not ("http" or "https"))
        {
            // The value is not echoed: it might carry credentials.
            throw AutoRefinerException.Usage("GITHUB_API_URL is not an http(s) URL");
        }
        else if (apiUri.Query.Length > 0 || apiUri.Fragment.Length > 0)
        {
            // Request paths are added to the base: a query there would be cut into them (…/api/api/v3/…).
            throw AutoRefinerException.Usage("GITHUB_API_URL has a query or fragment (?… or #…); give the API's base URL alone, such as https://github.example.com/api/v3");
        }
        else
        {
            apiUri = new Uri(apiUri.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/");
        }

        // Credentials belong in GITHUB_TOKEN; in the URL they would end up in permalinks, messages and cache keys.
        apiUri = WithoutUserInfo(apiUri);

        // GitHub Enterprise Server: the API lives under /api/v3 of the web host (as Octokit's GitHubClient assumes too).
        if (apiUri.Host != "api.github.com" && !apiUri.AbsolutePath.EndsWith("/api/v3/", StringComparison.Ordinal))
        {
            apiUri = new Uri(apiUri, "api/v3/");
        }

        var server = environment("GITHUB_SERVER_URL");
        var webUri = !string.IsNullOrWhiteSpace(server) && Uri.TryCreate(server.TrimEnd('/') + "/", UriKind.Absolute, out var serverUri) && serverUri.Scheme is "http" or "https"
            ? WithoutUserInfo(serverUri)
            : apiUri.Host == "api.github.com"
                ? new Uri("https://github.com/")
                : new Uri(apiUri.GetLeftPart(UriPartial.Authority) + "/");
        var token = environment("GITHUB_TOKEN");
        return new GitHubSettings(apiUri, webUri, string.IsNullOrWhiteSpace(token) ? null : token.Trim(), config);
    }

    private static Uri WithoutUserInfo(Uri uri) =>
        uri.UserInfo.Length == 0 ? uri : new UriBuilder(uri) { UserName = "", Password = "" }.Uri;

    /// <summary>The text without the token and without credentials in URLs (for any message that could echo a URL or a header).</summary>
    public string Redact(string text) => Core.Text.Redact.Shown(text, Token);

    /// <summary>The API base as messages show it: no query values (user-info is already dropped).</summary>
    public string ShownApiUri => Core.Text.Redact.Credentials(ApiUri.ToString());
}
