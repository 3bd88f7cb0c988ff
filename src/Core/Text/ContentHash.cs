using System.Security.Cryptography;
using System.Text;

namespace AutoRefiner.Core.Text;

/// <summary>Stable ids: SHA-256 over whitespace-normalised text, as 32 hex digits.</summary>
public static class ContentHash
{
    /// <summary>
    /// Collapses every run of white space to one space and trims, so that the same code re-indented or with
    /// other line endings is the same content.
    /// </summary>
    public static string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sb = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var ch in text)
        {
            if (char.IsWhiteSpace(ch))
            {
                pendingSpace = sb.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                sb.Append(' ');
                pendingSpace = false;
            }

            sb.Append(ch);
        }

        return sb.ToString();
    }

    /// <summary>Hash of the normalised parts, separated so that ("ab","c") and ("a","bc") differ.</summary>
    public static string Of(params ReadOnlySpan<string> parts)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var part in parts)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(Normalize(part)));
            hash.AppendData([0]);
        }

        Span<byte> digest = stackalloc byte[32];
        hash.GetHashAndReset(digest);
        return Convert.ToHexStringLower(digest[..16]);
    }

    /// <summary>A number in [0, 1) derived from an id, stable across runs and machines.</summary>
    public static double UnitInterval(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var prefix = ulong.Parse(id.AsSpan(0, 13), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
        return prefix / (double)(1UL << 52);
    }
}
