using System.Text.Json;
using AutoRefiner.Core;

namespace AutoRefiner.Exporter;

/// <summary>
/// The one guard every command that writes an output passes its destination through (<c>harvest</c>, <c>refresh</c>,
/// <c>merge</c>, <c>validate</c>, <c>report</c>), before any work. It decides, in this order: the destination is safe
/// (not the root, the home folder itself or a system folder, links resolved); it can be a folder; it is AutoRefiner's
/// (its marker file says so) or holds none of the names a run writes; it can be written to (a probe is created and
/// deleted). What it then allows to be replaced is only what AutoRefiner wrote there before: the layout's own files and
/// the files the marker lists. A file the tool did not write is never replaced or deleted.
/// </summary>
internal sealed class OutputFolder
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

        var marker = Marker.Read(Path.Combine(full, layout.Marker));
        if (existing && marker is null)
        {
            throw AutoRefinerException.Usage($"'{shown}' is not an AutoRefiner output folder (it has no AutoRefiner {layout.Marker}): run `autorefiner harvest` first, or give {option}");
        }

        var previous = marker is null ? EnsureHoldsNoneOfOurNames(full, layout, option) : Ours(full, layout, marker, option);
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

    /// <summary>Refuses a folder without our marker that holds a name a run writes; what a run may replace there is nothing.</summary>
    private static HashSet<string> EnsureHoldsNoneOfOurNames(string full, OutputLayout layout, string option)
    {
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
        var writable = marker.Files.Where(f => layout.Written.Contains(f) || layout.Folders.Any(d => f.StartsWith(d + "/", StringComparison.Ordinal)));
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
