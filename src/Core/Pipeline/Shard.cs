using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AutoRefiner.Core.Pipeline;

/// <summary>
/// One of <see cref="Count"/> parts of a harvest (<c>--shard i/n</c>): a repository belongs to the shard its name
/// hashes to, so n machines given the same sources take disjoint shares that add up to the whole, with no coordination.
/// </summary>
/// <param name="Index">This part, 0-based.</param>
/// <param name="Count">Parts in all.</param>
public sealed record Shard(int Index, int Count)
{
    /// <summary>Parses <c>i/n</c> (0 ≤ i &lt; n); null with a reason when it is not that.</summary>
    public static Shard? Parse(string text, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('/');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            && count >= 1 && index < count)
        {
            problem = null;
            return new Shard(index, count);
        }

        problem = $"--shard takes i/n with 0 <= i < n (e.g. 0/3, the first of three), not '{text}'";
        return null;
    }

    /// <summary>Whether the repository (<c>owner/name</c>, or a local tree's name) is in this shard.</summary>
    public bool Includes(string repository)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(repository.Trim().ToLowerInvariant()));
        return (int)(BitConverter.ToUInt64(hash, 0) % (ulong)Count) == Index;
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Index}/{Count}");
}
