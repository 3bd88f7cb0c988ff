namespace AutoRefiner.Core.Config;

/// <summary><c>validation</c>.</summary>
public sealed record ValidationConfig
{
    /// <summary>Run generated tests.</summary>
    public bool Tests { get; init; } = true;

    /// <summary>Wall-clock limit per test run.</summary>
    public int TimeoutSeconds { get; init; } = 10;

    /// <summary>Smallest <see cref="MemoryMb"/>: below it the runtime and xunit alone do not fit.</summary>
    public const int MinMemoryMb = 64;

    /// <summary>Largest <see cref="MemoryMb"/> (64 GB).</summary>
    public const int MaxMemoryMb = 65536;

    /// <summary>Managed heap cap of each sandbox worker, in MB (<c>validation.memory-mb</c>).</summary>
    public int MemoryMb { get; init; } = 1024;

    /// <summary>Largest <see cref="Mutants"/>.</summary>
    public const int MaxMutants = 1000;

    /// <summary>Mutants of the solution each tested sample's tests run against (<c>validation.mutants</c>); 0 = no mutation testing.</summary>
    public int Mutants { get; init; } = 20;

    /// <summary>Share of mutants the tests must kill (<c>validation.min-mutation-score</c>); below it the verdict is <c>weak-tests</c>.</summary>
    public double MinMutationScore { get; init; } = 0.5;

    /// <summary>Compilations in parallel; 0 = one per core.</summary>
    public int Parallelism { get; init; }

    /// <summary><see cref="Parallelism"/>, with 0 resolved to the number of cores.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int EffectiveParallelism => Parallelism > 0 ? Parallelism : Environment.ProcessorCount;
}
