using System.Text.Json;
using System.Text.Json.Serialization;
using AutoRefiner.Core.Model;

namespace AutoRefiner.State;

/// <summary>How a judged sample is kept in the state store: the whole record, as JSON.</summary>
internal static class JudgedJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The JSON of a judged sample.</summary>
    public static string Write(Judged judged) => JsonSerializer.Serialize(judged, Options);

    /// <summary>A judged sample from its JSON.</summary>
    public static Judged Read(string json) =>
        JsonSerializer.Deserialize<Judged>(json, Options) ?? throw new JsonException("an empty judged sample");
}
