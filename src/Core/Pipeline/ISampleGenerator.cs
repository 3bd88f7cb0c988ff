using AutoRefiner.Core.Model;

namespace AutoRefiner.Core.Pipeline;

/// <summary>A generator: turns a seed into candidate pairs.</summary>
public interface ISampleGenerator
{
    /// <summary>The task name written in the <c>task</c> column.</summary>
    string Task { get; }

    /// <summary>Prompt or template version written in <c>prompt_version</c>.</summary>
    string PromptVersion { get; }

    /// <summary>The model it asks (written in <c>generator</c>), or its own name when it uses none.</summary>
    string Model => Task;

    /// <summary>Answers it asks for per seed (<c>generation.candidates</c>); 1 for a generator that asks no model.</summary>
    int Candidates => 1;

    /// <summary>Candidates for one seed (none when the seed does not suit this generator).</summary>
    IAsyncEnumerable<Candidate> GenerateAsync(Seed seed, CancellationToken cancellationToken);
}
