using System.Text.RegularExpressions;

namespace AutoRefiner.Core.Config;

/// <summary>
/// The names the Hub takes, checked before any of them becomes part of a URL: a repository id (<c>owner/name</c>) and a
/// revision (a branch name). <c>../x</c> would otherwise reach another API path with the token.
/// </summary>
public static partial class HubNames
{
    /// <summary>Longest owner or name the Hub accepts.</summary>
    public const int MaxPartLength = 96;

    /// <summary>Why <paramref name="repo"/> is not a Hub repository id (owner/name), or null when it is one.</summary>
    public static string? RepoIdProblem(string repo)
    {
        ArgumentNullException.ThrowIfNull(repo);
        var parts = repo.Split('/');
        if (parts.Length != 2)
        {
            return "must be owner/name (one slash)";
        }

        foreach (var (part, what) in new[] { (parts[0], "the owner"), (parts[1], "the name") })
        {
            if (part.Length is 0 or > MaxPartLength)
            {
                return $"{what} must be 1 to {MaxPartLength} characters long";
            }

            if (!RepoPart().IsMatch(part))
            {
                return $"{what} may hold only letters, digits, '-', '_' and '.'";
            }

            if (part.Contains("--", StringComparison.Ordinal) || part.Contains("..", StringComparison.Ordinal))
            {
                return $"{what} must not hold '--' or '..'";
            }

            if (part[0] is '-' or '.' || part[^1] is '-' or '.')
            {
                return $"{what} must not start or end with '-' or '.'";
            }
        }

        return parts[1].EndsWith(".git", StringComparison.OrdinalIgnoreCase) ? "the name must not end with .git" : null;
    }

    /// <summary>Why <paramref name="revision"/> is not a branch name git and the Hub accept, or null when it is one.</summary>
    public static string? RevisionProblem(string revision)
    {
        ArgumentNullException.ThrowIfNull(revision);
        if (revision.Length is 0 or > 255)
        {
            return "must be 1 to 255 characters long";
        }

        if (revision.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '~' or '^' or ':' or '?' or '*' or '[' or '\\' or '#' or '%'))
        {
            return "must not hold spaces, control characters or any of ~ ^ : ? * [ \\ # %";
        }

        if (revision.Contains("..", StringComparison.Ordinal) || revision.Contains("//", StringComparison.Ordinal) || revision.Contains("@{", StringComparison.Ordinal))
        {
            return "must not hold '..', '//' or '@{'";
        }

        if (revision[0] is '/' or '.' or '-' || revision[^1] is '/' or '.' || revision == "@" || revision.EndsWith(".lock", StringComparison.Ordinal)
            || revision.Split('/').Any(part => part.StartsWith('.')))
        {
            return "must not start with '/', '.' or '-', end with '/', '.' or '.lock', or have a part starting with '.'";
        }

        return null;
    }

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex RepoPart();
}
