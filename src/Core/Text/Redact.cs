using System.Text.RegularExpressions;

namespace AutoRefiner.Core.Text;

/// <summary>Removes credentials from text that is shown or stored.</summary>
public static partial class Redact
{
    /// <summary>Drops the <c>user:password@</c> part of every URL in <paramref name="text"/>.</summary>
    public static string UserInfo(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return UrlUserInfo().Replace(text, "$1");
    }

    /// <summary>
    /// The shortest value treated as a secret. Real tokens and keys are far longer (GitHub 40, Hugging Face 37, OpenAI
    /// 51+); a shorter configured value (a placeholder such as <c>x</c> for a local server) would, if replaced wherever it
    /// occurs, scrub ordinary words ("E***ception") and hide the message instead of a secret.
    /// </summary>
    public const int MinSecretLength = 8;

    /// <summary>Replaces every occurrence of <paramref name="secret"/> in <paramref name="text"/> with <c>***</c>, when it is long enough to be one.</summary>
    public static string Secret(string text, string? secret)
    {
        ArgumentNullException.ThrowIfNull(text);
        return secret is { Length: >= MinSecretLength } ? text.Replace(secret, "***", StringComparison.Ordinal) : text;
    }

    /// <summary>
    /// Drops the <c>user:password@</c> part of every URL in <paramref name="text"/> and replaces the value of each of its
    /// query parameters with <c>***</c>: keys and signatures travel there too (<c>?key=</c>, <c>?api-key=</c>, <c>?sig=</c>),
    /// and no list of names would catch them all. The names stay, so a message still says which parameter it was.
    /// </summary>
    public static string Credentials(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Url().Replace(UserInfo(text), url => QueryValue().Replace(url.Value, "$1***"));
    }

    /// <summary>Text as a client may show it: without its own <paramref name="secret"/> (a token or key) and without credentials in URLs.</summary>
    public static string Shown(string text, string? secret) => Credentials(Secret(text, secret));

    [GeneratedRegex(@"([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@\s]*@")]
    private static partial Regex UrlUserInfo();

    [GeneratedRegex(@"[a-zA-Z][a-zA-Z0-9+.-]*://[^\s""'<>]+")]
    private static partial Regex Url();

    // A parameter's value runs to the next &, # or the end of the URL; a closing bracket or comma belongs to the sentence
    // around it (keys and url-encoded signatures hold none). Hiding it twice changes nothing.
    [GeneratedRegex(@"([?&][^=&#]*=)[^&#),;\]]*")]
    private static partial Regex QueryValue();
}
