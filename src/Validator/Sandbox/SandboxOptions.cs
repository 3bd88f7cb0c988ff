namespace AutoRefiner.Validator.Sandbox;

/// <summary>How generated tests are run.</summary>
public sealed record SandboxOptions
{
    /// <summary>Workers at once (one per core by default).</summary>
    public int Workers { get; init; } = Environment.ProcessorCount;

    /// <summary>Wall-clock limit for all the tests of one sample (<c>validation.timeout-seconds</c>).</summary>
    public TimeSpan SampleTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Limit for one test; at most <see cref="SampleTimeout"/>.</summary>
    public TimeSpan TestTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Managed heap cap of a worker (<c>DOTNET_GCHeapHardLimit</c>, <c>validation.memory-mb</c>); allocating past it is an out-of-memory crash.</summary>
    public long MemoryCapBytes { get; init; } = 1024L * 1024 * 1024;

    /// <summary>Samples a worker runs before it is replaced anyway (bounds what a long run can accumulate in one process).</summary>
    public int SamplesPerWorker { get; init; } = 500;

    /// <summary>Use OS isolation where the machine allows it (a network namespace, an unprivileged user).</summary>
    public bool OsIsolation { get; init; } = true;

    /// <summary>Where the worker's files are; default: beside this assembly.</summary>
    public string? WorkerDirectory { get; init; }

    /// <summary>The options the <c>validation</c> settings ask for.</summary>
    public static SandboxOptions From(Core.Config.ValidationConfig validation)
    {
        ArgumentNullException.ThrowIfNull(validation);
        return new SandboxOptions
        {
            Workers = validation.EffectiveParallelism,
            SampleTimeout = TimeSpan.FromSeconds(validation.TimeoutSeconds),
            TestTimeout = TimeSpan.FromSeconds(validation.TimeoutSeconds),
            MemoryCapBytes = validation.MemoryMb * 1024L * 1024,
        };
    }
}
