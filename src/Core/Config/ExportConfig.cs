namespace AutoRefiner.Core.Config;

/// <summary><c>export</c>.</summary>
public sealed record ExportConfig
{
    /// <summary>Output formats by their names in harvest.yml.</summary>
    public static readonly IReadOnlyDictionary<string, ExportFormat> KnownFormats =
        new Dictionary<string, ExportFormat>(StringComparer.Ordinal) { ["parquet"] = ExportFormat.Parquet, ["jsonl"] = ExportFormat.Jsonl };

    /// <summary>Parquet codecs by their names in harvest.yml.</summary>
    public static readonly IReadOnlyDictionary<string, ParquetCodec> KnownCompressions = new Dictionary<string, ParquetCodec>(StringComparer.Ordinal)
    {
        ["zstd"] = ParquetCodec.Zstd,
        ["snappy"] = ParquetCodec.Snappy,
        ["gzip"] = ParquetCodec.Gzip,
        ["none"] = ParquetCodec.None,
    };

    /// <summary>Output directory.</summary>
    public string Out { get; init; } = "out";

    /// <summary>Formats to write.</summary>
    public IReadOnlyList<ExportFormat> Formats { get; init; } = [ExportFormat.Parquet, ExportFormat.Jsonl];

    /// <summary>Share of rows in the test split, in [0, 1).</summary>
    public double TestSplit { get; init; } = 0.05;

    /// <summary>Parquet codec.</summary>
    public ParquetCodec Compression { get; init; } = ParquetCodec.Zstd;

    /// <summary>Rows per Parquet row group.</summary>
    public int RowGroupRows { get; init; } = 10_000;

    /// <summary>Rows per Parquet file before a new shard starts.</summary>
    public int ShardRows { get; init; } = 250_000;
}
