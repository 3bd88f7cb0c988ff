using System.Runtime.CompilerServices;
using System.Text.Json.Serialization.Metadata;

namespace AutoRefiner.Exporter.Configs;

/// <summary>Reads the <c>preference</c> and <c>feedback</c> rows of an output folder from their JSONL (<c>merge</c>, <c>report</c>).</summary>
public static class ConfigFolder
{
    /// <summary>The preference rows with their split; none when the folder has no such config.</summary>
    public static IAsyncEnumerable<(string Split, PreferenceRow Row)> ReadPreferenceAsync(string folder, CancellationToken cancellationToken) =>
        ReadAsync(folder, ExecutionFeedback.Preference, ExportJson.Lines.PreferenceRow, cancellationToken);

    /// <summary>The feedback rows with their split; none when the folder has no such config.</summary>
    public static IAsyncEnumerable<(string Split, FeedbackRow Row)> ReadFeedbackAsync(string folder, CancellationToken cancellationToken) =>
        ReadAsync(folder, ExecutionFeedback.Feedback, ExportJson.Lines.FeedbackRow, cancellationToken);

    private static async IAsyncEnumerable<(string, T)> ReadAsync<T>(
        string folder, string config, JsonTypeInfo<T> type, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var directory = Path.Combine(folder, "jsonl", config);
        if (!Directory.Exists(directory))
        {
            yield break;
        }

        foreach (var file in Directory.GetFiles(directory, "*.jsonl").Order(StringComparer.Ordinal))
        {
            var split = Path.GetFileNameWithoutExtension(file);
            await foreach (var row in DatasetFolder.ReadLinesAsync(file, type, cancellationToken))
            {
                yield return (split, row);
            }
        }
    }
}
