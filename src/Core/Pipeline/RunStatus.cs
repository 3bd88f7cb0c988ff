namespace AutoRefiner.Core.Pipeline;

/// <summary>How a run ended, as the state store records it.</summary>
public enum RunStatus
{
    /// <summary>Still going (or killed without a chance to say so).</summary>
    Running,

    /// <summary>Finished and published its output.</summary>
    Completed,

    /// <summary>Stopped by an error.</summary>
    Failed,

    /// <summary>Stopped by the user.</summary>
    Cancelled,
}

/// <summary>Wire names of <see cref="RunStatus"/>.</summary>
public static class RunStatuses
{
    /// <summary>The lower-case name the state store keeps (<c>completed</c>).</summary>
    public static string ToWire(this RunStatus status) => status switch
    {
        RunStatus.Running => "running",
        RunStatus.Completed => "completed",
        RunStatus.Failed => "failed",
        RunStatus.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };
}
