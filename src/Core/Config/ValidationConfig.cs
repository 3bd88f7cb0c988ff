namespace AutoRefiner.Core.Config;

/// <summary><c>validation</c>.</summary>
public sealed record ValidationConfig
{
    /// <summary>Run generated tests.</summary>
    public bool Tests { get; init; } = true;

    /// <summary>Wall-clock limit per test run.</summary>
    public int TimeoutSeconds { get; init; } = 10;

    /// <summary>Compilations in parallel; 0 = one per core.</summary>
    public int Parallelism { get; init; }

    /// <summary><see cref="Parallelism"/>, with 0 resolved to the number of cores.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int EffectiveParallelism => Parallelism > 0 ? Parallelism : Environment.ProcessorCount;
}
