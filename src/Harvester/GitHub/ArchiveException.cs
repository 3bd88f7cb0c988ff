namespace AutoRefiner.Harvester.GitHub;

/// <summary>An archive that cannot be extracted: missing, corrupt, truncated, or over a limit. The message names the archive.</summary>
internal sealed class ArchiveException : Exception
{
    /// <summary>Creates an exception with a default message.</summary>
    public ArchiveException()
        : base("the archive cannot be extracted")
    {
    }

    /// <summary>Creates an exception with <paramref name="message"/>.</summary>
    public ArchiveException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with <paramref name="message"/>, caused by <paramref name="innerException"/>.</summary>
    public ArchiveException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
