using System.Text.Json.Serialization;
using AutoRefiner.Core.Curation;
using AutoRefiner.Core.Model;

namespace AutoRefiner.Exporter;

/// <summary>A line of <c>rejected.jsonl</c>: the candidate's columns so far, its verdict, why, and its seed.</summary>
internal sealed class RejectedRow : DatasetRow
{
    /// <summary>The verdict (kebab-case).</summary>
    [JsonPropertyName("verdict")] public string Verdict { get; set; } = "";

    /// <summary>First diagnostics, failed test or symbol named.</summary>
    [JsonPropertyName("detail")] public string Detail { get; set; } = "";

    /// <summary>Id of the seed the candidate was made from.</summary>
    [JsonPropertyName("seed_id")] public string SeedId { get; set; } = "";

    /// <summary>Builds the line of a rejection.</summary>
    public static RejectedRow From(Judged judged, string lang, DateTime createdAtUtc)
    {
        ArgumentNullException.ThrowIfNull(judged);
        var row = Fill(new RejectedRow(), judged, SampleId.Of(judged.Candidate), lang, createdAtUtc);
        row.Verdict = judged.Verdict.ToWire();
        row.Detail = judged.Detail;
        row.SeedId = judged.Candidate.SeedId;
        return row;
    }
}
