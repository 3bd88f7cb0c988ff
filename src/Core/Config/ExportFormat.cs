using System.Text.Json.Serialization;

namespace AutoRefiner.Core.Config;

/// <summary>A file format the dataset is written in (<c>export.formats</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ExportFormat>))]
public enum ExportFormat
{
    /// <summary>Apache Parquet, under <c>data/</c>.</summary>
    [JsonStringEnumMemberName("parquet")]
    Parquet,

    /// <summary>JSON Lines, under <c>jsonl/</c>.</summary>
    [JsonStringEnumMemberName("jsonl")]
    Jsonl,
}
