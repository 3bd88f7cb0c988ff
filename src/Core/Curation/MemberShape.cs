using System.Text;
using AutoRefiner.Core.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AutoRefiner.Core.Curation;

/// <summary>
/// The shape of a member: its tokens with comments and layout dropped and every name that is not reached through a
/// dot renamed by order of first appearance, hashed. Members that differ only in their own, their parameters', their
/// fields' and their types' names — dnlib's <c>GetX_NoLock</c> initialisers, <c>ModifyAttributes</c> in
/// <c>FieldDef</c> and <c>PropertyDef</c> — have one shape; the APIs called (<c>.EnterWriteLock</c>), keywords,
/// operators and literals still tell members apart.
/// </summary>
public static class MemberShape
{
    /// <summary>The shape key of <paramref name="member"/> (32 hex digits).</summary>
    public static string Of(string member)
    {
        ArgumentNullException.ThrowIfNull(member);
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        var sb = new StringBuilder(member.Length);
        var afterDot = false;
        foreach (var token in SyntaxFactory.ParseTokens(member))
        {
            if (token.IsKind(SyntaxKind.EndOfFileToken))
            {
                break;
            }

            if (token.IsKind(SyntaxKind.IdentifierToken) && !afterDot)
            {
                if (!names.TryGetValue(token.ValueText, out var n))
                {
                    names[token.ValueText] = n = names.Count;
                }

                sb.Append('#').Append(n);
            }
            else
            {
                sb.Append(token.Text);
            }

            sb.Append(' ');
            afterDot = token.IsKind(SyntaxKind.DotToken) || token.IsKind(SyntaxKind.MinusGreaterThanToken);
        }

        return ContentHash.Of(sb.ToString());
    }
}
