using System.Text.Json.Serialization.Metadata;
using Parquet;

namespace AutoRefiner.Exporter.Configs;

/// <summary>
/// Writes the rows of one more config beside the default one, split like it: Parquet shards in
/// <c>data/&lt;config&gt;/&lt;split&gt;-00000-of-0000N.parquet</c> and <c>jsonl/&lt;config&gt;/&lt;split&gt;.jsonl</c>.
/// </summary>
internal sealed class ConfigWriter<T>(string staging, string config, JsonTypeInfo<T> json, ParquetOptions? parquet, bool jsonl, int rowGroupRows, int shardRows) : IAsyncDisposable
    where T : class, new()
{
    private readonly Dictionary<string, ParquetShardWriter<T>> _parquet = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonlWriter<T>> _jsonl = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, long> _rows = new(StringComparer.Ordinal);

    /// <summary>The config's name.</summary>
    public string Name => config;

    /// <summary>Rows written per split.</summary>
    public SortedDictionary<string, long> Rows => _rows;

    /// <summary>Writes one row into <paramref name="split"/>.</summary>
    public async ValueTask AddAsync(string split, T row, CancellationToken cancellationToken)
    {
        _rows[split] = _rows.GetValueOrDefault(split) + 1;
        if (parquet is not null)
        {
            if (!_parquet.TryGetValue(split, out var writer))
            {
                _parquet[split] = writer = new ParquetShardWriter<T>(Path.Combine(staging, "data", config), split, parquet, rowGroupRows, shardRows);
            }

            await writer.AddAsync(row, cancellationToken);
        }

        if (jsonl)
        {
            if (!_jsonl.TryGetValue(split, out var writer))
            {
                _jsonl[split] = writer = new JsonlWriter<T>(Path.Combine(staging, "jsonl", config, $"{split}.jsonl"), json);
            }

            writer.Write(row);
        }
    }

    /// <summary>Closes every file; returns (path, rows) of each.</summary>
    public async Task<List<(string Path, long? Rows)>> CompleteAsync(CancellationToken cancellationToken)
    {
        var files = new List<(string, long?)>();
        foreach (var writer in _parquet.Values)
        {
            foreach (var (path, rows) in await writer.CompleteAsync(cancellationToken))
            {
                files.Add((path, rows));
            }

            await writer.DisposeAsync();
        }

        foreach (var writer in _jsonl.Values)
        {
            files.Add((writer.FilePath, writer.Lines));
            await writer.DisposeAsync();
        }

        _parquet.Clear();
        _jsonl.Clear();
        return files;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var writer in _parquet.Values)
        {
            await writer.DisposeAsync();
        }

        foreach (var writer in _jsonl.Values)
        {
            await writer.DisposeAsync();
        }
    }
}
