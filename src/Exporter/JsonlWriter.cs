using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace AutoRefiner.Exporter;

/// <summary>Writes one JSON object per line (UTF-8, <c>\n</c> line ends).</summary>
internal sealed class JsonlWriter<T> : IAsyncDisposable
{
    private readonly FileStream _stream;
    private readonly Utf8JsonWriter _writer;
    private readonly JsonTypeInfo<T> _type;

    public JsonlWriter(string path, JsonTypeInfo<T> type)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        _stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        _writer = new Utf8JsonWriter(_stream, new JsonWriterOptions { Encoder = type.Options.Encoder, SkipValidation = true });
        _type = type;
        FilePath = path;
    }

    /// <summary>Where it writes.</summary>
    public string FilePath { get; }

    /// <summary>Lines written.</summary>
    public long Lines { get; private set; }

    /// <summary>Writes one object as a line.</summary>
    public void Write(T value)
    {
        JsonSerializer.Serialize(_writer, value, _type);
        _writer.Flush();
        _writer.Reset();
        _stream.WriteByte((byte)'\n');
        Lines++;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync();
        await _stream.DisposeAsync();
    }
}
