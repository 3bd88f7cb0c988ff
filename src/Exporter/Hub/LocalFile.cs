using System.Net;
using System.Security.Cryptography;

namespace AutoRefiner.Exporter.Hub;

/// <summary>A file of the output folder to push: its path in the repository, its size and SHA-256, streamed from disk.</summary>
public sealed class LocalFile
{
    private LocalFile(string fullPath, string path, long size, string sha256)
    {
        FullPath = fullPath;
        Path = path;
        Size = size;
        Sha256 = sha256;
    }

    /// <summary>Where it is on disk.</summary>
    public string FullPath { get; }

    /// <summary>Its path in the repository (forward slashes).</summary>
    public string Path { get; }

    /// <summary>Bytes.</summary>
    public long Size { get; }

    /// <summary>SHA-256 of the content (hex), the LFS object id.</summary>
    public string Sha256 { get; }

    /// <summary>Reads size and hash by streaming the file (never whole in memory).</summary>
    public static async Task<LocalFile> ReadAsync(string fullPath, string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan | FileOptions.Asynchronous);
        var hash = await SHA256.HashDataAsync(stream, cancellationToken);
        return new LocalFile(fullPath, path, stream.Length, Convert.ToHexStringLower(hash));
    }

    /// <summary>The first 512 bytes (what <c>preupload</c> wants to see).</summary>
    public async Task<byte[]> SampleAsync(CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(FullPath);
        var buffer = new byte[Math.Min(512, Size)];
        await stream.ReadExactlyAsync(buffer, cancellationToken);
        return buffer;
    }

    /// <summary>A request body of <paramref name="length"/> bytes from <paramref name="offset"/>, read from disk as it is sent.</summary>
    public HttpContent Content(long offset, long length, Action<long> sent) => new RangeContent(FullPath, offset, length, sent);

    private sealed class RangeContent(string path, long offset, long length, Action<long> sent) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan | FileOptions.Asynchronous);
            file.Position = offset;
            var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 16);
            try
            {
                var left = length;
                while (left > 0)
                {
                    var n = await file.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), cancellationToken);
                    if (n == 0)
                    {
                        throw new IOException($"{path} became shorter while it was being uploaded");
                    }

                    await stream.WriteAsync(buffer.AsMemory(0, n), cancellationToken);
                    left -= n;
                    sent(n);
                }
            }
            finally
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override bool TryComputeLength(out long result)
        {
            result = length;
            return true;
        }
    }
}
