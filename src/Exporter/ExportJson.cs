using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AutoRefiner.Exporter;

/// <summary>The JSON settings of every file written: snake_case names, readable non-ASCII text.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(DatasetRow))]
[JsonSerializable(typeof(RejectedRow))]
[JsonSerializable(typeof(Manifest))]
[JsonSerializable(typeof(Configs.PreferenceRow))]
[JsonSerializable(typeof(Configs.FeedbackRow))]
internal sealed partial class ExportJson : JsonSerializerContext
{
    /// <summary>Context for JSONL lines (one line per object; non-ASCII text of the BMP kept as is, other characters escaped).</summary>
    public static ExportJson Lines { get; } = new(MakeOptions(indented: false));

    /// <summary>Context for the manifest (indented).</summary>
    public static ExportJson Indented { get; } = new(MakeOptions(indented: true));

    private static JsonSerializerOptions MakeOptions(bool indented) => new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = indented,
    };
}
