using System.Collections.Concurrent;
using System.Globalization;
using AutoRefiner.Core;

namespace AutoRefiner.Validator.Sandbox;

/// <summary>
/// A pool of sandbox workers (<c>src/Sandbox</c>), reused across samples for speed and replaced after a timeout, a crash,
/// a retirement the worker asks for (a runaway thread, exhausted memory, a context that would not unload) or
/// <see cref="SandboxOptions.SamplesPerWorker"/> samples. Each worker runs in its own scratch directory with an empty
/// environment (no inherited secrets), a managed-heap cap and — where the machine allows — a network namespace of its
/// own and an unprivileged user (docs/sandbox.md).
/// </summary>
public sealed partial class SandboxPool : IAsyncDisposable
{
    private const int Nobody = 65534;
    private readonly SandboxOptions _options;
    private readonly SemaphoreSlim _slots;
    private readonly SemaphoreSlim _startLock = new(1, 1);
    private readonly ConcurrentBag<SandboxWorker> _idle = [];
    private readonly string _root;
    private readonly string _workerDll;
    private IReadOnlyList<string>? _prefix;
    private volatile bool _invariantCulture;
    private int _nextWorker;
    private long _started;
    private long _replaced;

    private readonly Core.Pipeline.SandboxUsage? _usage;

    /// <summary>Creates the pool; workers start on first use. <paramref name="usage"/> receives the run's counts.</summary>
    public SandboxPool(SandboxOptions options, Core.Pipeline.SandboxUsage? usage = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _usage = usage;
        _slots = new SemaphoreSlim(Math.Max(1, options.Workers));
        var directory = options.WorkerDirectory ?? AppContext.BaseDirectory;
        _workerDll = Path.Combine(directory, "AutoRefiner.Sandbox.dll");
        RemoveAbandoned();
        _root = Path.Combine(Path.GetTempPath(), $"autorefiner-sandbox-{System.Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}");
        Directory.CreateDirectory(_root);
        if (!OperatingSystem.IsWindows())
        {
            // Others may pass through (an unprivileged worker reaches its own folder) but not list it.
            File.SetUnixFileMode(_root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }
    }

    /// <summary>The isolation layers in force, in words (known once a worker has started).</summary>
    public string Isolation { get; private set; } = "not started";

    /// <summary>Worker processes started so far.</summary>
    public long Started => Interlocked.Read(ref _started);

    /// <summary>Workers replaced after a timeout, a crash or a retirement.</summary>
    public long Replaced => Interlocked.Read(ref _replaced);

    /// <summary>Runs the tests of one compiled assembly in a worker.</summary>
    public async Task<SandboxOutcome> RunAsync(byte[] image, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var worker = _idle.TryTake(out var idle) ? idle : await StartWorkerAsync(cancellationToken).ConfigureAwait(false);
            var testTimeout = _options.TestTimeout < _options.SampleTimeout ? _options.TestTimeout : _options.SampleTimeout;
            SandboxOutcome outcome;
            try
            {
                // A little grace beyond the sample's limit, so that a test the worker times out itself is reported as such.
                outcome = await worker.RunAsync(image, testTimeout, _options.SampleTimeout + TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                worker.Dispose();
                throw;
            }

            if (outcome.End == SandboxEnd.Crashed && IsOutOfMemory(outcome.Detail))
            {
                outcome = outcome with { Detail = $"{outcome.Detail} (the heap cap is {_options.MemoryCapBytes / (1024 * 1024)} MB: validation.memory-mb)" };
            }

            if (outcome.End == SandboxEnd.Completed && outcome.Response is { Retiring: false } && worker.Served < _options.SamplesPerWorker)
            {
                _idle.Add(worker);
            }
            else
            {
                worker.Dispose();
                if (outcome.End != SandboxEnd.Completed || outcome.Response?.Retiring == true)
                {
                    Interlocked.Increment(ref _replaced);
                    _usage?.CountReplaced();
                }
            }

            return outcome;
        }
        finally
        {
            _slots.Release();
        }
    }

    private static bool IsOutOfMemory(string detail) =>
        detail.Contains("OutOfMemory", StringComparison.Ordinal) || detail.Contains("out of memory", StringComparison.OrdinalIgnoreCase);

    private async Task<SandboxWorker> StartWorkerAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await StartAnyWorkerAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Reaches the user: a sentence that says what could not be done, not the process API's exception.
            throw AutoRefinerException.RunFailed($"a sandbox worker could not be started: {e.Message}", e);
        }
    }

    private async Task<SandboxWorker> StartAnyWorkerAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(_workerDll))
        {
            throw AutoRefinerException.RunFailed($"the sandbox worker is missing: {_workerDll} (build src/Sandbox)");
        }

        var host = DotnetHost();
        if (_prefix is { } known)
        {
            var scratch = NewScratch();
            Interlocked.Increment(ref _started);
            _usage?.CountStarted();
            return await SandboxWorker.StartAsync([.. known, host, _workerDll], WorkerEnvironment(scratch), scratch, TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        }

        await _startLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_prefix is { } decided)
            {
                var scratch = NewScratch();
                Interlocked.Increment(ref _started);
                _usage?.CountStarted();
                return await SandboxWorker.StartAsync([.. decided, host, _workerDll], WorkerEnvironment(scratch), scratch, TimeSpan.FromSeconds(30)).ConfigureAwait(false);
            }

            // The strongest isolation this machine grants, found by trying: each layer is kept only if a worker starts under it.
            Exception? last = null;
            foreach (var (prefix, layers) in Candidates())
            {
                try
                {
                    // A fresh folder for each attempt: a failed attempt's worker takes its folder with it.
                    var scratch = NewScratch();
                    SandboxWorker worker;
                    try
                    {
                        worker = await SandboxWorker.StartAsync([.. prefix, host, _workerDll], WorkerEnvironment(scratch), scratch, TimeSpan.FromSeconds(30)).ConfigureAwait(false);
                    }
                    catch (InvalidOperationException e) when (!_invariantCulture && e.Message.Contains("ICU", StringComparison.Ordinal))
                    {
                        // No culture data on this machine (libicu is not installed): workers run without it, and samples
                        // that format for a culture fail as they would on any such machine.
                        _invariantCulture = true;
                        var retry = NewScratch();
                        worker = await SandboxWorker.StartAsync([.. prefix, host, _workerDll], WorkerEnvironment(retry), retry, TimeSpan.FromSeconds(30)).ConfigureAwait(false);
                    }

                    _prefix = prefix;
                    Isolation = string.Join(", ", layers.Append("empty environment").Append($"{_options.MemoryCapBytes / (1024 * 1024)} MB heap cap").Append("scratch working directory")
                        .Append(_invariantCulture ? "no culture data (ICU not installed)" : "culture data (ICU)"));
                    if (_usage is not null)
                    {
                        _usage.Isolation = Isolation;
                    }

                    Interlocked.Increment(ref _started);
                    _usage?.CountStarted();
                    return worker;
                }
                catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
                {
                    last = e;
                }
            }

            throw AutoRefinerException.RunFailed($"no sandbox worker could be started: {last?.Message}", last);
        }
        finally
        {
            _startLock.Release();
        }
    }

    private string NewScratch()
    {
        var scratch = Path.Combine(_root, "w" + Interlocked.Increment(ref _nextWorker).ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(scratch);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(scratch, (UnixFileMode)0x1FF); // 0777: the worker may run as another user
        }

        return scratch;
    }

    /// <summary>Scratch folders of runs that were killed (their process is gone) are removed.</summary>
    private static void RemoveAbandoned()
    {
        try
        {
            foreach (var dir in Directory.EnumerateDirectories(Path.GetTempPath(), "autorefiner-sandbox-*"))
            {
                var parts = Path.GetFileName(dir).Split('-');
                if (parts.Length >= 4 && int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && !IsAlive(pid))
                {
                    Directory.Delete(dir, recursive: true);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Another run's folder, or one being written: left alone.
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Command prefixes to try, strongest first, with the layers each adds.</summary>
    private IEnumerable<(string[] Prefix, string[] Layers)> Candidates()
    {
        if (_options.OsIsolation && OperatingSystem.IsLinux())
        {
            var unshare = Tool("unshare");
            var setpriv = Tool("setpriv");
            var root = System.Environment.UserName == "root" || GetUid() == 0;
            if (root && unshare is not null && setpriv is not null && ReadableByOthers(_workerDll))
            {
                yield return ([unshare, "--net", setpriv, $"--reuid={Nobody}", $"--regid={Nobody}", "--clear-groups", "--no-new-privs"],
                    ["network namespace (no network)", "unprivileged user (nobody)", "no new privileges"]);
            }

            if (root && unshare is not null)
            {
                yield return ([unshare, "--net"], ["network namespace (no network)"]);
            }

            if (!root && unshare is not null)
            {
                yield return ([unshare, "--user", "--map-root-user", "--net"], ["user and network namespaces (no network)"]);
            }
        }

        yield return ([], []);
    }

    private Dictionary<string, string> WorkerEnvironment(string scratch)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATH"] = "/usr/local/bin:/usr/bin:/bin",
            ["HOME"] = scratch,
            ["TMPDIR"] = scratch,
            ["DOTNET_GCHeapHardLimit"] = _options.MemoryCapBytes.ToString("X", CultureInfo.InvariantCulture),
            ["DOTNET_EnableDiagnostics"] = "0",
            ["DOTNET_TieredPGO"] = "0",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
        };
        if (System.Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } dotnetRoot)
        {
            env["DOTNET_ROOT"] = dotnetRoot;
        }

        if (_invariantCulture)
        {
            env["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"] = "1";
        }

        return env;
    }

    /// <summary>The <c>dotnet</c> host that runs the worker: the one running us when we run under it, else the installed one.</summary>
    private static string DotnetHost()
    {
        if (System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath && File.Exists(hostPath))
        {
            return hostPath;
        }

        if (System.Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            return self;
        }

        foreach (var candidate in new[]
                 {
                     System.Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } r ? Path.Combine(r, "dotnet") : null,
                     Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "..", "..", "..", "dotnet"),
                     "/usr/share/dotnet/dotnet", "/usr/lib/dotnet/dotnet", "/usr/local/share/dotnet/dotnet",
                 })
        {
            if (candidate is not null && File.Exists(candidate))
            {
                return Path.GetFullPath(candidate);
            }
        }

        return Tool("dotnet") ?? "dotnet";
    }

    private static string? Tool(string name) =>
        (System.Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/bin").Append("/bin").Append("/usr/sbin").Append("/sbin")
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);

    private static int GetUid()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("Uid:", StringComparison.Ordinal))
                {
                    return int.Parse(line.Split('\t', ' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
        }

        return -1;
    }

    /// <summary>Whether an unprivileged user can reach and read the worker's files (every folder above them searchable).</summary>
    private static bool ReadableByOthers(string file)
    {
        if (OperatingSystem.IsWindows())
        {
            return false;
        }

        try
        {
            if (!File.GetUnixFileMode(file).HasFlag(UnixFileMode.OtherRead))
            {
                return false;
            }

            for (var dir = Path.GetDirectoryName(Path.GetFullPath(file)); !string.IsNullOrEmpty(dir); dir = Path.GetDirectoryName(dir))
            {
                if (!File.GetUnixFileMode(dir).HasFlag(UnixFileMode.OtherExecute))
                {
                    return false;
                }
            }

            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        while (_idle.TryTake(out var worker))
        {
            worker.Dispose();
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A worker killed a moment ago may still hold a file; the folder is in the temp directory.
        }

        _slots.Dispose();
        _startLock.Dispose();
        return ValueTask.CompletedTask;
    }
}
