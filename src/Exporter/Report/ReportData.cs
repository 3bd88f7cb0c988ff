using System.Text.Json;
using AutoRefiner.Core.Text;

namespace AutoRefiner.Exporter.Report;

/// <summary>What the report needs from the rows, gathered in one streaming pass over the output folder.</summary>
internal sealed class ReportData
{
    public List<int> InstructionLengths { get; } = [];

    public List<int> ResponseLengths { get; } = [];

    public Dictionary<int, long> TestsPerSample { get; } = [];

    public Dictionary<int, long> RepairRounds { get; } = [];

    public Dictionary<string, long> PerRepository { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, long> PerLicense { get; } = new(StringComparer.Ordinal);

    public List<SampleView> Samples { get; } = [];

    public Dictionary<string, List<ExampleView>> Examples { get; } = new(StringComparer.Ordinal);

    public sealed record SampleView(string Task, string Instruction, string Code, string Repo, string Path, string Url);

    public sealed record ExampleView(string Instruction, string Code, string Detail);

    public static async Task<ReportData> ReadAsync(string folder, int samples, int examples, CancellationToken cancellationToken)
    {
        var data = new ReportData();
        var jsonl = Path.Combine(folder, "jsonl");
        var files = Directory.Exists(jsonl) ? Directory.GetFiles(jsonl, "*.jsonl").Order(StringComparer.Ordinal).ToList() : [];
        var seen = 0L;
        foreach (var file in files)
        {
            await foreach (var row in Rows(file, cancellationToken))
            {
                var instruction = Text(row, "instruction");
                var response = Text(row, "response");
                data.InstructionLengths.Add(instruction.Length);
                data.ResponseLengths.Add(response.Length);
                Add(data.TestsPerSample, Int(row, "tests_run"));
                Add(data.RepairRounds, Int(row, "repair_rounds"));
                var repo = Text(row, "source_repo");
                data.PerRepository[repo] = data.PerRepository.GetValueOrDefault(repo) + 1;
                var license = Text(row, "source_license");
                data.PerLicense[license] = data.PerLicense.GetValueOrDefault(license) + 1;

                // An even spread of samples across the dataset: every k-th after the first, until there are enough.
                seen++;
                if (data.Samples.Count < samples && (seen % 97 == 1 || seen <= samples / 2))
                {
                    data.Samples.Add(new SampleView(Text(row, "task"), instruction, CodeBlocks.FirstCSharp(response) ?? response, repo, Text(row, "source_path"), Text(row, "source_url")));
                }
            }
        }

        var rejected = Path.Combine(folder, "rejected.jsonl");
        if (File.Exists(rejected))
        {
            await foreach (var row in Rows(rejected, cancellationToken))
            {
                var verdict = Text(row, "verdict");
                if (!data.Examples.TryGetValue(verdict, out var list))
                {
                    data.Examples[verdict] = list = [];
                }

                if (list.Count < examples)
                {
                    var response = Text(row, "response");
                    list.Add(new ExampleView(Text(row, "instruction"), CodeBlocks.FirstCSharp(response) ?? response, Text(row, "detail")));
                }
            }
        }

        return data;
    }

    private static void Add(Dictionary<int, long> counts, int key) => counts[key] = counts.GetValueOrDefault(key) + 1;

    private static string Text(JsonElement row, string name) =>
        row.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() ?? "" : "";

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
