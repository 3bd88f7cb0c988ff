using System.Diagnostics;

namespace AutoRefiner.Cli.Tests;

/// <summary>
/// Real folders the test process cannot read or write. Permission bits alone do not stop root (the tests run as root
/// here), so each helper checks that its fault really holds and uses what stops root too when the bits do not.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal static class FileSystemFaults
{
    /// <summary>
    /// A folder this process cannot list: mode 000 for an ordinary user; for root, whom modes do not stop,
    /// <c>/proc/1/map_files</c>, which the kernel lists only to a process allowed to ptrace pid 1 (never a container's root).
    /// </summary>
    public static string UnreadableFolder(TempDir dir)
    {
        var path = Directory.CreateDirectory(dir.Combine("locked")).FullName;
        File.SetUnixFileMode(path, UnixFileMode.None);
        if (!CanList(path))
        {
            return path;
        }

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        const string Kernel = "/proc/1/map_files";
        Assert.True(Directory.Exists(Kernel) && !CanList(Kernel), $"no folder that this process cannot list: mode 000 does not stop it and {Kernel} is listable");
        return Kernel;
    }

    /// <summary>
    /// Makes <paramref name="path"/> (a folder) unwritable: mode 555 for an ordinary user; for root, the immutable
    /// attribute (<c>chattr +i</c>), which stops root too. Dispose the result to undo it.
    /// </summary>
    public static IDisposable ReadOnlyFolder(string path)
    {
        Directory.CreateDirectory(path);
        var mode = File.GetUnixFileMode(path);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var immutable = false;
        if (CanWrite(path))
        {
            immutable = Chattr("+i", path);
        }

        var undo = new Undo(() =>
        {
            if (immutable)
            {
                Chattr("-i", path);
            }

            File.SetUnixFileMode(path, mode);
        });
        if (CanWrite(path))
        {
            undo.Dispose();
            Assert.Fail($"cannot make {path} read-only here: mode 555 does not stop this process and chattr +i failed");
        }

        return undo;
    }

    private static bool CanList(string path)
    {
        try
        {
            _ = Directory.GetFileSystemEntries(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static bool CanWrite(string path)
    {
        try
        {
            using (File.Create(Path.Combine(path, ".write-check"), 1, FileOptions.DeleteOnClose))
            {
            }

            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static bool Chattr(string flag, string path)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("chattr", [flag, path]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            process.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private sealed class Undo(Action action) : IDisposable
    {
        private Action? _action = action;

        public void Dispose()
        {
            _action?.Invoke();
            _action = null;
        }
    }
}
