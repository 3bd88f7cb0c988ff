using System.Text.Json.Serialization;

namespace AutoRefiner.Core.Config;

/// <summary>The compression of Parquet pages (<c>export.compression</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ParquetCodec>))]
public enum ParquetCodec
{
    /// <summary>Zstandard: the smallest files at a good speed; the default.</summary>
    [JsonStringEnumMemberName("zstd")]
    Zstd,

    /// <summary>Snappy: the fastest to write and read.</summary>
    [JsonStringEnumMemberName("snappy")]
    Snappy,

    /// <summary>Gzip: for readers without Zstandard.</summary>
    [JsonStringEnumMemberName("gzip")]
    Gzip,

    /// <summary>No compression.</summary>
    [JsonStringEnumMemberName("none")]
    None,
}
