using System.Globalization;
using Parquet;
using Parquet.Serialization;

namespace AutoRefiner.Exporter;

/// <summary>
/// Streams one split into Parquet shards: rows are buffered up to a row group, each row group is appended to the
/// current shard, and a new shard starts when one holds <c>shardRows</c> rows. Shards get their Hub names
/// (<c>train-00000-of-00002.parquet</c>) when the count is known, at <see cref="CompleteAsync"/>.
/// </summary>
internal sealed class ParquetShardWriter<T>(string directory, string split, ParquetOptions options, int rowGroupRows, int shardRows) : IAsyncDisposable
    where T : class, new()
{
    private readonly List<T> _buffer = new(Math.Min(rowGroupRows, 65_536));
    private readonly List<(string Path, long Rows)> _shards = [];
    private FileStream? _current;
    private long _rowsInShard;

    /// <summary>Rows written so far.</summary>
    public long Rows { get; private set; }

    /// <summary>Adds a row; writes a row group when the buffer is full.</summary>
    public async ValueTask AddAsync(T row, CancellationToken cancellationToken)
    {
        _buffer.Add(row);
        Rows++;

        // A row group never crosses a shard boundary, so no file holds more than shardRows rows.
        var roomInShard = _current is null ? shardRows : shardRows - _rowsInShard;
        if (_buffer.Count >= Math.Min(rowGroupRows, roomInShard))
        {
            await FlushAsync(cancellationToken);
        }
    }

    /// <summary>Writes what is buffered, closes the last shard and renames the shards; returns (path, rows) of each.</summary>
    public async Task<IReadOnlyList<(string Path, long Rows)>> CompleteAsync(CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken);
        await CloseShardAsync();
        var named = new List<(string, long)>();
        for (var i = 0; i < _shards.Count; i++)
        {
            var final = Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"{split}-{i:D5}-of-{_shards.Count:D5}.parquet"));
            File.Move(_shards[i].Path, final, overwrite: true);
            named.Add((final, _shards[i].Rows));
        }

        return named;
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_buffer.Count == 0)
        {
            return;
        }

        if (_current is null)
        {
            Directory.CreateDirectory(directory);
            var path = Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"{split}-{_shards.Count:D5}.parquet.partial"));
            _current = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16);
            _shards.Add((path, 0));
            _rowsInShard = 0;
        }

        options.Append = _rowsInShard > 0;
        await ParquetSerializer.SerializeAsync(_buffer, _current, options, null, cancellationToken);
        _rowsInShard += _buffer.Count;
        _shards[^1] = (_shards[^1].Path, _rowsInShard);
        _buffer.Clear();
        if (_rowsInShard >= shardRows)
        {
            await CloseShardAsync();
        }
    }

    private async Task CloseShardAsync()
    {
        if (_current is not null)
        {
            await _current.DisposeAsync();
            _current = null;
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _current?.DisposeAsync() ?? ValueTask.CompletedTask;
}
