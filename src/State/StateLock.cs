using System.Globalization;
using AutoRefiner.Core;

namespace AutoRefiner.State;

/// <summary>
/// Keeps two runs off the same state store: an exclusive lock on <c>&lt;state&gt;.lock</c>, held for the run and
/// released by the operating system when the process ends, however it ends (a <c>kill -9</c> leaves no stale lock).
/// </summary>
public sealed class StateLock : IDisposable
{
    private readonly FileStream _stream;

    private StateLock(FileStream stream) => _stream = stream;

    /// <summary>Takes the lock of <paramref name="statePath"/>, or fails with who holds it.</summary>
    public static StateLock Acquire(string statePath, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(statePath);
        var path = statePath + ".lock";
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } dir)
        {
            Directory.CreateDirectory(dir);
        }

        try
        {
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);

            // Who holds it goes beside the lock: the locked file itself cannot be read by the one who is turned away.
            File.WriteAllText(path + ".owner", string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessId} {now:O}\n"));
            return new StateLock(stream);
        }
        catch (IOException)
        {
            var holder = "";
            try
            {
                var parts = File.ReadAllText(path + ".owner").Trim().Split(' ', 2);
                holder = parts.Length == 2 ? $" (process {parts[0]}, started {parts[1]})" : "";
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The holder's details are a courtesy.
            }

            throw AutoRefinerException.RunFailed(
                $"another autorefiner run{holder} is using the state store {statePath}; wait for it to finish, or give this run its own --state");
        }
    }

    /// <inheritdoc />
    public void Dispose() => _stream.Dispose();
}
