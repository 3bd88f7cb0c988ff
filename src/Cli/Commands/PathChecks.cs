using AutoRefiner.Core;

namespace AutoRefiner.Cli.Commands;

/// <summary>Checks on paths the user gives, so a mistake is a sentence and not an exception.</summary>
internal static class PathChecks
{
    /// <summary>A usage error when <paramref name="path"/> cannot be a folder: it, or a folder above it, is a file.</summary>
    public static void EnsureFolderCanExist(string path, string option)
    {
        for (var p = Path.GetFullPath(path); !string.IsNullOrEmpty(p); p = Path.GetDirectoryName(p))
        {
            if (File.Exists(p))
            {
                throw AutoRefinerException.Usage(p == Path.GetFullPath(path)
                    ? $"{option} '{path}' is a file; give a folder"
                    : $"{option} '{path}' is inside '{p}', which is a file");
            }

            if (Directory.Exists(p))
            {
                return;
            }
        }
    }

    /// <summary>A usage error when <paramref name="path"/> cannot be a file: it is a folder, or a folder above it is a file.</summary>
    public static void EnsureFileCanExist(string path, string option)
    {
        if (Directory.Exists(path))
        {
            throw AutoRefinerException.Usage($"{option} '{path}' is a folder; give a file");
        }

        // The same places an output may not go: a state store in /etc or ~/.ssh is not the user's intent either.
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { Length: > 0 } folder && Exporter.UnsafeDestinations.Why(folder) is { } why)
        {
            throw AutoRefinerException.Usage($"{option} '{path}' is in a folder that {why}; give a file in a folder of your own (e.g. {option} ./state.db)");
        }

        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { Length: > 0 } parent)
        {
            EnsureFolderCanExist(parent, option);
        }
    }
}
