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

    [GeneratedRegex(@"([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@\s]*@")]
    private static partial Regex UrlUserInfo();
}
