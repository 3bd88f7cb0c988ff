using AutoRefiner.Core.Config;
using AutoRefiner.Core.Model;
using AutoRefiner.Core.Pipeline;
using AutoRefiner.Harvester.Seeds;

namespace AutoRefiner.Harvester;

/// <summary>
/// Readies the compiler while a run sets itself up: a small made-up project goes through the whole seed extraction
/// (parse, bind, closure, unit, compile and check) on a pool thread. Roslyn's assemblies ship as IL only, so the first
/// project of a run would otherwise pay for jitting the compiler, and binding the reference set, on one core while the
/// other waits. Nothing of the run is touched: the made-up seeds go nowhere, and the compiler given is the run's own
/// only in the work it does.
/// </summary>
public static class HarvestWarmUp
{
    private const string Code = """
        using System.Text;

        namespace WarmUp;

        /// <summary>Keeps a running tally of words.</summary>
        public sealed class Tally
        {
            private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);

            /// <summary>Creates a tally that starts with the given words.</summary>
            public Tally(IEnumerable<string> words)
            {
                foreach (var word in words)
                {
                    Add(word);
                }
            }

            /// <summary>Counts one more occurrence of a word, ignoring surrounding spaces.</summary>
            public int Add(string word)
            {
                var key = word.Trim();
                _counts[key] = _counts.TryGetValue(key, out var n) ? n + 1 : 1;
                return _counts[key];
            }

            /// <summary>Writes the words seen at least the given number of times, most frequent first.</summary>
            public string Report(int atLeast)
            {
                var sb = new StringBuilder();
                foreach (var (word, count) in _counts.Where(p => p.Value >= atLeast).OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal))
                {
                    sb.Append(word).Append(": ").Append(count).AppendLine();
                }

                return sb.ToString();
            }
        }
        """;

    /// <summary>Starts the warm-up; the task ends when it is done, and never fails.</summary>
    public static Task Start(ICodeCompiler compiler) => Task.Run(async () =>
    {
        try
        {
            var root = new SourceRoot(Path.GetTempPath(), "warm-up", "", "", "");
            var group = new SeedExtractor.Group([new SourceFile("WarmUp.cs", Code, root)], []);
            var extractor = new SeedExtractor(compiler, new ExtractionConfig());
            await foreach (var _ in extractor.ExtractAsync(group, new RunStats(TimeProvider.System), 1, CancellationToken.None).ConfigureAwait(false))
            {
            }
        }
        catch (Exception)
        {
            // A warm-up only saves time; the run itself will meet and report whatever failed here.
        }
    });
}
