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
    /// Drops the <c>user:password@</c> part of every URL in <paramref name="text"/> and replaces the value of each of its
    /// query parameters with <c>***</c>: keys and signatures travel there too (<c>?key=</c>, <c>?api-key=</c>, <c>?sig=</c>),
    /// and no list of names would catch them all. The names stay, so a message still says which parameter it was.
    /// </summary>
    public static string Credentials(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Url().Replace(UserInfo(text), url => QueryValue().Replace(url.Value, "$1***"));
    }

    [GeneratedRegex(@"([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@\s]*@")]
    private static partial Regex UrlUserInfo();

    [GeneratedRegex(@"[a-zA-Z][a-zA-Z0-9+.-]*://[^\s""'<>]+")]
    private static partial Regex Url();

    // A parameter's value runs to the next &, # or the end of the URL; a closing bracket or comma belongs to the sentence
    // around it (keys and url-encoded signatures hold none). Hiding it twice changes nothing.
    [GeneratedRegex(@"([?&][^=&#]*=)[^&#),;\]]*")]
    private static partial Regex QueryValue();
}
