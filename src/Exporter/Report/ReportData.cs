using System.Text.Json;
using AutoRefiner.Core.Text;

namespace AutoRefiner.Exporter.Report;

/// <summary>
/// What the report needs from the rows. The dataset writer fills it with the rows it writes, whatever the formats, so
/// the report goes into staging and is published with them; <c>autorefiner report</c> fills it from a folder.
/// </summary>
internal sealed class ReportData(int samples = ReportData.DefaultSamples, int examples = ReportData.DefaultExamples)
{
    /// <summary>Samples shown.</summary>
    public const int DefaultSamples = 12;

    /// <summary>Rejected examples shown per verdict.</summary>
    public const int DefaultExamples = 3;

    private long _seen;

    public List<int> InstructionLengths { get; } = [];

    public List<int> ResponseLengths { get; } = [];

    public Dictionary<int, long> TestsPerSample { get; } = [];

    public Dictionary<int, long> RepairRounds { get; } = [];

    /// <summary>Rows by mutation score in tenths (0–10), and -1 for rows whose solution had no mutant; rows without tests are not counted.</summary>
    public Dictionary<int, long> MutationScores { get; } = [];

    public Dictionary<string, long> PerRepository { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, long> PerLicense { get; } = new(StringComparer.Ordinal);

    public List<SampleView> Samples { get; } = [];

    public Dictionary<string, List<ExampleView>> Examples { get; } = new(StringComparer.Ordinal);

    public sealed record SampleView(string Task, string Instruction, string Code, string Repo, string Path, string Url);

    public sealed record ExampleView(string Instruction, string Code, string Detail);

    /// <summary>Counts a row of the dataset.</summary>
    public void AddRow(DatasetRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        InstructionLengths.Add(row.Instruction.Length);
        ResponseLengths.Add(row.Response.Length);
        Add(TestsPerSample, row.TestsRun);
        Add(RepairRounds, row.RepairRounds);
        if (row.Mutants is { } mutants)
        {
            Add(MutationScores, mutants == 0 ? -1 : (int)Math.Floor(10.0 * (row.MutantsKilled ?? 0) / mutants));
        }

        PerRepository[row.SourceRepo] = PerRepository.GetValueOrDefault(row.SourceRepo) + 1;
        PerLicense[row.SourceLicense] = PerLicense.GetValueOrDefault(row.SourceLicense) + 1;

        // An even spread of samples across the dataset: every k-th after the first, until there are enough.
        _seen++;
        if (Samples.Count < samples && (_seen % 97 == 1 || _seen <= samples / 2))
        {
            Samples.Add(new SampleView(row.Task, row.Instruction, CodeBlocks.FirstCSharp(row.Response) ?? row.Response, row.SourceRepo, row.SourcePath, row.SourceUrl));
        }
    }

    /// <summary>Keeps the first few rejected candidates of each verdict as examples.</summary>
    public void AddRejected(string verdict, string instruction, string response, string detail)
    {
        if (!Examples.TryGetValue(verdict, out var list))
        {
            Examples[verdict] = list = [];
        }

        if (list.Count < examples)
        {
            list.Add(new ExampleView(instruction, CodeBlocks.FirstCSharp(response) ?? response, detail));
        }
    }

    /// <summary>
    /// Reads an output folder in one streaming pass: its JSONL rows, or its Parquet shards when it has no JSONL (a
    /// Parquet-only run), and <c>rejected.jsonl</c>.
    /// </summary>
    public static async Task<ReportData> ReadAsync(string folder, int samples, int examples, CancellationToken cancellationToken)
    {
        var data = new ReportData(samples, examples);
        var jsonl = Path.Combine(folder, "jsonl");
        var files = Directory.Exists(jsonl) ? Directory.GetFiles(jsonl, "*.jsonl").Order(StringComparer.Ordinal).ToList() : [];
        foreach (var file in files)
        {
            await foreach (var row in Rows(file, cancellationToken))
            {
                data.AddRow(new DatasetRow
                {
                    Task = Text(row, "task"),
                    Instruction = Text(row, "instruction"),
                    Response = Text(row, "response"),
                    TestsRun = Int(row, "tests_run"),
                    RepairRounds = Int(row, "repair_rounds"),
                    Mutants = NullableInt(row, "mutants"),
                    MutantsKilled = NullableInt(row, "mutants_killed"),
                    SourceRepo = Text(row, "source_repo"),
                    SourceLicense = Text(row, "source_license"),
                    SourcePath = Text(row, "source_path"),
                    SourceUrl = Text(row, "source_url"),
                });
            }
        }

        var shards = Path.Combine(folder, "data");
        if (files.Count == 0 && Directory.Exists(shards))
        {
            foreach (var shard in Directory.GetFiles(shards, "*.parquet").Order(StringComparer.Ordinal))
            {
                // One row group at a time, with the validator's sentences for a damaged shard.
                await foreach (var record in ExistingDataset.ReadAsync(shard, cancellationToken))
                {
                    var f = record.Fields;
                    data.AddRow(new DatasetRow
                    {
                        Task = f.GetValueOrDefault("task") as string ?? "",
                        Instruction = f.GetValueOrDefault("instruction") as string ?? "",
                        Response = f.GetValueOrDefault("response") as string ?? "",
                        TestsRun = f.GetValueOrDefault("tests_run") is int tests ? tests : 0,
                        RepairRounds = f.GetValueOrDefault("repair_rounds") is int rounds ? rounds : 0,
                        Mutants = f.GetValueOrDefault("mutants") as int?,
                        MutantsKilled = f.GetValueOrDefault("mutants_killed") as int?,
                        SourceRepo = f.GetValueOrDefault("source_repo") as string ?? "",
                        SourceLicense = f.GetValueOrDefault("source_license") as string ?? "",
                        SourcePath = f.GetValueOrDefault("source_path") as string ?? "",
                        SourceUrl = f.GetValueOrDefault("source_url") as string ?? "",
                    });
                }
            }
        }

        var rejected = Path.Combine(folder, "rejected.jsonl");
        if (File.Exists(rejected))
        {
            await foreach (var row in Rows(rejected, cancellationToken))
            {
                data.AddRejected(Text(row, "verdict"), Text(row, "instruction"), Text(row, "response"), Text(row, "detail"));
            }
        }

        return data;
    }

    private static void Add(Dictionary<int, long> counts, int key) => counts[key] = counts.GetValueOrDefault(key) + 1;

    private static string Text(JsonElement row, string name) =>
        row.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() ?? "" : "";

    private static int? NullableInt(JsonElement row, string name) =>
        row.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) ? n : null;

    private static int Int(JsonElement row, string name) =>
        row.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n) ? n : 0;

    private static async IAsyncEnumerable<JsonElement> Rows(string file, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(file);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            JsonElement element;
            try
            {
                using var document = JsonDocument.Parse(line);
                element = document.RootElement.Clone();
            }
            catch (JsonException)
            {
                continue;
            }

            yield return element;
        }
    }
}
