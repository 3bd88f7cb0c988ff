using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace AutoRefiner.Harvester.Local;

/// <summary>
/// The blob ids git's index (<c>.git/index</c>, versions 2 and 3) records for the files of a checkout, to tell a file that
/// is as committed from one changed or never added: only the former may carry the HEAD commit and a permalink, since a
/// link to the commit would show other lines than the row. A file is "as committed" when its blob id (the hash of
/// <c>blob &lt;length&gt;\0</c> and its bytes, what <c>git hash-object</c> prints) is the index's. An index the tool cannot
/// read (missing, version 4, damaged) vouches for no file.
/// </summary>
internal sealed class GitIndex
{
    private readonly Dictionary<string, byte[]> _blobs;
    private readonly int _hashLength;

    private GitIndex(Dictionary<string, byte[]> blobs, int hashLength) => (_blobs, _hashLength) = (blobs, hashLength);

    /// <summary>The index of the checkout whose top is <paramref name="top"/>, read once; null when it cannot be read.</summary>
    /// <param name="top">The checkout's top folder.</param>
    /// <param name="hashLength">20 for SHA-1 repositories, 32 for SHA-256 ones (from the length of the HEAD commit).</param>
    public static GitIndex? Read(string top, int hashLength)
    {
        try
        {
            var bytes = File.ReadAllBytes(Path.Combine(SourceRootReader.GitDir(top), "index"));
            return Parse(bytes, hashLength) is { } blobs ? new GitIndex(blobs, hashLength) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return null;
        }
    }

    private static Dictionary<string, byte[]>? Parse(byte[] bytes, int hashLength)
    {
        if (bytes.Length < 12 || Encoding.ASCII.GetString(bytes, 0, 4) != "DIRC")
        {
            return null;
        }

        var version = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(4));
        var count = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(8));
        if (version is not (2 or 3))
        {
            return null;
        }

        var blobs = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var at = 12;
        for (var i = 0; i < count; i++)
        {
            // ctime, mtime, dev, ino, mode, uid, gid, size (40 bytes), the blob id, then 16 bits of flags.
            var start = at;
            if (at + 40 + hashLength + 2 > bytes.Length)
            {
                return null;
            }

            var blob = bytes.AsSpan(at + 40, hashLength).ToArray();
            var flags = BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(at + 40 + hashLength));
            at += 40 + hashLength + 2;
            if ((flags & 0x4000) != 0)
            {
                at += 2; // version 3's extended flags
            }

            var end = Array.IndexOf(bytes, (byte)0, at);
            if (end < 0)
            {
                return null;
            }

            var path = Encoding.UTF8.GetString(bytes, at, end - at);
            var stage = (flags >> 12) & 0x3;
            if (stage == 0)
            {
                blobs[path] = blob;
            }

            // Entries are padded with NULs to a multiple of eight bytes (at least one NUL).
            var length = end - start + 1;
            at = start + ((length + 7) & ~7);
        }

        return blobs;
    }

    /// <summary>True when the file at <paramref name="fullPath"/> is recorded at <paramref name="relativePath"/> with the same content.</summary>
    public bool IsAsCommitted(string relativePath, string fullPath)
    {
        if (!_blobs.TryGetValue(relativePath, out var recorded))
        {
            return false;
        }

        try
        {
            var content = File.ReadAllBytes(fullPath);
            var header = Encoding.ASCII.GetBytes($"blob {content.Length}\0");
            var all = new byte[header.Length + content.Length];
            header.CopyTo(all, 0);
            content.CopyTo(all, header.Length);
#pragma warning disable CA5350 // git names its objects by SHA-1: this is an identity, not a security check.
            var hash = _hashLength == 32 ? SHA256.HashData(all) : SHA1.HashData(all);
#pragma warning restore CA5350
            return hash.AsSpan().SequenceEqual(recorded);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
