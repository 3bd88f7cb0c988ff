namespace AutoRefiner.Core;

/// <summary>
/// A failure the user can fix (bad usage or configuration) or a run that cannot go on. Created only through
/// the named helpers so that every message reads as a sentence; the command line maps <see cref="Kind"/> to an exit code.
/// </summary>
public sealed class AutoRefinerException : Exception
{
    private AutoRefinerException(FailureKind kind, string message, Exception? inner = null)
        : base(message, inner) => Kind = kind;

    /// <summary>Whether the user's input or the run itself is at fault.</summary>
    public FailureKind Kind { get; }

    /// <summary>A configuration value is wrong: names the file, line and key.</summary>
    public static AutoRefinerException Config(string file, int line, string key, string problem, Exception? inner = null) =>
        new(FailureKind.Usage, $"{file}:{line}: {key}: {problem}", inner);

    /// <summary>A configuration file as a whole cannot be used (missing, not YAML).</summary>
    public static AutoRefinerException ConfigFile(string file, string problem, Exception? inner = null) =>
        new(FailureKind.Usage, $"{file}: {problem}", inner);

    /// <summary>The command line asks for something impossible.</summary>
    public static AutoRefinerException Usage(string problem, Exception? inner = null) => new(FailureKind.Usage, problem, inner);

    /// <summary>The run could not complete.</summary>
    public static AutoRefinerException RunFailed(string problem, Exception? inner = null) =>
        new(FailureKind.Run, problem, inner);
}

/// <summary>What an <see cref="AutoRefinerException"/> blames.</summary>
public enum FailureKind
{
    /// <summary>Bad usage or configuration (exit code 2).</summary>
    Usage,

    /// <summary>The run failed (exit code 1).</summary>
    Run,
}
