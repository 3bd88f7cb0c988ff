namespace AutoRefiner.Cli;

/// <summary>The exit codes listed in README.md, "Command line".</summary>
internal static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Success = 0;

    /// <summary>The run failed.</summary>
    public const int RunFailed = 1;

    /// <summary>Bad usage or configuration.</summary>
    public const int Usage = 2;

    /// <summary>Cancelled (Ctrl+C).</summary>
    public const int Cancelled = 130;

    /// <summary>Stopped cleanly by SIGTERM (128 + 15).</summary>
    public const int Terminated = 143;
}
