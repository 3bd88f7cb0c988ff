namespace AutoRefiner.Exporter;

/// <summary>
/// Folders no command writes its output into: the root of a file system, the home folder itself, shared parents such as
/// <c>/home</c> or <c>/tmp</c>, and the operating system's own folders (<c>/proc</c>, <c>/etc</c>, <c>/usr</c>, …) with
/// everything under them. A path is judged as given and with its symbolic links resolved, so a link cannot lead a run
/// into <c>/etc</c>.
/// </summary>
public static class UnsafeDestinations
{
    /// <summary>Folders of the system, refused together with everything under them.</summary>
    private static readonly string[] SystemTrees =
    [
        "/proc", "/sys", "/dev", "/etc", "/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/boot", "/var", "/run", "/snap",
        "/System", "/Library", "/Applications", "/private", "/cores",
    ];

    /// <summary>Shared parents, refused themselves (a folder inside them is fine).</summary>
    private static readonly string[] SharedFolders = ["/home", "/Users", "/opt", "/srv", "/mnt", "/media", "/tmp", "/Volumes", "/var/tmp", "/private/tmp"];

    /// <summary>Places under a system folder where writing is normal: scratch folders for everyone.</summary>
    private static readonly string[] ScratchTrees = ["/var/tmp", "/private/tmp", "/private/var/tmp"];

    /// <summary>Why <paramref name="fullPath"/> may not receive an output, as the end of a sentence; null when it may.</summary>
    public static string? Why(string fullPath)
    {
        var given = Why(fullPath, resolvedFrom: null);
        if (given is not null)
        {
            return given;
        }

        var real = Resolve(fullPath);
        return string.Equals(real, fullPath, StringComparison.Ordinal) ? null : Why(real, resolvedFrom: fullPath);
    }

    private static string? Why(string path, string? resolvedFrom)
    {
        var via = resolvedFrom is null ? "" : $"leads to {path}, which ";
        if (Path.GetPathRoot(path) is { } root && string.Equals(Path.TrimEndingDirectorySeparator(path), Path.TrimEndingDirectorySeparator(root), StringComparison.Ordinal))
        {
            return resolvedFrom is null ? "is the root of the file system" : $"{via}is the root of the file system";
        }

        var home = Home();
        if (home is not null && Same(path, home))
        {
            return $"{via}is your home folder itself";
        }

        // The hidden folders of home hold settings, keys and tools (~/.ssh, ~/.config, ~/.dotnet): never a run's output
        // (AutoRefiner's own .autorefiner, where the state store goes by default, excepted).
        if (home is not null && IsUnder(path, home)
            && path[(Path.TrimEndingDirectorySeparator(home).Length + 1)..].Split(Path.DirectorySeparatorChar)[0] is { } top && top.StartsWith('.') && top != ".autorefiner")
        {
            return $"{via}is inside {Path.Combine(home, top)}, a hidden folder of your home (settings, keys, tools)";
        }

        // Inside the home folder or a scratch folder the user may write anything, even when it lies under /var (the
        // home of a CI service account, macOS's temporary folders).
        if ((home is not null && IsUnder(path, home)) || IsUnder(path, Path.GetTempPath()) || ScratchTrees.Any(t => IsUnder(path, t)))
        {
            return null;
        }

        foreach (var shared in SharedFolders.Concat(WindowsShared()))
        {
            if (Same(path, shared))
            {
                return $"{via}is a folder shared by others ({shared})";
            }
        }

        foreach (var system in SystemTrees.Concat(WindowsSystem()))
        {
            if (Same(path, system))
            {
                return $"{via}is a system folder";
            }

            if (IsUnder(path, system))
            {
                return resolvedFrom is null ? $"is inside {system}, a system folder" : $"leads to {path}, which is inside {system}, a system folder";
            }
        }

        return null;
    }

    /// <summary>The user's home folder, or null when it is unknown or the root.</summary>
    private static string? Home()
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return home.Length == 0 || Path.GetPathRoot(home) == home ? null : Path.TrimEndingDirectorySeparator(Path.GetFullPath(home));
    }

    private static IEnumerable<string> WindowsSystem() => OperatingSystem.IsWindows()
        ? new[] { Environment.SpecialFolder.Windows, Environment.SpecialFolder.ProgramFiles, Environment.SpecialFolder.ProgramFilesX86, Environment.SpecialFolder.CommonApplicationData }
            .Select(Environment.GetFolderPath).Where(p => p.Length > 0)
        : [];

    private static IEnumerable<string> WindowsShared() => OperatingSystem.IsWindows()
        ? [Path.GetDirectoryName(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile)) ?? ""]
        : [];

    private static StringComparison Comparison => OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    private static bool Same(string a, string b) =>
        b.Length > 0 && string.Equals(Path.TrimEndingDirectorySeparator(a), Path.TrimEndingDirectorySeparator(b), Comparison);

    private static bool IsUnder(string path, string folder)
    {
        if (folder.Length == 0)
        {
            return false;
        }

        var parent = Path.TrimEndingDirectorySeparator(folder) + Path.DirectorySeparatorChar;
        return path.StartsWith(parent, Comparison);
    }

    /// <summary>
    /// <paramref name="fullPath"/> with every symbolic link along it resolved (the parts that do not exist yet are kept as
    /// they are); a loop of links stops after 40 steps, as the kernel does.
    /// </summary>
    internal static string Resolve(string fullPath)
    {
        var path = Path.GetFullPath(fullPath);
        for (var hops = 0; hops < 40; hops++)
        {
            var root = Path.GetPathRoot(path) ?? "";
            var parts = path[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
            var current = root;
            string? next = null;
            for (var i = 0; i < parts.Length && next is null; i++)
            {
                var candidate = Path.Combine(current, parts[i]);
                string? target;
                try
                {
                    target = new FileInfo(candidate).LinkTarget;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    target = null;
                }

                if (target is null)
                {
                    current = candidate;
                    continue;
                }

                next = Path.GetFullPath(Path.Combine([Path.GetFullPath(target, current), .. parts[(i + 1)..]]));
            }

            if (next is null)
            {
                return current;
            }

            path = next;
        }

        return path;
    }
}
