using System.Text.RegularExpressions;

namespace AutoRefiner.Core.Text;

/// <summary>
/// What went wrong with a file, in AutoRefiner's words rather than the runtime's ("Access to the path '…' is denied."):
/// the cause a user can act on, and the path when the system named one.
/// </summary>
public static partial class FileProblem
{
    /// <summary>Why the operation failed, as the end of a sentence (e.g. "permission was refused: …").</summary>
    public static string Why(Exception e)
    {
        ArgumentNullException.ThrowIfNull(e);
        const int WindowsDiskFull = unchecked((int)0x80070070);
        const int WindowsHandleDiskFull = unchecked((int)0x80070027);
        return e switch
        {
            UnauthorizedAccessException => "permission was refused: the file or its folder is read-only, immutable, or owned by another user",
            PathTooLongException => "the path is longer than the system allows",
            DirectoryNotFoundException or FileNotFoundException => "a file or folder on the way to it is missing (removed during the run?)",
            IOException { HResult: 28 or WindowsDiskFull or WindowsHandleDiskFull } => "the disk is full",
            IOException { HResult: 30 } => "the file system is mounted read-only",
            IOException { HResult: 1 or 13 } => "permission was refused: the file or its folder is read-only, immutable, or owned by another user",
            IOException { HResult: 18 } => "it lies on another file system, so it cannot be moved into place in one step",
            IOException { HResult: 16 or 26 } or IOException { HResult: unchecked((int)0x80070020) } => "another program is using it",
            _ => $"the system reported: {Quoted().Replace(e.Message, "that path").TrimEnd('.')}",
        };
    }

    /// <summary>The path the system named in its message, or null.</summary>
    public static string? PathIn(Exception e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var m = Quoted().Match(e.Message);
        return m.Success ? m.Groups[1].Value : null;
    }

    [GeneratedRegex("'([^']+)'")]
    private static partial Regex Quoted();
}
