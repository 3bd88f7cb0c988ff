namespace AutoRefiner.Exporter;

/// <summary>The formats <see cref="ExistingDataset"/> reads, told by a file's content rather than its name.</summary>
public enum DatasetFormat
{
    /// <summary>JSON Lines: one JSON object per line.</summary>
    Jsonl,

    /// <summary>Apache Parquet: <c>PAR1</c> at the start and at the end of the file.</summary>
    Parquet,
}
