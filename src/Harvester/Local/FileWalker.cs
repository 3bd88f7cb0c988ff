using System.Text;
using AutoRefiner.Core;
using AutoRefiner.Core.Config;
using AutoRefiner.Core.Model;
using AutoRefiner.Core.Pipeline;

namespace AutoRefiner.Harvester.Local;

/// <summary>
/// Finds the C# files of a source root and reads them, passing over what is not hand-written C#: build output
/// and VCS folders, generated files, files that are too large, empty, not UTF-8, binary or unreadable. Every skip
/// is counted by reason.
/// </summary>
internal sealed class FileWalker(ExtractionConfig config)
{
    /// <summary>Skip reasons, as counted in the run statistics.</summary>
    public static class Reasons
    {
        /// <summary>A <c>.cs</c> file whose text is not C#.</summary>
        public const string NotCSharp = "not-csharp";

        /// <summary>A generated file (<c>*.g.cs</c>, <c>*.Designer.cs</c>, an <c>&lt;auto-generated&gt;</c> header).</summary>
        public const string Generated = "generated";

        /// <summary>Larger than <c>extraction.max-file-kb</c>.</summary>
        public const string TooLarge = "too-large";

        /// <summary>Empty, or not a regular file (pipes, devices).</summary>
        public const string Empty = "empty";

        /// <summary>Not valid UTF-8 (nor UTF-16 with a byte order mark).</summary>
        public const string NotUtf8 = "not-utf8";

        /// <summary>Holds NUL bytes.</summary>
        public const string Binary = "binary";

        /// <summary>A symbolic link (never followed: it may lead out of the tree or into a loop).</summary>
        public const string Symlink = "symlink";

        /// <summary>Could not be read.</summary>
        public const string Unreadable = "unreadable";

        /// <summary>Nested too deeply to analyse safely.</summary>
        public const string TooDeep = "too-deep";
    }

    private static readonly string[] AlwaysExcluded = ["bin", "obj", ".git"];
    private static readonly string[] GeneratedSuffixes = [".g.cs", ".g.i.cs", ".designer.cs", ".generated.cs", ".assemblyinfo.cs"];
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly UnicodeEncoding StrictUtf16LittleEndian = new(bigEndian: false, byteOrderMark: false, throwOnInvalidBytes: true);
    private static readonly UnicodeEncoding StrictUtf16BigEndian = new(bigEndian: true, byteOrderMark: false, throwOnInvalidBytes: true);

    /// <summary>Paths of the candidate <c>.cs</c> files under <paramref name="root"/>, in a stable order.</summary>
    public IEnumerable<string> FindFiles(string root, RunStats stats, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stats);
        var pending = new Stack<string>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var dir = pending.Pop();
            string[] entries;
            try
            {
                entries = Directory.GetFileSystemEntries(dir);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A folder inside the tree is one skip; the tree itself unreadable is a source that gives nothing at all.
                if (ReferenceEquals(dir, root))
                {
                    throw AutoRefinerException.RunFailed($"source '{root}' cannot be read ({(e is UnauthorizedAccessException ? "permission denied" : "the system refuses to list it")})");
                }

                stats.SkipFile(e is PathTooLongException ? Reasons.TooDeep : Reasons.Unreadable);
                continue;
            }

            Array.Sort(entries, StringComparer.Ordinal);
            var subdirs = new List<string>();
            foreach (var entry in entries)
            {
                var info = new FileInfo(entry);
                var name = info.Name;
                bool isLink, isDirectory;
                try
                {
                    isLink = info.LinkTarget is not null;
                    isDirectory = (info.Attributes & FileAttributes.Directory) != 0;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Past PATH_MAX the operating system cannot even say what the entry is.
                    stats.SkipFile(e is PathTooLongException ? Reasons.TooDeep : Reasons.Unreadable);
                    continue;
                }

                if (isLink)
                {
                    stats.SkipFile(Reasons.Symlink);
                    continue;
                }

                if (isDirectory)
                {
                    if (!IsExcludedDirectory(name))
                    {
                        subdirs.Add(entry);
                    }

                    continue;
                }

                if (!name.EndsWith(".cs", StringComparison.OrdinalIgnoreCase))
                {
                    // Other files (project files, docs, data) are not candidates, so they are not counted as skips.
                    continue;
                }

                yield return entry;
            }

            for (var i = subdirs.Count - 1; i >= 0; i--)
            {
                pending.Push(subdirs[i]);
            }
        }
    }

    /// <summary>Reads one file, or returns the reason it is passed over.</summary>
    public (string? Text, string? SkipReason) Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var name = Path.GetFileName(path);
        if (GeneratedSuffixes.Any(s => name.EndsWith(s, StringComparison.OrdinalIgnoreCase)))
        {
            return (null, Reasons.Generated);
        }

        byte[] bytes;
        try
        {
            var info = new FileInfo(path);

            // Pipes and devices report length 0; opening a pipe would block, so they are never opened.
            if (info.Length == 0)
            {
                return (null, Reasons.Empty);
            }

            if (info.Length > config.MaxFileKb * 1024L)
            {
                return (null, Reasons.TooLarge);
            }

            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, e is PathTooLongException ? Reasons.TooDeep : Reasons.Unreadable);
        }

        // UTF-16 with a byte order mark is valid C# source (the compiler reads it); it is full of NUL bytes.
        Encoding? utf16 = bytes is [0xFF, 0xFE, ..] ? StrictUtf16LittleEndian : bytes is [0xFE, 0xFF, ..] ? StrictUtf16BigEndian : null;
        if (utf16 is null && bytes.AsSpan().Contains((byte)0))
        {
            return (null, Reasons.Binary);
        }

        string text;
        try
        {
            var start = utf16 is not null ? 2 : bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble) ? 3 : 0;
            text = (utf16 ?? StrictUtf8).GetString(bytes, start, bytes.Length - start);
        }
        catch (DecoderFallbackException)
        {
            return (null, Reasons.NotUtf8);
        }

        if (utf16 is not null && text.Contains('\0', StringComparison.Ordinal))
        {
            return (null, Reasons.Binary);
        }

        return IsGeneratedHeader(text) ? (null, Reasons.Generated) : (text, null);
    }

    private bool IsExcludedDirectory(string name) =>
        AlwaysExcluded.Contains(name, StringComparer.OrdinalIgnoreCase) || config.ExcludeDirs.Contains(name, StringComparer.OrdinalIgnoreCase);

    /// <summary>True when the comments at the top of the file declare it generated.</summary>
    internal static bool IsGeneratedHeader(string text)
    {
        // Only the leading comment block counts, as in Roslyn's own generated-code detection.
        using var reader = new StringReader(text);
        while (reader.ReadLine() is { } line)
        {
            var t = line.Trim();
            if (t.Length == 0)
            {
                continue;
            }

            if (!t.StartsWith("//", StringComparison.Ordinal) && !t.StartsWith("/*", StringComparison.Ordinal) && !t.StartsWith('*'))
            {
                return false;
            }

            if (t.Contains("<auto-generated", StringComparison.OrdinalIgnoreCase) || t.Contains("<autogenerated", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
