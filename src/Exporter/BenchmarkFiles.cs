using AutoRefiner.Core;
using AutoRefiner.Core.Curation;

namespace AutoRefiner.Exporter;

/// <summary>Reads evaluation sets (JSONL or Parquet) into a <see cref="BenchmarkIndex"/>.</summary>
public static class BenchmarkFiles
{
    private static readonly string[] IdFields = ["task_id", "id", "problem_id", "name", "question_id", "slug"];

    /// <summary>Adds every item of <paramref name="path"/> to <paramref name="index"/>; returns how many.</summary>
    public static async Task<int> LoadAsync(string path, BenchmarkIndex index, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(index);
        if (!File.Exists(path))
        {
            throw AutoRefinerException.Usage($"curation.benchmarks: {path} does not exist");
        }

        var name = Path.GetFileNameWithoutExtension(path);
        var count = 0;
        await foreach (var record in ExistingDataset.ReadAsync(path, cancellationToken))
        {
            if (record.Problem is not null)
            {
                throw AutoRefinerException.Usage($"curation.benchmarks: {path}: {record.Problem}");
            }

            var id = IdFields.Select(f => record.Fields.GetValueOrDefault(f)).FirstOrDefault(v => v is string or long or int)?.ToString()
                     ?? (record.Index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var text = string.Join('\n', Strings(record.Fields.Values));
            if (text.Length > 0)
            {
                index.Add(new BenchmarkItem(name, id, text));
                count++;
            }
        }

        return count;
    }

    private static IEnumerable<string> Strings(IEnumerable<object?> values)
    {
        foreach (var value in values)
        {
            switch (value)
            {
                case string s:
                    yield return s;
                    break;
                case IDictionary<string, object?> map:
                    foreach (var inner in Strings(map.Values))
                    {
                        yield return inner;
                    }

                    break;
                case System.Collections.IEnumerable list:
                    foreach (var inner in Strings(list.Cast<object?>()))
                    {
                        yield return inner;
                    }

                    break;
            }
        }
    }
}
