using AutoRefiner.Core.Model;
using AutoRefiner.Core.Pipeline;

namespace AutoRefiner.Exporter.Tests.Support;

/// <summary>A generator that only names its task and prompt version (the writer reads nothing else).</summary>
internal sealed class FakeGenerator(string task = "doc-comments", string promptVersion = "doc-comments/1") : ISampleGenerator
{
    public string Task => task;

    public string PromptVersion => promptVersion;

    public IAsyncEnumerable<Candidate> GenerateAsync(Seed seed, CancellationToken cancellationToken) => AsyncEnumerable.Empty<Candidate>();
}
