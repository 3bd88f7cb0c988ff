using System.Text.Json;
using Parquet;
using Parquet.Serialization;

namespace AutoRefiner.Exporter.Tests.Support;

/// <summary>Reads what the writer wrote.</summary>
internal static class Files
{
    public static async Task<List<DatasetRow>> ReadParquetAsync(string path)
    {
        await using var stream = File.OpenRead(path);
        var result = await ParquetSerializer.DeserializeAsync<DatasetRow>(stream);
        return [.. result.Data];
    }

    public static async Task<List<DatasetRow>> ReadParquetAsync(IEnumerable<string> paths)
    {
        var rows = new List<DatasetRow>();
        foreach (var path in paths)
        {
            rows.AddRange(await ReadParquetAsync(path));
        }

        return rows;
    }

    public static List<DatasetRow> ReadJsonl(string path) =>
        [.. File.ReadLines(path).Select(line => JsonSerializer.Deserialize(line, ExportJson.Lines.DatasetRow)!)];

    public static List<JsonElement> ReadJsonlElements(string path) => [.. File.ReadLines(path).Select(Parse)];

    public static JsonElement ReadJson(string path) => Parse(File.ReadAllText(path));

    /// <summary>Parses JSON into an element that outlives its (pooled) document.</summary>
    public static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    /// <summary>The Parquet files of a split, in name order.</summary>
    public static string[] Shards(string outDirectory, string split)
    {
        var data = Path.Combine(outDirectory, "data");
        return Directory.Exists(data)
            ? [.. Directory.GetFiles(data, split + "-*.parquet").Order(StringComparer.Ordinal)]
            : [];
    }

    /// <summary>A row as one JSON line: compares every column at once (created_at included, with its UTC marker).</summary>
    public static string AsJson(DatasetRow row) => JsonSerializer.Serialize(row, ExportJson.Lines.DatasetRow);

    public static async Task<ParquetReader> OpenReaderAsync(string path) => await ParquetReader.CreateAsync(path);
}
