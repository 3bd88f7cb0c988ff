namespace AutoRefiner.Core.Pipeline;

/// <summary>What a run does; its wire name (<see cref="RunKinds.ToWire"/>) is what the state store and the manifest record.</summary>
public enum RunKind
{
    /// <summary><c>harvest</c>: the pipeline over the given sources.</summary>
    Harvest,

    /// <summary><c>refresh</c>: a harvest that exports the union of every run's samples and may push.</summary>
    Refresh,

    /// <summary><c>merge</c>: the outputs of sharded runs combined.</summary>
    Merge,
}

/// <summary>Wire names of <see cref="RunKind"/>.</summary>
public static class RunKinds
{
    /// <summary>The lower-case name used in files and the state store (<c>refresh</c>).</summary>
    public static string ToWire(this RunKind kind) => kind switch
    {
        RunKind.Harvest => "harvest",
        RunKind.Refresh => "refresh",
        RunKind.Merge => "merge",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
