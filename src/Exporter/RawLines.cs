using System.Buffers;
using System.Runtime.CompilerServices;

namespace AutoRefiner.Exporter;

/// <summary>
/// Splits a stream into its lines as bytes, each with its own line ending (<c>\n</c>, <c>\r\n</c>, or none for a last
/// line without one), so that a line can be written back exactly as it was read.
/// </summary>
internal static class RawLines
{
    private const int BufferSize = 64 * 1024;

    /// <summary>The lines of <paramref name="stream"/>, terminators included; the bytes are the caller's.</summary>
    public static async IAsyncEnumerable<byte[]> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var buffer = new byte[BufferSize];
        var pending = new ArrayBufferWriter<byte>();
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            var start = 0;
            while (start < read)
            {
                var newline = Array.IndexOf(buffer, (byte)'\n', start, read - start);
                if (newline < 0)
                {
                    pending.Write(buffer.AsSpan(start, read - start));
                    break;
                }

                pending.Write(buffer.AsSpan(start, newline + 1 - start));
                start = newline + 1;
                yield return pending.WrittenSpan.ToArray();
                pending.ResetWrittenCount();
            }
        }

        if (pending.WrittenCount > 0)
        {
            yield return pending.WrittenSpan.ToArray();
        }
    }

    /// <summary>A line without its terminator.</summary>
    public static ReadOnlyMemory<byte> Content(ReadOnlyMemory<byte> line)
    {
        var span = line.Span;
        var end = span.Length;
        if (end > 0 && span[end - 1] == (byte)'\n')
        {
            end--;
        }

        if (end > 0 && span[end - 1] == (byte)'\r')
        {
            end--;
        }

        return line[..end];
    }

    /// <summary>Whether a line holds only spaces, tabs and line endings.</summary>
    public static bool IsBlank(ReadOnlySpan<byte> line) => line.IndexOfAnyExcept(" \t\r\n\f"u8) < 0;
}
