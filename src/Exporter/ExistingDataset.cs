using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using AutoRefiner.Core;
using Parquet;
using Parquet.Schema;
using Parquet.Serialization;

namespace AutoRefiner.Exporter;

/// <summary>A row of a dataset read by <see cref="ExistingDataset"/>.</summary>
/// <param name="Index">0-based position in the file.</param>
/// <param name="Fields">Top-level fields as plain values: strings, numbers, lists, dictionaries.</param>
/// <param name="Problem">Why the row could not be read (a line that is not JSON), or null.</param>
public sealed record DatasetRecord(long Index, IReadOnlyDictionary<string, object?> Fields, string? Problem)
{
    /// <summary>The JSONL line as it was (kept so passing rows are written back byte for byte).</summary>
    internal string? Line { get; init; }

    /// <summary>The Parquet row as the reader gave it (written back with the file's own schema).</summary>
    internal Dictionary<string, object?>? ParquetRow { get; init; }
}

/// <summary>
/// Reads an existing SFT dataset — JSONL (one object per line) or Parquet — row by row without holding it whole, and
/// writes a subset of its rows in the same format: JSONL lines verbatim, Parquet with the file's own schema.
/// </summary>
public static class ExistingDataset
{
    /// <summary>Whether the file is Parquet (else JSONL), by its extension.</summary>
    public static bool IsParquet(string path) => Path.GetExtension(path).Equals(".parquet", StringComparison.OrdinalIgnoreCase);

    /// <summary>Streams the rows of <paramref name="path"/>.</summary>
    public static IAsyncEnumerable<DatasetRecord> ReadAsync(string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        return IsParquet(path) ? ReadParquetAsync(path, cancellationToken) : ReadJsonlAsync(path, cancellationToken);
    }

    private static async IAsyncEnumerable<DatasetRecord> ReadJsonlAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(path, new UTF8Encoding(false, throwOnInvalidBytes: false), detectEncodingFromByteOrderMarks: true);
        long index = 0;
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Trim().Length == 0)
            {
                continue;
            }

            Dictionary<string, object?>? fields = null;
            string? problem = null;
            try
            {
                using var document = JsonDocument.Parse(line, new JsonDocumentOptions { MaxDepth = 64 });
                if (document.RootElement.ValueKind == JsonValueKind.Object)
                {
                    fields = (Dictionary<string, object?>)Plain(document.RootElement)!;
                }
                else
                {
                    problem = $"line {index + 1} is a JSON {document.RootElement.ValueKind.ToString().ToLowerInvariant()}, not an object";
                }
            }
            catch (JsonException e)
            {
                problem = $"line {index + 1} is not JSON: {e.Message}";
            }

            yield return new DatasetRecord(index++, fields ?? [], problem) { Line = line };
        }
    }

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
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or ArgumentException or InvalidOperationException)
        {
            throw AutoRefinerException.Usage($"{path} is not a readable Parquet file: {e.Message}");
        }

        long index = 0;
        for (var group = 0; group < groups; group++)
        {
            // One row group at a time: memory follows the row group, not the file.
            await using var stream = File.OpenRead(path);
            var result = await ParquetSerializer.DeserializeUntypedAsync(stream, null, group, cancellationToken).ConfigureAwait(false);
            foreach (var row in result.Data)
            {
                yield return new DatasetRecord(index++, row.ToDictionary(kv => kv.Key, kv => (object?)kv.Value, StringComparer.Ordinal), null) { ParquetRow = row! };
            }
        }
    }

    /// <summary>Opens a writer for the rows kept from <paramref name="input"/>, in its format, at <paramref name="output"/>.</summary>
    public static async Task<IKeptRowsWriter> CreateWriterAsync(string input, string output, CancellationToken cancellationToken)
    {
        if (!IsParquet(input))
        {
            return new JsonlKeptRows(output);
        }

        try
        {
            await using var stream = File.OpenRead(input);
            await using var reader = await ParquetReader.CreateAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
            return new ParquetKeptRows(output, reader.Schema);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or ArgumentException or InvalidOperationException)
        {
            throw AutoRefinerException.Usage($"{input} is not a readable Parquet file: {e.Message}");
        }
    }

    private sealed class JsonlKeptRows(string path) : IKeptRowsWriter
    {
        private readonly StreamWriter _writer = new(path, append: false, new UTF8Encoding(false)) { NewLine = "\n" };

        public async ValueTask AddAsync(DatasetRecord record, CancellationToken cancellationToken) =>
            await _writer.WriteLineAsync(record.Line.AsMemory(), cancellationToken).ConfigureAwait(false);

        public async ValueTask DisposeAsync() => await _writer.DisposeAsync().ConfigureAwait(false);
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
