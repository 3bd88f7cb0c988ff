using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using AutoRefiner.Core;
using AutoRefiner.Core.Text;
using Parquet;
using Parquet.Schema;
using Parquet.Serialization;

namespace AutoRefiner.Exporter;

/// <summary>A row of a dataset read by <see cref="ExistingDataset"/>.</summary>
/// <param name="Index">0-based position among the file's rows (blank lines are not rows).</param>
/// <param name="Fields">Top-level fields as plain values: strings, numbers, lists, dictionaries.</param>
/// <param name="Problem">Why the row could not be read (a line that is not JSON), or null.</param>
public sealed record DatasetRecord(long Index, IReadOnlyDictionary<string, object?> Fields, string? Problem)
{
    /// <summary>The 1-based physical line of a JSONL row (blank lines counted), or null for Parquet.</summary>
    public long? LineNumber { get; init; }

    /// <summary>
    /// The JSONL line's bytes as they were, line ending included and byte order mark excluded (kept so passing rows are
    /// written back byte for byte).
    /// </summary>
    internal byte[]? RawLine { get; init; }

    /// <summary>The Parquet row as the reader gave it (written back with the file's own schema).</summary>
    internal Dictionary<string, object?>? ParquetRow { get; init; }
}

/// <summary>
/// Reads an existing SFT dataset — JSONL (one object per line) or Parquet, told apart by content — row by row without
/// holding it whole, and writes a subset of its rows in the same format: JSONL lines byte for byte, Parquet with the
/// file's own schema.
/// </summary>
public static class ExistingDataset
{
    private static readonly byte[] ParquetMagic = "PAR1"u8.ToArray();
    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];

    /// <summary>
    /// Tells the format of <paramref name="path"/> by its content (a name says nothing: a Parquet file may be called
    /// <c>.jsonl</c>): Parquet starts and ends with <c>PAR1</c>; JSON Lines starts with <c>{</c> (after an optional
    /// byte order mark and blank space), and an empty file is an empty JSONL file. Anything else is a usage error that
    /// says what the file looks like.
    /// </summary>
    public static DatasetFormat Detect(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.None);
            var head = new byte[512];
            var length = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            var start = head.AsSpan(0, length);
            if (start.StartsWith(ParquetMagic))
            {
                var tail = new byte[4];
                if (stream.Length >= 12)
                {
                    stream.Seek(-4, SeekOrigin.End);
                    stream.ReadExactly(tail);
                }

                return tail.AsSpan().SequenceEqual(ParquetMagic)
                    ? DatasetFormat.Parquet
                    : throw AutoRefinerException.Usage(
                        $"{path} is not a readable Parquet file: it starts with PAR1 but does not end with it (the file is cut short or damaged)");
            }

            var text = start.StartsWith(Utf8Bom) ? start[Utf8Bom.Length..] : start;
            var first = text.IndexOfAnyExcept(" \t\r\n\f"u8);
            if (first < 0 || text[first] == (byte)'{')
            {
                return DatasetFormat.Jsonl;
            }

            throw AutoRefinerException.Usage(
                $"{path} is neither JSON Lines (one JSON object per line, starting with '{{') nor Parquet (PAR1 at its start and end): it begins with {Describe(text[first..])}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw AutoRefinerException.Usage($"{path} cannot be read ({Reason(e)})");
        }
    }

    /// <summary>How many rows <paramref name="path"/> holds (non-blank lines of a JSONL file), read cheaply for progress.</summary>
    public static async Task<long> CountRowsAsync(string path, CancellationToken cancellationToken)
    {
        if (Detect(path) == DatasetFormat.Parquet)
        {
            try
            {
                await using var stream = File.OpenRead(path);
                await using var reader = await ParquetReader.CreateAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
                return reader.Metadata?.NumRows ?? 0;
            }
            catch (Exception e) when (e is not OperationCanceledException and not AutoRefinerException)
            {
                throw UnreadableParquet(path, "its footer (the schema and the index of its row groups) is damaged", e);
            }
        }

        await using var file = File.OpenRead(path);
        long rows = 0;
        await foreach (var line in RawLines.ReadAsync(file, cancellationToken).ConfigureAwait(false))
        {
            var content = rows == 0 && line.AsSpan().StartsWith(Utf8Bom) ? line.AsSpan(Utf8Bom.Length) : line;
            if (!RawLines.IsBlank(content))
            {
                rows++;
            }
        }

        return rows;
    }

    /// <summary>Streams the rows of <paramref name="path"/>.</summary>
    public static IAsyncEnumerable<DatasetRecord> ReadAsync(string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Detect(path) == DatasetFormat.Parquet ? ReadParquetAsync(path, cancellationToken) : ReadJsonlAsync(path, cancellationToken);
    }

    private static async IAsyncEnumerable<DatasetRecord> ReadJsonlAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        long index = 0, lineNumber = 0;
        await foreach (var raw in RawLines.ReadAsync(stream, cancellationToken).ConfigureAwait(false))
        {
            lineNumber++;
            // The byte order mark belongs to the file, not to its first row: the writer puts it back at the start.
            var line = lineNumber == 1 && raw.AsSpan().StartsWith(Utf8Bom) ? raw[Utf8Bom.Length..] : raw;
            var content = RawLines.Content(line);
            if (RawLines.IsBlank(content.Span))
            {
                continue;
            }

            Dictionary<string, object?>? fields = null;
            string? problem = null;
            try
            {
                using var document = JsonDocument.Parse(content, new JsonDocumentOptions { MaxDepth = 64 });
                if (document.RootElement.ValueKind == JsonValueKind.Object)
                {
                    fields = (Dictionary<string, object?>)Plain(document.RootElement)!;
                }
                else
                {
                    problem = $"line {lineNumber} is a JSON {document.RootElement.ValueKind.ToString().ToLowerInvariant()}, not an object";
                }
            }
            catch (JsonException e)
            {
                problem = $"line {lineNumber} is not JSON: {JsonProblem.Describe(e)}";
            }

            yield return new DatasetRecord(index++, fields ?? [], problem) { RawLine = line, LineNumber = lineNumber };
        }
    }

    private static string Describe(ReadOnlySpan<byte> start)
    {
        var end = start.IndexOfAny((byte)'\n', (byte)'\r');
        var text = Encoding.UTF8.GetString(start[..(end >= 0 ? end : start.Length)]);
        if (end < 0)
        {
            // Only the file's first bytes were read: a character cut at their end is not a sign of binary data.
            text = text.TrimEnd('\uFFFD');
        }

        if (text.Contains('\uFFFD', StringComparison.Ordinal) || text.Any(c => char.IsControl(c) && c != '\t'))
        {
            return "binary data";
        }

        var shown = text.Length > 40 ? text[..40] + "…" : text;
        var hint = text.TrimStart().StartsWith('[')
            ? " (a JSON array is not read: write one JSON object per line, JSONL)"
            : text.Contains(',', StringComparison.Ordinal) || text.Contains('\t', StringComparison.Ordinal) ? " (CSV or TSV is not read; convert it to JSONL)" : "";
        return $"'{shown}'{hint}";
    }

    private static string Reason(Exception e) => e switch
    {
        UnauthorizedAccessException => "permission denied",
        FileNotFoundException or DirectoryNotFoundException => "it does not exist",
        _ => "the system could not read it",
    };

    private static AutoRefinerException UnreadableParquet(string path, string what, Exception inner) =>
        AutoRefinerException.Usage($"{path} is not a readable Parquet file: {what}", inner);

    private static object? Plain(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().GroupBy(p => p.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => Plain(g.Last().Value), StringComparer.Ordinal),
        JsonValueKind.Array => element.EnumerateArray().Select(Plain).ToList(),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.TryGetInt64(out var l) ? l : element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    private static async IAsyncEnumerable<DatasetRecord> ReadParquetAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        int groups;
        try
        {
            await using var probe = File.OpenRead(path);
            await using var reader = await ParquetReader.CreateAsync(probe, cancellationToken: cancellationToken).ConfigureAwait(false);
            groups = reader.RowGroupCount;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A damaged file can make the reader fail in many ways (index out of range, a Thrift error, …); what the user
            // needs is which file and which part of it, not the reader's internals.
            throw UnreadableParquet(path, "its footer (the schema and the index of its row groups) is damaged", e);
        }

        long index = 0;
        for (var group = 0; group < groups; group++)
        {
            // One row group at a time: memory follows the row group, not the file.
            IList<Dictionary<string, object>> rows;
            try
            {
                await using var stream = File.OpenRead(path);
                rows = (await ParquetSerializer.DeserializeUntypedAsync(stream, null, group, cancellationToken).ConfigureAwait(false)).Data;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw UnreadableParquet(
                    path, $"row group {group + 1} of {groups} is damaged and its rows cannot be read", e);
            }

            foreach (var row in rows)
            {
                yield return new DatasetRecord(index++, row.ToDictionary(kv => kv.Key, kv => (object?)kv.Value, StringComparer.Ordinal), null) { ParquetRow = row! };
            }
        }
    }

    /// <summary>Opens a writer for the rows kept from <paramref name="input"/>, in its format, at <paramref name="output"/>.</summary>
    public static async Task<IKeptRowsWriter> CreateWriterAsync(string input, string output, CancellationToken cancellationToken)
    {
        if (Detect(input) == DatasetFormat.Jsonl)
        {
            var bom = new byte[Utf8Bom.Length];
            await using (var stream = File.OpenRead(input))
            {
                await stream.ReadAtLeastAsync(bom, bom.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            }

            return await JsonlKeptRows.CreateAsync(output, bom.AsSpan().SequenceEqual(Utf8Bom), cancellationToken).ConfigureAwait(false);
        }

        try
        {
            await using var stream = File.OpenRead(input);
            await using var reader = await ParquetReader.CreateAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
            return new ParquetKeptRows(output, reader.Schema);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw UnreadableParquet(input, "its footer (the schema and the index of its row groups) is damaged", e);
        }
    }

    /// <summary>Kept JSONL rows: each line's bytes as read (its own line ending), after the input's byte order mark if it had one.</summary>
    private sealed class JsonlKeptRows(FileStream stream) : IKeptRowsWriter
    {
        public static async Task<JsonlKeptRows> CreateAsync(string path, bool bom, CancellationToken cancellationToken)
        {
            var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024, useAsync: true);
            if (bom)
            {
                await stream.WriteAsync(Utf8Bom, cancellationToken).ConfigureAwait(false);
            }

            return new JsonlKeptRows(stream);
        }

        public async ValueTask AddAsync(DatasetRecord record, CancellationToken cancellationToken) =>
            await stream.WriteAsync(record.RawLine, cancellationToken).ConfigureAwait(false);

        public async ValueTask DisposeAsync() => await stream.DisposeAsync().ConfigureAwait(false);
    }

    private sealed class ParquetKeptRows(string path, ParquetSchema schema) : IKeptRowsWriter
    {
        private const int RowGroupRows = 10_000;
        private readonly List<IDictionary<string, object?>> _pending = [];
        private bool _written;

        public async ValueTask AddAsync(DatasetRecord record, CancellationToken cancellationToken)
        {
            // The reader gives binary columns as byte[]; the writer wants ReadOnlyMemory<byte>.
            var row = record.ParquetRow!;
            foreach (var (key, value) in row.ToList())
            {
                if (value is byte[] bytes)
                {
                    row[key] = (ReadOnlyMemory<byte>?)new ReadOnlyMemory<byte>(bytes);
                }
            }

            _pending.Add(row);
            if (_pending.Count >= RowGroupRows)
            {
                await FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        private async Task FlushAsync(CancellationToken cancellationToken)
        {
            if (_pending.Count == 0 && _written)
            {
                return;
            }

            await using var stream = new FileStream(path, _written ? FileMode.Open : FileMode.Create, FileAccess.ReadWrite);
            await ParquetSerializer.SerializeUntypedAsync(
                _pending, schema, stream, new ParquetOptions { Append = _written, CompressionMethod = CompressionMethod.Zstd, CompressionLevel = System.IO.Compression.CompressionLevel.Optimal }, null, cancellationToken).ConfigureAwait(false);
            _written = true;
            _pending.Clear();
        }

        public async ValueTask DisposeAsync() => await FlushAsync(CancellationToken.None).ConfigureAwait(false);
    }
}

/// <summary>Writes the rows a validation keeps, in the input's own format.</summary>
public interface IKeptRowsWriter : IAsyncDisposable
{
    /// <summary>Adds a row, in input order.</summary>
    ValueTask AddAsync(DatasetRecord record, CancellationToken cancellationToken);
}
