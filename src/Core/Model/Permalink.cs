namespace AutoRefiner.Core.Model;

/// <summary>
/// Links to a file at a commit, in the form its forge uses: GitHub (and GitHub Enterprise) <c>/blob/&lt;sha&gt;/path#L8-L18</c>,
/// GitLab <c>/-/blob/&lt;sha&gt;/path#L8-18</c>, Bitbucket <c>/src/&lt;sha&gt;/path#lines-8:18</c>. Only those forges get links
/// (see <c>SourceRootReader.ParseRemote</c>): a guessed form on another host would be a broken or misleading link.
/// </summary>
public static class Permalink
{
    /// <summary>The link to <paramref name="path"/> (slash-separated, escaped here) at <paramref name="commit"/> of the repository at <paramref name="webUrl"/>.</summary>
    public static string File(string webUrl, string commit, string path)
    {
        ArgumentNullException.ThrowIfNull(webUrl);
        ArgumentNullException.ThrowIfNull(path);
        var escaped = string.Join('/', path.Split('/').Select(Uri.EscapeDataString));
        return Host(webUrl) switch
        {
            "gitlab.com" => $"{webUrl}/-/blob/{commit}/{escaped}",
            "bitbucket.org" => $"{webUrl}/src/{commit}/{escaped}",
            _ => $"{webUrl}/blob/{commit}/{escaped}",
        };
    }

    /// <summary>A file link narrowed to lines <paramref name="start"/>–<paramref name="end"/>.</summary>
    public static string WithLines(string fileUrl, int start, int end)
    {
        ArgumentNullException.ThrowIfNull(fileUrl);
        return Host(fileUrl) switch
        {
            "gitlab.com" => $"{fileUrl}#L{start}-{end}",
            "bitbucket.org" => $"{fileUrl}#lines-{start}:{end}",
            _ => $"{fileUrl}#L{start}-L{end}",
        };
    }

    private static string Host(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.Host.ToLowerInvariant() : "";
}
