using System.Runtime.CompilerServices;
using System.Text.Json;
using AutoRefiner.Core;
using AutoRefiner.Core.Text;
using AutoRefiner.Core.Model;

namespace AutoRefiner.Exporter;

/// <summary>An output folder written by AutoRefiner, read back (<c>merge</c> combines several).</summary>
public static class DatasetFolder
{
    /// <summary>The folder's manifest; a usage error when the folder is not an AutoRefiner output.</summary>
    public static Manifest ReadManifest(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var path = Path.Combine(folder, "manifest.json");
        if (!File.Exists(path))
        {
            throw AutoRefinerException.Usage($"{folder} is not an AutoRefiner output folder (it has no manifest.json)");
        }

        try
        {
            var manifest = JsonSerializer.Deserialize(File.ReadAllText(path), ExportJson.Lines.Manifest);
            return manifest is { Tool: "autorefiner" }
                ? Complete(manifest)
                : throw AutoRefinerException.Usage($"{path} is not an AutoRefiner manifest");
        }
        catch (JsonException e)
        {
            throw AutoRefinerException.Usage($"{path} is not a manifest AutoRefiner can read: {JsonProblem.Describe(e)}", e);
        }
    }

    /// <summary>A manifest with every part present: a hand-edited one may say <c>null</c> where a run wrote an object.</summary>
    private static Manifest Complete(Manifest m)
    {
        m.Sources ??= [];
        m.PromptVersions ??= [];
        m.TimingsSeconds ??= [];
        m.TokenUsage ??= [];
        m.Files ??= [];
        m.Run ??= new ManifestRun();
        m.Counts ??= new ManifestCounts();
        var c = m.Counts;
        c.Verdicts ??= [];
        c.Rows ??= [];
        c.SeedsRejected ??= [];
        c.SeedRejectExamples ??= [];
        c.FilesSkipped ??= [];
        c.RepositoriesSkipped ??= [];
        c.Repairs ??= [];
        m.Command ??= "";
        m.ToolVersion ??= "";
        return m;
    }

    /// <summary>Every sample of the folder, judged as it was: its rows (JSONL) as passed, then its rejections.</summary>
    public static async IAsyncEnumerable<Judged> ReadJudgedAsync(string folder, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var jsonl = Path.Combine(folder, "jsonl");
        if (!Directory.Exists(jsonl))
        {
            throw AutoRefinerException.Usage($"{folder} has no jsonl/ folder: merge reads the JSONL rows (keep `jsonl` in export.formats)");
        }

        foreach (var file in Directory.GetFiles(jsonl, "*.jsonl").Order(StringComparer.Ordinal))
        {
            await foreach (var row in ReadLinesAsync(file, ExportJson.Lines.DatasetRow, cancellationToken))
            {
                yield return DatasetRows.ToJudged(row);
            }
        }

        var rejected = Path.Combine(folder, "rejected.jsonl");
        if (File.Exists(rejected))
        {
            await foreach (var row in ReadLinesAsync(rejected, ExportJson.Lines.RejectedRow, cancellationToken))
            {
                yield return DatasetRows.ToJudged(row);
            }
        }
    }

    internal static async IAsyncEnumerable<T> ReadLinesAsync<T>(string file, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(file);
        var number = 0;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            number++;
            if (line.Length == 0)
            {
                continue;
            }

            T? value;
            try
            {
                value = JsonSerializer.Deserialize(line, type);
            }
            catch (JsonException e)
            {
                throw AutoRefinerException.Usage($"{file}:{number}: not a row AutoRefiner wrote ({JsonProblem.Describe(e)})", e);
            }

            if (value is not null)
            {
                yield return value;
            }
        }
    }
}
