using System.Buffers;
using System.Buffers.Binary;
using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace AutoRefiner.Harvester.GitHub;

/// <summary>
/// Extracts a GitHub repository tarball (<c>.tar.gz</c>, as served by <c>/repos/{owner}/{repo}/tarball/{ref}</c>)
/// safely and in one streaming pass: only regular files with wanted extensions are written; links, devices and
/// names that are absolute or climb out with <c>..</c> are skipped and counted, never followed or created.
/// </summary>
/// <remarks>
/// GitHub's single top folder (<c>owner-repo-sha7/</c>) is stripped when every entry with a usable name lies under
/// the same first segment; otherwise paths are kept whole. Output goes to a sibling folder
/// <c>&lt;target&gt;.partial-&lt;guid&gt;</c> that replaces the target only on success, so a failed or cancelled
/// extraction leaves any earlier target untouched and no partial output behind. Concatenated (multi-member) gzip
/// files are not supported: the trailer check that catches downloads cut short reads only the last member.
/// </remarks>
internal static class ArchiveExtractor
{
    /// <summary>Skip reasons, the keys of <see cref="ExtractionResult.Skipped"/>.</summary>
    public static class Reasons
    {
        /// <summary>A <c>..</c> segment (after dropping empty and <c>.</c> segments), or a path leaving the target.</summary>
        public const string PathTraversal = "path-traversal";

        /// <summary>A rooted name: leading <c>/</c> or <c>\</c>, or a drive letter.</summary>
        public const string AbsolutePath = "absolute-path";

        /// <summary>An empty name, or one holding NUL or characters the file system cannot store.</summary>
        public const string BadName = "bad-name";

        /// <summary>A name segment over 255 bytes, or a whole path over 4,095 bytes: more than Linux can store or open.</summary>
        public const string TooLong = "too-long";

        /// <summary>A symbolic link (never created: it could point anywhere).</summary>
        public const string Symlink = "symlink";

        /// <summary>A hard link (never created).</summary>
        public const string Hardlink = "hardlink";

        /// <summary>A file larger than <see cref="ArchiveLimits.MaxFileBytes"/>.</summary>
        public const string TooLarge = "too-large";

        /// <summary>Devices, fifos, sparse files and other entry kinds that are neither files nor directories.</summary>
        public const string OtherType = "other-type";

        /// <summary>A regular file whose extension is not in <see cref="ArchiveLimits.Extensions"/>.</summary>
        public const string NotWanted = "not-wanted";

        /// <summary>A file whose path is taken by a directory, or lies below an earlier file.</summary>
        public const string Conflict = "conflict";
    }

    private const int BufferSize = 81920;

    /// <summary>Linux's NAME_MAX and PATH_MAX, in bytes: longer names cannot be created, longer paths cannot be opened.</summary>
    private const int MaxNameBytes = 255;
    private const int MaxPathBytes = 4096;
    private static readonly SearchValues<char> InvalidNameChars = SearchValues.Create(Path.GetInvalidFileNameChars());
    private static readonly char[] Separators = ['/', '\\'];

    /// <summary>
    /// Extracts <paramref name="archivePath"/> into <paramref name="targetDirectory"/>, replacing the directory if
    /// it exists.
    /// </summary>
    /// <exception cref="ArchiveException">
    /// The archive is missing, over <see cref="ArchiveLimits.MaxArchiveBytes"/>, corrupt or truncated, or goes over
    /// <see cref="ArchiveLimits.MaxEntries"/>, <see cref="ArchiveLimits.MaxTotalBytes"/> or
    /// <see cref="ArchiveLimits.MaxUncompressedBytes"/>. Nothing is left behind.
    /// </exception>
    /// <exception cref="OperationCanceledException">Cancelled; nothing is left behind.</exception>
    public static async Task<ExtractionResult> ExtractAsync(string archivePath, string targetDirectory, ArchiveLimits limits, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(archivePath);
        ArgumentException.ThrowIfNullOrEmpty(targetDirectory);
        ArgumentNullException.ThrowIfNull(limits);
        CheckLimits(limits);
        cancellationToken.ThrowIfCancellationRequested();

        var target = Path.TrimEndingDirectorySeparator(Path.GetFullPath(targetDirectory));
        var parent = Path.GetDirectoryName(target)
            ?? throw new ArgumentException($"the target '{targetDirectory}' is a file-system root", nameof(targetDirectory));
        var archiveName = Path.GetFileName(archivePath);

        FileStream file;
        try
        {
            file = new FileStream(archivePath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 65536, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArchiveException($"archive '{archiveName}' could not be opened: {e.Message}", e);
        }

        await using (file)
        {
            // Measured on the open handle, so the file checked is the file read.
            if (file.Length > limits.MaxArchiveBytes)
            {
                throw Fail(archiveName, $"is {file.Length} bytes, over the limit of {limits.MaxArchiveBytes} bytes");
            }

            Directory.CreateDirectory(parent);
            var partial = string.Create(CultureInfo.InvariantCulture, $"{target}.partial-{Guid.NewGuid():N}");
            Directory.CreateDirectory(partial);
            try
            {
                var run = new Run(archiveName, partial, limits);
                await run.ReadAsync(file, cancellationToken);
                cancellationToken.ThrowIfCancellationRequested();
                Publish(run.OutputRoot(), target);
                return run.Result();
            }
            finally
            {
                DeleteQuietly(partial);
            }
        }
    }

    private static void CheckLimits(ArchiveLimits limits)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limits.MaxArchiveBytes, nameof(limits));
        ArgumentOutOfRangeException.ThrowIfNegative(limits.MaxEntries, nameof(limits));
        ArgumentOutOfRangeException.ThrowIfNegative(limits.MaxFileBytes, nameof(limits));
        ArgumentOutOfRangeException.ThrowIfNegative(limits.MaxTotalBytes, nameof(limits));
        ArgumentOutOfRangeException.ThrowIfNegative(limits.MaxUncompressedBytes, nameof(limits));
        ArgumentNullException.ThrowIfNull(limits.Extensions, nameof(limits));
    }

    /// <summary>Moves the finished output to <paramref name="target"/>, putting back the old target if that fails.</summary>
    private static void Publish(string source, string target)
    {
        if (!Directory.Exists(target))
        {
            Directory.Move(source, target);
            return;
        }

        var old = string.Create(CultureInfo.InvariantCulture, $"{target}.old-{Guid.NewGuid():N}");
        Directory.Move(target, old);
        try
        {
            Directory.Move(source, target);
        }
        catch
        {
            Directory.Move(old, target);
            throw;
        }

        DeleteQuietly(old);
    }

    private static void DeleteQuietly(string directory)
    {
        try
        {
            // Directory.Delete removes links without following them.
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Cleanup must not hide the failure that caused it.
        }
    }

    private static ArchiveException Fail(string archiveName, string problem, Exception? inner = null)
    {
        var message = string.Create(CultureInfo.InvariantCulture, $"archive '{archiveName}' {problem}");
        return inner is null ? new ArchiveException(message) : new ArchiveException(message, inner);
    }

    /// <summary>Splits an entry name into safe path segments, or says why it cannot be used.</summary>
    private static (string[] Segments, string? Reason) ParseName(string name)
    {
        if (name.Length == 0 || name.Contains('\0', StringComparison.Ordinal))
        {
            return ([], Reasons.BadName);
        }

        if (name[0] is '/' or '\\' || Path.IsPathRooted(name) || (name.Length >= 2 && char.IsAsciiLetter(name[0]) && name[1] == ':'))
        {
            return ([], Reasons.AbsolutePath);
        }

        var segments = new List<string>();
        foreach (var segment in name.Split(Separators, StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment == ".")
            {
                continue;
            }

            // Even a '..' that would stay inside is refused: no real repository needs one.
            if (segment == "..")
            {
                return ([], Reasons.PathTraversal);
            }

            // Windows silently drops trailing dots and spaces, which would alias other names.
            if (segment.AsSpan().ContainsAny(InvalidNameChars) || (OperatingSystem.IsWindows() && segment[^1] is '.' or ' '))
            {
                return ([], Reasons.BadName);
            }

            if (Encoding.UTF8.GetByteCount(segment) > MaxNameBytes)
            {
                return ([], Reasons.TooLong);
            }

            segments.Add(segment);
        }

        return ([.. segments], null);
    }

    private static bool IsRegularFile(TarEntryType type) =>
        type is TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile;

    /// <summary>Errors the gzip and tar readers raise on bad input (a bad mtime surfaces as an argument error).</summary>
    private static bool IsBadArchive(Exception e) =>
        e is InvalidDataException or IOException or FormatException or OverflowException or ArgumentException or NotSupportedException;

    /// <summary>The state of one extraction.</summary>
    private sealed class Run(string archiveName, string partial, ArchiveLimits limits)
    {
        private readonly string _partialPrefix = partial + Path.DirectorySeparatorChar;
        private readonly HashSet<string> _extensions = new(
            limits.Extensions.Select(e => e.StartsWith('.') ? e : "." + e),
            StringComparer.OrdinalIgnoreCase);

        private readonly Dictionary<string, int> _skipped = new(StringComparer.Ordinal);
        private readonly byte[] _buffer = new byte[BufferSize];
        private string? _top;
        private bool _topShared = true;
        private int _entries;
        private int _files;
        private long _bytes;

        public async Task ReadAsync(FileStream file, CancellationToken cancellationToken)
        {
            await using var gzip = new GZipStream(file, CompressionMode.Decompress, leaveOpen: true);
            await using var counted = new CountingStream(gzip, limits.MaxUncompressedBytes, archiveName);
            await using var reader = new TarReader(counted, leaveOpen: true);
            while (await NextAsync(reader, cancellationToken) is { } entry)
            {
                if (++_entries > limits.MaxEntries)
                {
                    throw Fail(archiveName, $"has more than {limits.MaxEntries} entries");
                }

                await ExtractEntryAsync(entry, cancellationToken);
            }

            await DrainAsync(counted, cancellationToken);
            CheckTrailer(file, counted.Count);
        }

        /// <summary>Where the output lies in the partial folder: under the shared top folder, if there is one.</summary>
        public string OutputRoot()
        {
            if (!_topShared || _top is null)
            {
                return partial;
            }

            var root = Path.Combine(partial, _top);
            Directory.CreateDirectory(root);
            return root;
        }

        private string _comment = "";

        public ExtractionResult Result() => new(_files, _bytes, _skipped.AsReadOnly()) { Comment = _comment };

        private async Task ExtractEntryAsync(TarEntry entry, CancellationToken cancellationToken)
        {
            // Archive-wide metadata (GitHub records the commit here), not a file.
            if (entry.EntryType == TarEntryType.GlobalExtendedAttributes)
            {
                if (entry is PaxGlobalExtendedAttributesTarEntry global && global.GlobalExtendedAttributes.TryGetValue("comment", out var comment))
                {
                    _comment = comment.Trim();
                }

                return;
            }

            var (segments, reason) = ParseName(entry.Name);
            if (reason is not null)
            {
                Skip(reason);
                return;
            }

            var isDirectory = entry.EntryType == TarEntryType.Directory;
            if (segments.Length == 0)
            {
                // "./" names the archive root itself.
                if (!isDirectory)
                {
                    Skip(Reasons.BadName);
                }

                return;
            }

            NoteTop(segments, isDirectory);
            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                    // Directories are made as the files in them are written; empty ones are of no use.
                    return;
                case TarEntryType.SymbolicLink:
                    Skip(Reasons.Symlink);
                    return;
                case TarEntryType.HardLink:
                    Skip(Reasons.Hardlink);
                    return;
                case var type when !IsRegularFile(type):
                    Skip(Reasons.OtherType);
                    return;
                default:
                    break;
            }

            if (!_extensions.Contains(Path.GetExtension(segments[^1])))
            {
                Skip(Reasons.NotWanted);
                return;
            }

            // The header is a first cheap check; the copy below enforces the limit on the bytes actually read.
            if (entry.Length > limits.MaxFileBytes)
            {
                Skip(Reasons.TooLarge);
                return;
            }

            var path = Path.GetFullPath(Path.Combine([partial, .. segments]));
            if (!path.StartsWith(_partialPrefix, StringComparison.Ordinal))
            {
                Skip(Reasons.PathTraversal);
                return;
            }

            if (Encoding.UTF8.GetByteCount(path) >= MaxPathBytes)
            {
                Skip(Reasons.TooLong);
                return;
            }

            await WriteFileAsync(entry, path, segments, cancellationToken);
        }

        private async Task WriteFileAsync(TarEntry entry, string path, string[] segments, CancellationToken cancellationToken)
        {
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            }
            catch (IOException) when (ParentIsFile(segments))
            {
                Skip(Reasons.Conflict);
                return;
            }

            if (Directory.Exists(path))
            {
                Skip(Reasons.Conflict);
                return;
            }

            // A repeated entry replaces the earlier one, as tar does.
            var earlier = new FileInfo(path);
            if (earlier.Exists)
            {
                _files--;
                _bytes -= earlier.Length;
                earlier.Delete();
            }

            long length = 0;
            var tooLarge = false;
            {
                // CreateNew: the partial folder is ours and fresh, and O_EXCL never follows a link.
                await using var output = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1, FileOptions.Asynchronous);
                if (entry.DataStream is { } data)
                {
                    while (true)
                    {
                        // At most MaxFileBytes + 1 bytes are read, whatever the header claims.
                        var want = (int)Math.Min(_buffer.Length, limits.MaxFileBytes + 1 - length);
                        var read = await ReadDataAsync(data, _buffer.AsMemory(0, want), cancellationToken);
                        if (read == 0)
                        {
                            break;
                        }

                        length += read;
                        if (length > limits.MaxFileBytes)
                        {
                            tooLarge = true;
                            break;
                        }

                        if (_bytes + length > limits.MaxTotalBytes)
                        {
                            throw Fail(archiveName, $"extracts to more than {limits.MaxTotalBytes} bytes");
                        }

                        await output.WriteAsync(_buffer.AsMemory(0, read), cancellationToken);
                    }
                }
            }

            if (tooLarge)
            {
                File.Delete(path);
                Skip(Reasons.TooLarge);
                return;
            }

            _files++;
            _bytes += length;
        }

        private bool ParentIsFile(string[] segments)
        {
            var path = partial;
            foreach (var segment in segments.AsSpan(0, segments.Length - 1))
            {
                path = Path.Combine(path, segment);
                if (File.Exists(path))
                {
                    return true;
                }
            }

            return false;
        }

        private void NoteTop(string[] segments, bool isDirectory)
        {
            // A file at the top level means there is no single top folder to strip.
            if (segments.Length == 1 && !isDirectory)
            {
                _topShared = false;
            }
            else if (_top is null)
            {
                _top = segments[0];
            }
            else if (!string.Equals(_top, segments[0], StringComparison.Ordinal))
            {
                _topShared = false;
            }
        }

        private void Skip(string reason) => _skipped[reason] = _skipped.GetValueOrDefault(reason) + 1;

        private async Task<TarEntry?> NextAsync(TarReader reader, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                return await reader.GetNextEntryAsync(copyData: false, cancellationToken);
            }
            catch (Exception e) when (IsBadArchive(e))
            {
                throw Corrupt(e);
            }
        }

        private async Task<int> ReadDataAsync(Stream data, Memory<byte> buffer, CancellationToken cancellationToken)
        {
            try
            {
                return await data.ReadAsync(buffer, cancellationToken);
            }
            catch (Exception e) when (IsBadArchive(e))
            {
                throw Corrupt(e);
            }
        }

        /// <summary>Reads past the end-of-archive blocks, so that gzip checks its CRC and length trailer.</summary>
        private async Task DrainAsync(CountingStream counted, CancellationToken cancellationToken)
        {
            while (await ReadDataAsync(counted, _buffer, cancellationToken) > 0)
            {
            }
        }

        /// <summary>
        /// GZipStream accepts a stream that stops before its trailer, so a download cut within the last bytes would
        /// pass unseen; the trailer's last field, the uncompressed length mod 2^32, must match what was read.
        /// </summary>
        private void CheckTrailer(FileStream file, long decompressed)
        {
            Span<byte> trailer = stackalloc byte[4];
            if (file.Length < 4 || RandomAccess.Read(file.SafeFileHandle, trailer, file.Length - 4) != 4
                || BinaryPrimitives.ReadUInt32LittleEndian(trailer) != unchecked((uint)decompressed))
            {
                throw Fail(archiveName, "is truncated: the gzip trailer is missing or does not match the data");
            }
        }

        private ArchiveException Corrupt(Exception e) =>
            Fail(archiveName, $"is corrupt or truncated: {e.Message}", e);
    }

    /// <summary>Counts the bytes read through it and stops at a limit.</summary>
    private sealed class CountingStream(Stream inner, long limit, string archiveName) : Stream
    {
        public long Count { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer) => Counted(inner.Read(buffer));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Counted(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Counted(int read)
        {
            Count += read;
            if (Count > limit)
            {
                throw Fail(archiveName, $"decompresses to more than {limit} bytes");
            }

            return read;
        }
    }
}
