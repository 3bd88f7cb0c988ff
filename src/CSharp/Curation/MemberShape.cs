using System.Text;
using AutoRefiner.Core.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

using AutoRefiner.Core.Curation;

namespace AutoRefiner.CSharp.Curation;

/// <summary>
/// The shape of a member: its tokens with comments and layout dropped and every name that is not reached through a
/// dot renamed by order of first appearance, hashed. Members that differ only in their own, their parameters', their
/// fields' and their types' names — dnlib's <c>GetX_NoLock</c> initialisers, <c>ModifyAttributes</c> in
/// <c>FieldDef</c> and <c>PropertyDef</c> — have one shape; the APIs called (<c>.EnterWriteLock</c>), keywords,
/// operators and literals still tell members apart. Its tokens, shingled and MinHashed, find members of nearly one
/// shape too (overload families such as MoreLINQ's <c>EquiZip</c> and <c>ZipLongest</c> argument checks).
/// </summary>
internal static class MemberShape
{
    /// <summary>The shape key of <paramref name="member"/> (32 hex digits): equal for members of one shape.</summary>
    public static string Of(string member)
    {
        ArgumentNullException.ThrowIfNull(member);
        var sb = new StringBuilder(member.Length);
        foreach (var token in Tokens(member))
        {
            sb.Append(token).Append(' ');
        }

        return ContentHash.Of(sb.ToString());
    }

    /// <summary>The shape's tokens as 32-bit hashes, for MinHash: members of nearly one shape share most shingles.</summary>
    public static List<uint> Hashes(string member)
    {
        ArgumentNullException.ThrowIfNull(member);
        return [.. Tokens(member).Select(t => CodeTokens.Hash(t))];
    }

    private static IEnumerable<string> Tokens(string member)
    {
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        var afterDot = false;
        foreach (var token in SyntaxFactory.ParseTokens(member))
        {
            if (token.IsKind(SyntaxKind.EndOfFileToken))
            {
                yield break;
            }

            if (token.IsKind(SyntaxKind.IdentifierToken) && !afterDot)
            {
                if (!names.TryGetValue(token.ValueText, out var n))
                {
                    names[token.ValueText] = n = names.Count;
                }

                yield return "#" + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            else
            {
                yield return token.Text;
            }

            afterDot = token.IsKind(SyntaxKind.DotToken) || token.IsKind(SyntaxKind.MinusGreaterThanToken);
        }
    }
}
