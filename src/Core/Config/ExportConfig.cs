namespace AutoRefiner.Core.Config;

/// <summary><c>export</c>.</summary>
public sealed record ExportConfig
{
    /// <summary>Known output formats.</summary>
    public static readonly IReadOnlyList<string> KnownFormats = ["parquet", "jsonl"];

    /// <summary>Known Parquet codecs.</summary>
    public static readonly IReadOnlyList<string> KnownCompressions = ["zstd", "snappy", "gzip", "none"];

    /// <summary>Output directory.</summary>
    public string Out { get; init; } = "out";

    /// <summary>Formats to write.</summary>
    public IReadOnlyList<string> Formats { get; init; } = ["parquet", "jsonl"];

    /// <summary>Share of rows in the test split, in [0, 1).</summary>
    public double TestSplit { get; init; } = 0.05;

    /// <summary>Parquet codec.</summary>
    public string Compression { get; init; } = "zstd";

    /// <summary>Rows per Parquet row group.</summary>
    public int RowGroupRows { get; init; } = 10_000;

    /// <summary>Rows per Parquet file before a new shard starts.</summary>
    public int ShardRows { get; init; } = 250_000;
}
