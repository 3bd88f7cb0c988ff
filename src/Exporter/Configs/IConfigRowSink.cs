namespace AutoRefiner.Exporter.Configs;

/// <summary>A sink that also takes rows of the <c>preference</c> and <c>feedback</c> configs as they are (<c>merge</c>).</summary>
public interface IConfigRowSink
{
    /// <summary>Adds a preference row to <paramref name="split"/>; one with an id already written is left out.</summary>
    ValueTask AddPreferenceAsync(string split, PreferenceRow row, CancellationToken cancellationToken);

    /// <summary>Adds a feedback row to <paramref name="split"/>; one with an id already written is left out.</summary>
    ValueTask AddFeedbackAsync(string split, FeedbackRow row, CancellationToken cancellationToken);
}
