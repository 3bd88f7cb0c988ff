using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace AutoRefiner.Harvester.Tests.Local;

/// <summary>Writes a git index (version 2) as git does, recording the given files' blob ids, for checkouts made by hand.</summary>
internal static class GitIndexFile
{
    public static byte[] For(params (string Path, string Content)[] files)
    {
        using var stream = new MemoryStream();
        stream.Write("DIRC"u8);
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(word, 2);
        stream.Write(word);
        BinaryPrimitives.WriteUInt32BigEndian(word, (uint)files.Length);
        stream.Write(word);
        foreach (var (path, content) in files.OrderBy(f => f.Path, StringComparer.Ordinal))
        {
            var bytes = Encoding.UTF8.GetBytes(content);
#pragma warning disable CA5350 // git's object id
            var blob = SHA1.HashData([.. Encoding.ASCII.GetBytes($"blob {bytes.Length}\0"), .. bytes]);
#pragma warning restore CA5350
            var name = Encoding.UTF8.GetBytes(path);
            var entry = new byte[(40 + 20 + 2 + name.Length + 1 + 7) & ~7];
            blob.CopyTo(entry, 40);
            BinaryPrimitives.WriteUInt16BigEndian(entry.AsSpan(60), (ushort)Math.Min(name.Length, 0xFFF));
            name.CopyTo(entry, 62);
            stream.Write(entry);
        }

        return stream.ToArray();
    }
}
