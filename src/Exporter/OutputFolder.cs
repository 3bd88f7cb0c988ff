using System.Text.Json;
using AutoRefiner.Core;
using AutoRefiner.Core.Text;

namespace AutoRefiner.Exporter;

/// <summary>
/// The one guard every command that writes an output passes its destination through (<c>harvest</c>, <c>refresh</c>,
/// <c>merge</c>, <c>validate</c>, <c>report</c>), before any work. It decides, in this order: the destination is safe
/// (not the root, the home folder itself or a system folder, links resolved); it can be a folder; it is AutoRefiner's
/// (its marker file says so) or holds none of the names a run writes; it can be written to (a probe is created and
/// deleted). What it then allows to be replaced is only what AutoRefiner wrote there before: the layout's own files and
/// the files the marker lists. A file the tool did not write is never replaced or deleted.
/// </summary>
public sealed class OutputFolder
{
    private readonly HashSet<string> _previous;

    private OutputFolder(string fullPath, string shown, OutputLayout layout, HashSet<string> previous, long? previousRows, bool allowEmpty)
    {
        FullPath = fullPath;
        Shown = shown;
        Layout = layout;
        _previous = previous;
        PreviousRows = previousRows;
        AllowEmpty = allowEmpty;
    }

    /// <summary>The folder, as a full path.</summary>
    public string FullPath { get; }

    /// <summary>The folder as the user gave it, for messages.</summary>
    public string Shown { get; }

    /// <summary>What is written there.</summary>
    public OutputLayout Layout { get; }

    /// <summary>Rows of the dataset already in the folder (from its manifest), or null when it holds none.</summary>
    public long? PreviousRows { get; }

    /// <summary>Whether a run that produced no rows may replace a dataset that has some (<c>--allow-empty</c>).</summary>
    public bool AllowEmpty { get; }

    /// <summary>Files (relative, with <c>/</c>) that AutoRefiner wrote there before and that exist now: the ones a run may replace or remove.</summary>
    public IReadOnlyCollection<string> Previous => _previous;

    /// <summary>
    /// Checks <paramref name="path"/> as the destination of a run of <paramref name="layout"/>; a usage error, naming
    /// <paramref name="option"/> and the path as <paramref name="shown"/>, when it may not be used. With
    /// <paramref name="existing"/>, the folder must already hold AutoRefiner's output (<c>report</c> adds to one).
    /// </summary>
    public static OutputFolder Claim(string path, string shown, string option, OutputLayout layout, bool allowEmpty = false, bool existing = false)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        if (full.Length == 0)
        {
            full = Path.GetFullPath(path);
        }

        if (UnsafeDestinations.Why(full) is { } why)
        {
            throw AutoRefinerException.Usage($"{option} '{shown}' {why}; give a folder of its own (e.g. {option} ./out), which a run creates when missing");
        }

        EnsureCanBeFolder(full, shown, option);
        if (existing && !Directory.Exists(full))
        {
            throw AutoRefinerException.Usage($"'{shown}' does not exist: run `autorefiner harvest` first, or give {option}");
        }

        // A dataset's folder is not validate's (nor the other way round): its files would mix into the dataset and be pushed.
        if (layout.Marker != OutputLayout.Dataset.Marker && Marker.Read(Path.Combine(full, OutputLayout.Dataset.Marker)) is not null)
        {
            throw AutoRefinerException.Usage(
                $"{option} '{shown}' holds an AutoRefiner dataset (its {OutputLayout.Dataset.Marker}); this command's results would mix into it, so choose another {option}");
        }

        var marker = Marker.Read(Path.Combine(full, layout.Marker));
        if (existing && marker is null)
        {
            throw AutoRefinerException.Usage($"'{shown}' is not an AutoRefiner output folder (it has no AutoRefiner {layout.Marker}): run `autorefiner harvest` first, or give {option}");
        }

        var previous = marker is null ? EnsureHoldsNoneOfOurNames(full, layout, option) : Ours(full, layout, marker, option);
        if (FirstLink(full, layout.Names.Concat(previous)) is { } link)
        {
            throw AutoRefinerException.Usage(
                $"{option} '{shown}' holds {link}, a symbolic link; AutoRefiner never writes or deletes through a link (it could lead out of the folder), so replace it with a real folder or file, or choose another {option}");
        }

        EnsureWritable(full, shown, option);
        return new OutputFolder(full, shown, layout, previous, marker?.Rows, allowEmpty);
    }

    /// <summary>A usage error when <paramref name="fullPath"/> cannot be a folder: it, or a folder above it, is a file.</summary>
    public static void EnsureCanBeFolder(string fullPath, string shown, string option)
    {
        for (var p = fullPath; !string.IsNullOrEmpty(p); p = Path.GetDirectoryName(p))
        {
            if (File.Exists(p))
            {
                throw AutoRefinerException.Usage(p == fullPath
                    ? $"{option} '{shown}' is a file; give a folder (it is created when missing)"
                    : $"{option} '{shown}' is inside '{p}', which is a file");
            }

            if (Directory.Exists(p))
            {
                return;
            }
        }
    }

    /// <summary>Whether a run may replace or remove the file at <paramref name="relative"/> (with <c>/</c>).</summary>
    public bool MayReplace(string relative) => _previous.Contains(relative);

    /// <summary>
    /// A run failure when a file this run is about to write would replace one AutoRefiner did not write (a name its
    /// manifest does not list): nothing is replaced then.
    /// </summary>
    public void EnsureMayWrite(IEnumerable<string> relatives)
    {
        var foreign = relatives
            .Where(r => Path.Exists(Path.Combine(FullPath, r)) && !MayReplace(r))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (foreign.Count > 0)
        {
            throw AutoRefinerException.RunFailed(
                $"{Shown} holds {string.Join(", ", foreign.Take(5))}{(foreign.Count > 5 ? $" and {foreign.Count - 5} more" : "")}, which {Layout.Marker} does not list as written by AutoRefiner; the run would replace {(foreign.Count == 1 ? "it" : "them")}, so nothing was replaced: move {(foreign.Count == 1 ? "it" : "them")} away and run again");
        }
    }

    /// <summary>
    /// The first symbolic link (its full path) among <paramref name="relatives"/> under <paramref name="full"/> and the
    /// folders on the way to them, or null when there is none.
    /// </summary>
    private static string? FirstLink(string full, IEnumerable<string> relatives)
    {
        foreach (var relative in relatives)
        {
            var path = full;
            foreach (var part in relative.Split('/'))
            {
                path = Path.Combine(path, part);
                if (IsLink(path))
                {
                    return path;
                }
            }
        }

        return null;
    }

    private static bool IsLink(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget is not null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// Moves the files of <paramref name="staging"/> (relative paths, with <c>/</c>) into the folder, replacing the
    /// previous run's, and removes the previous run's files that this run does not write again. Nothing is replaced
    /// through a symbolic link (one placed during the run is refused here). Every target is checked before anything
    /// moves; the previous files are first set aside inside the staging folder, and when a move fails every move is
    /// undone, so the folder holds either the whole previous output or the whole new one. The marker moves after the
    /// others. <paramref name="wrote"/> is told each file placed; <paramref name="carried"/> are earlier files of ours
    /// that stay as they are (the new marker lists them still).
    /// </summary>
    public void Publish(string staging, IReadOnlyList<string> staged, Action<string>? wrote = null, IReadOnlyCollection<string>? carried = null)
    {
        ArgumentNullException.ThrowIfNull(staging);
        ArgumentNullException.ThrowIfNull(staged);
        EnsureMayWrite(staged);
        var removed = _previous.Except(staged, StringComparer.Ordinal).Except(carried ?? [], StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (FirstLink(FullPath, staged.Concat(removed)) is { } link)
        {
            throw AutoRefinerException.RunFailed(
                $"{link} became a symbolic link during the run; AutoRefiner never writes or deletes through a link, so nothing was replaced: remove the link and run again");
        }

        // Every folder a file goes into or leaves must let files be created and removed: said now, before anything moves.
        foreach (var dir in staged.Concat(removed).Select(r => Path.GetDirectoryName(Path.Combine(FullPath, r))!).Distinct(StringComparer.Ordinal).Where(Directory.Exists))
        {
            try
            {
                using (File.Create(Path.Combine(dir, $".autorefiner-probe-{Environment.ProcessId}-{Guid.NewGuid():N}"), 1, FileOptions.DeleteOnClose))
                {
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw AutoRefinerException.RunFailed(
                    $"{dir} does not let files be replaced ({FileProblem.Why(e)}), so nothing was replaced and the previous output in {Shown} is whole; make it writable and run again");
            }
        }

        var aside = Path.Combine(staging, ".previous");
        var setAside = new List<string>();
        var placed = new List<string>();
        var order = staged.Where(r => r != Layout.Marker).Append(Layout.Marker).Where(staged.Contains).ToList();
        var current = "";
        try
        {
            foreach (var relative in staged.Concat(removed).Where(_previous.Contains).Where(r => File.Exists(Path.Combine(FullPath, r))))
            {
                current = relative;
                var to = Path.Combine(aside, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(to)!);
                File.Move(Path.Combine(FullPath, relative), to);
                setAside.Add(relative);
            }

            foreach (var relative in order)
            {
                current = relative;
                var target = Path.Combine(FullPath, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Move(Path.Combine(staging, relative), target, overwrite: false);
                placed.Add(relative);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var restored = Undo(staging, aside, setAside, placed);
            throw AutoRefinerException.RunFailed(restored
                ? $"{Path.Combine(FullPath, current)} could not be replaced ({FileProblem.Why(e)}); every file moved was put back, so the previous output in {Shown} is whole: make it writable and run again"
                : $"{Path.Combine(FullPath, current)} could not be replaced ({FileProblem.Why(e)}), and not every file could be put back: the previous files are in {aside}");
        }

        foreach (var relative in placed)
        {
            wrote?.Invoke(relative);
        }

        // A folder left empty by the removals goes too; one that still holds the user's files stays.
        foreach (var dir in removed.Select(r => Path.GetDirectoryName(Path.Combine(FullPath, r))!).Distinct(StringComparer.Ordinal).OrderByDescending(d => d.Length))
        {
            for (var d = dir; d.Length > FullPath.Length && Directory.Exists(d) && !IsLink(d) && !Directory.EnumerateFileSystemEntries(d).Any(); d = Path.GetDirectoryName(d)!)
            {
                Directory.Delete(d);
            }
        }
    }

    /// <summary>Takes the new files out again and puts the previous ones back; false when something could not be put back.</summary>
    private bool Undo(string staging, string aside, List<string> setAside, List<string> placed)
    {
        var whole = true;
        foreach (var relative in placed)
        {
            try
            {
                File.Move(Path.Combine(FullPath, relative), Path.Combine(staging, relative), overwrite: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                whole = false;
            }
        }

        foreach (var relative in setAside)
        {
            try
            {
                File.Move(Path.Combine(aside, relative), Path.Combine(FullPath, relative), overwrite: false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                whole = false;
            }
        }

        return whole;
    }

    /// <summary>
    /// Refuses a folder without our marker that holds anything at all (<c>--out .</c> in a project, a shared folder such
    /// as /work): a run's files would mix with files that are not its own, and push would have no way to tell them apart
    /// later. Hidden entries (<c>.git</c>, <c>.gitattributes</c> of a Hub clone, our staging folders) do not count, and
    /// push never uploads them. Such a folder is one of ours only once a run has written its marker there; what a run may
    /// replace there is nothing.
    /// </summary>
    private static HashSet<string> EnsureHoldsNoneOfOurNames(string full, OutputLayout layout, string option)
    {
        var entries = Directory.Exists(full)
            ? Directory.EnumerateFileSystemEntries(full).Select(Path.GetFileName).Where(n => n is not null && !n.StartsWith('.')).Order(StringComparer.Ordinal).ToList()
            : [];
        if (entries.Count > 0 && !entries.Any(n => layout.Names.Contains(n!)))
        {
            throw AutoRefinerException.Usage(
                $"the output folder {full} is not empty ({string.Join(", ", entries.Take(3))}{(entries.Count > 3 ? $" and {entries.Count - 3} more" : "")}) and holds no AutoRefiner {layout.Marker}; a run writes only into a new or empty folder, or one it wrote before, so choose another {option} (e.g. a new subfolder)");
        }

        var foreign = layout.Names.Where(n => Path.Exists(Path.Combine(full, n))).ToList();
        if (foreign.Count > 0)
        {
            throw AutoRefinerException.Usage(
                $"the output folder {full} holds {string.Join(", ", foreign)} but no AutoRefiner {layout.Marker}; a run would replace {(foreign.Count == 1 ? "it" : "them")}, so choose another {option} (an empty or new folder)");
        }

        return new HashSet<string>(StringComparer.Ordinal);
    }

    /// <summary>What a run may replace in a folder of ours: the layout's own files and what the marker lists, where they exist as files.</summary>
    private static HashSet<string> Ours(string full, OutputLayout layout, Marker marker, string option)
    {
        foreach (var name in layout.Owned.Concat(layout.Written).Where(n => Directory.Exists(Path.Combine(full, n))))
        {
            throw AutoRefinerException.Usage(
                $"{Path.Combine(full, name)} is a folder that AutoRefiner did not make; a run writes a file of that name, so move it away or choose another {option}");
        }

        foreach (var name in layout.Folders.Where(n => File.Exists(Path.Combine(full, n))))
        {
            throw AutoRefinerException.Usage(
                $"{Path.Combine(full, name)} is a file that AutoRefiner did not write; a run writes a folder of that name, so move it away or choose another {option}");
        }

        var previous = new HashSet<string>(StringComparer.Ordinal);
        // A listed file counts only where a run of this layout writes: a hand-edited marker cannot hand over photos/a.jpg.
        var writable = marker.Files.Where(layout.MayHaveWritten);
        foreach (var name in layout.Owned.Concat(writable))
        {
            if (File.Exists(Path.Combine(full, name)))
            {
                previous.Add(name);
            }
        }

        var unlisted = layout.Written.Where(n => File.Exists(Path.Combine(full, n)) && !previous.Contains(n)).ToList();
        if (unlisted.Count > 0)
        {
            throw AutoRefinerException.Usage(
                $"the output folder {full} holds {string.Join(", ", unlisted)}, which its {layout.Marker} does not list as written by AutoRefiner; a run would replace {(unlisted.Count == 1 ? "it" : "them")}, so move {(unlisted.Count == 1 ? "it" : "them")} away or choose another {option}");
        }

        return previous;
    }

    /// <summary>
    /// Creates and deletes a probe file in the folder (or, when it does not exist yet, a probe folder next to where it
    /// will be), so an unwritable destination is said before the work and not after it.
    /// </summary>
    private static void EnsureWritable(string full, string shown, string option)
    {
        var probeName = $".autorefiner-probe-{Environment.ProcessId}-{Guid.NewGuid():N}";
        var parent = full;
        while (!Directory.Exists(parent) && Path.GetDirectoryName(parent) is { } up)
        {
            parent = up;
        }

        var probe = Path.Combine(parent, probeName);
        try
        {
            if (parent == full)
            {
                using (File.Create(probe, 1, FileOptions.DeleteOnClose))
                {
                }
            }
            else
            {
                Directory.CreateDirectory(probe);
                Directory.Delete(probe);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var where = parent == full ? "" : $" (a folder cannot be made in {parent})";
            throw AutoRefinerException.Usage(
                $"{option} '{shown}' cannot be written to{where}: it is read-only or you lack the permission; give a folder you can write to");
        }
    }

    /// <summary>An AutoRefiner marker file: what it lists as written, and the rows of the dataset it describes.</summary>
    private sealed record Marker(IReadOnlyList<string> Files, long? Rows)
    {
        /// <summary>The marker at <paramref name="path"/>, or null when it is missing or not AutoRefiner's.</summary>
        public static Marker? Read(string path)
        {
            if (!File.Exists(path))
            {
                return null;
            }

            try
            {
                using var stream = File.OpenRead(path);
                using var doc = JsonDocument.Parse(stream);
                var root = doc.RootElement;
                if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("tool", out var tool) || tool.ValueKind != JsonValueKind.String || tool.GetString() != "autorefiner")
                {
                    return null;
                }

                var files = new List<string>();
                if (root.TryGetProperty("files", out var listed) && listed.ValueKind == JsonValueKind.Array)
                {
                    foreach (var file in listed.EnumerateArray())
                    {
                        var name = file.ValueKind == JsonValueKind.Object && file.TryGetProperty("path", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
                        if (name is not null && IsInside(name))
                        {
                            files.Add(name);
                        }
                    }
                }

                long? rows = null;
                if (root.TryGetProperty("counts", out var counts) && counts.ValueKind == JsonValueKind.Object
                    && counts.TryGetProperty("rows", out var perSplit) && perSplit.ValueKind == JsonValueKind.Object)
                {
                    rows = perSplit.EnumerateObject().Sum(s => s.Value.ValueKind == JsonValueKind.Number && s.Value.TryGetInt64(out var n) ? n : 0);
                }

                return new Marker(files, rows);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
            {
                return null;
            }
        }

        /// <summary>A listed path is trusted only when it stays inside the folder: a hand-edited marker cannot name /etc/passwd.</summary>
        private static bool IsInside(string relative) =>
            relative.Length > 0
            && !Path.IsPathRooted(relative)
            && !relative.Contains('\\', StringComparison.Ordinal)
            && relative.Split('/').All(part => part.Length > 0 && part != "." && part != "..");
    }
}
