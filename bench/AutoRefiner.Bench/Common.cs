using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;

namespace AutoRefiner.Bench;

/// <summary>A bad command line.</summary>
internal sealed class BenchUsageException(string message) : Exception(message);

/// <summary>Where things are, and what machine this is.</summary>
internal static class BenchEnv
{
    private static readonly Lazy<string> DotnetVersionLazy = new(() =>
    {
        var r = Child.Run("dotnet", ["--version"], Path.GetTempPath(), TimeSpan.FromMinutes(1));
        return r.Stdout.Trim();
    });

    /// <summary>The repository root, as seen when the bench was built.</summary>
    public static string RepoRoot { get; } = Metadata("RepoRoot") ?? FindRepoRoot();

    /// <summary>Debug or Release: the configuration the bench (and the CLI beside it) was built in.</summary>
    public static string Configuration { get; } = Metadata("Configuration") ?? "Release";

    /// <summary>The CLI to run as a child process.</summary>
    public static string CliDll
    {
        get
        {
            var path = Environment.GetEnvironmentVariable("AUTOREFINER_CLI") is { Length: > 0 } p
                ? Path.GetFullPath(p)
                : Path.Combine(RepoRoot, "src", "Cli", "bin", Configuration, "net10.0", "AutoRefiner.Cli.dll");
            if (!File.Exists(path))
            {
                throw new BenchUsageException($"the CLI is not built at {path}: run `dotnet build src/Cli -c Release` or set AUTOREFINER_CLI");
            }

            return path;
        }
    }

    /// <summary>Output of <c>dotnet --version</c>.</summary>
    public static string DotnetVersion => DotnetVersionLazy.Value;

    /// <summary>Fresh temporary directory for one bench run.</summary>
    public static string NewTempDir(string purpose)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"ar-bench-{purpose}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Deletes a temporary directory, ignoring failures.</summary>
    public static void TryDelete(string dir)
    {
        try
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"warning: could not delete {dir}: {e.Message}");
        }
    }

    /// <summary>Markdown lines that describe the machine and the build.</summary>
    public static string MachineSection()
    {
        var sb = new StringBuilder();
        sb.AppendLine(Inv($"- date (UTC): {DateTime.UtcNow:yyyy-MM-dd HH:mm}"));
        sb.AppendLine(Inv($"- machine: {Environment.ProcessorCount} cores (`nproc`), {CpuModel()}, {MemTotalGb():0.#} GB RAM, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}"));
        sb.AppendLine(Inv($"- `dotnet --version`: {DotnetVersion}; runtime {Environment.Version}; bench built {Configuration}"));
        sb.AppendLine(Inv($"- AutoRefiner commit: {GitHead(RepoRoot)}{(GitDirty(RepoRoot, "src") ? " (src/ has uncommitted changes)" : "")}"));
        return sb.ToString();
    }

    /// <summary><c>git rev-parse HEAD</c> of a directory, or "(not a git checkout)".</summary>
    public static string GitHead(string dir)
    {
        var r = Child.Run("git", ["-C", dir, "rev-parse", "HEAD"], dir, TimeSpan.FromMinutes(1));
        return r.ExitCode == 0 ? r.Stdout.Trim() : "(not a git checkout)";
    }

    /// <summary>True when <c>git status</c> shows changes under <paramref name="path"/>.</summary>
    public static bool GitDirty(string dir, string path)
    {
        var r = Child.Run("git", ["-C", dir, "status", "--porcelain", "--", path], dir, TimeSpan.FromMinutes(1));
        return r.ExitCode == 0 && r.Stdout.Trim().Length > 0;
    }

    /// <summary>invariant-culture interpolation.</summary>
    public static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line is null ? "cpu unknown" : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        }
        catch (IOException)
        {
            return "cpu unknown";
        }
    }

    private static double MemTotalGb()
    {
        try
        {
            var line = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            var kb = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
            return kb / 1024.0 / 1024.0;
        }
        catch (Exception e) when (e is IOException or FormatException or InvalidOperationException)
        {
            return 0;
        }
    }

    private static string? Metadata(string key) =>
        typeof(BenchEnv).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value;

    private static string FindRepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "AutoRefiner.sln")))
            {
                return d.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}

/// <summary>Result of a child process.</summary>
internal sealed record ChildResult(int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed, long PeakRssBytes)
{
    /// <summary>User + system CPU seconds of the child (when measured with GNU time), else 0.</summary>
    public double CpuSeconds { get; init; }
}

/// <summary>Runs child processes, timing them and measuring their peak resident set.</summary>
internal static class Child
{
    /// <summary>Runs a process to completion, capturing its output.</summary>
    public static ChildResult Run(string file, IEnumerable<string> args, string cwd, TimeSpan timeout, IDictionary<string, string>? env = null, bool measureRss = false)
    {
        var psi = new ProcessStartInfo(file)
        {
            WorkingDirectory = cwd,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        if (env is not null)
        {
            foreach (var (k, v) in env)
            {
                psi.Environment[k] = v;
            }
        }

        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var sw = Stopwatch.StartNew();
        using var p = new Process { StartInfo = psi };
        p.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (stdout)
                {
                    stdout.AppendLine(e.Data);
                }
            }
        };
        p.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (stderr)
                {
                    stderr.AppendLine(e.Data);
                }
            }
        };
        p.Start();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();

        // VmHWM is the kernel's own high-water mark of the resident set, so polling only has to catch the last value
        // before the process exits; the last read is at most one poll interval old.
        long peak = 0;
        var deadline = DateTime.UtcNow + timeout;
        while (!p.WaitForExit(measureRss ? 20 : 200))
        {
            if (measureRss)
            {
                peak = Math.Max(peak, ReadVmHwm(p.Id));
            }

            if (DateTime.UtcNow > deadline)
            {
                p.Kill(entireProcessTree: true);
                throw new TimeoutException($"{file} {string.Join(' ', psi.ArgumentList)} did not finish within {timeout}");
            }
        }

        p.WaitForExit();
        sw.Stop();
        lock (stdout)
        {
            lock (stderr)
            {
                return new ChildResult(p.ExitCode, stdout.ToString(), stderr.ToString(), sw.Elapsed, peak);
            }
        }
    }

    /// <summary>
    /// Runs the AutoRefiner CLI (<c>dotnet AutoRefiner.Cli.dll args</c>) and measures its peak RSS exactly with
    /// GNU time's <c>%M</c> when /usr/bin/time exists, else by polling <c>/proc/pid/status</c> VmHWM.
    /// </summary>
    public static ChildResult RunCli(IEnumerable<string> args, string cwd, TimeSpan timeout)
    {
        var cliArgs = new List<string> { BenchEnv.CliDll };
        cliArgs.AddRange(args);
        if (File.Exists("/usr/bin/time"))
        {
            var timeFile = Path.Combine(Path.GetTempPath(), $"ar-bench-time-{Guid.NewGuid():N}.txt");
            try
            {
                var r = Run("/usr/bin/time", ["-f", "%M %U %S", "-o", timeFile, "dotnet", .. cliArgs], cwd, timeout);
                var text = File.Exists(timeFile) ? File.ReadAllText(timeFile) : "";
                var last = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";
                var f = last.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                double Field(int i) => f.Length > i && double.TryParse(f[i], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : 0;
                return r with { PeakRssBytes = (long)Field(0) * 1024, CpuSeconds = Field(1) + Field(2) };
            }
            finally
            {
                File.Delete(timeFile);
            }
        }

        return Run("dotnet", cliArgs, cwd, timeout, measureRss: true);
    }

    private static long ReadVmHwm(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    var kb = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
                    return kb * 1024;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            // The process may have exited between the check and the read.
        }

        return 0;
    }
}

/// <summary>Medians and markdown.</summary>
internal static class Report
{
    /// <summary>Median of a non-empty sequence.</summary>
    public static double Median(IEnumerable<double> values)
    {
        var v = values.Order().ToArray();
        if (v.Length == 0)
        {
            return double.NaN;
        }

        return v.Length % 2 == 1 ? v[v.Length / 2] : (v[(v.Length / 2) - 1] + v[v.Length / 2]) / 2;
    }

    /// <summary>A markdown table.</summary>
    public static string Table(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows, string? align = null)
    {
        var sb = new StringBuilder();
        sb.Append("| ").AppendJoin(" | ", header).AppendLine(" |");
        sb.Append('|');
        for (var i = 0; i < header.Count; i++)
        {
            sb.Append(align is not null && i < align.Length && align[i] == 'l' ? "---|" : "---:|");
        }

        sb.AppendLine();
        foreach (var row in rows)
        {
            sb.Append("| ").AppendJoin(" | ", row).AppendLine(" |");
        }

        return sb.ToString();
    }

    /// <summary>A number with thousands separators.</summary>
    public static string N(double v, int decimals = 0) => v.ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>A percentage.</summary>
    public static string Pct(double v) => (v * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %";

    /// <summary>A ratio such as <c>12.3×</c>.</summary>
    public static string X(double v) => double.IsFinite(v) ? v.ToString(v >= 100 ? "0" : v >= 10 ? "0.0" : "0.00", CultureInfo.InvariantCulture) + "×" : "∞";

    /// <summary>Bytes as MB (10^6) with one decimal.</summary>
    public static string Mb(long bytes) => (bytes / 1e6).ToString("0.0", CultureInfo.InvariantCulture) + " MB";

    /// <summary>Progress on stderr, so stdout stays a clean markdown report.</summary>
    public static void Progress(string message) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");

    /// <summary>Reads one number from a JSON path (<c>counts.documented_methods</c>).</summary>
    public static JsonElement Path(JsonElement root, string path)
    {
        var e = root;
        foreach (var part in path.Split('.'))
        {
            e = e.GetProperty(part);
        }

        return e;
    }
}

/// <summary>
/// CPU used by other processes while something is measured. This machine is shared with other work, so every timed
/// figure is reported with the load that was not ours, and timed sections first wait (a bounded time) for a quiet
/// machine.
/// </summary>
internal static class Load
{
    private const double Hz = 100; // USER_HZ: /proc/stat counts in 1/100 s on Linux

    /// <summary>
    /// Total time one bench command may spend waiting for a quiet machine and repeating disturbed runs
    /// (AUTOREFINER_BENCH_QUIET_SECONDS, default 240), so that a busy machine cannot stretch a command without bound.
    /// </summary>
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(
        int.TryParse(Environment.GetEnvironmentVariable("AUTOREFINER_BENCH_QUIET_SECONDS"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : 240);

    private static long _spentTicks;

    /// <summary>True while the waiting budget is not used up: disturbed runs may still be repeated.</summary>
    public static bool CanRetry => TimeSpan.FromTicks(Interlocked.Read(ref _spentTicks)) < Budget;

    /// <summary>Seconds spent waiting or repeating so far.</summary>
    public static double SpentSeconds => TimeSpan.FromTicks(Interlocked.Read(ref _spentTicks)).TotalSeconds;

    /// <summary>Counts a discarded run's time against the budget.</summary>
    public static void Charge(TimeSpan wasted) => Interlocked.Add(ref _spentTicks, wasted.Ticks);

    /// <summary>A measurement window.</summary>
    internal sealed class Meter
    {
        private readonly long _busy0 = BusyJiffies();
        private readonly TimeSpan _cpu0 = OwnCpu();
        private readonly Stopwatch _wall = Stopwatch.StartNew();

        /// <summary>Ends the window: wall seconds, our CPU seconds, and other processes' average busy cores.</summary>
        /// <param name="childCpuSeconds">CPU time of child processes that belong to the measurement.</param>
        public (double Wall, double OwnCpu, double OtherCores) Stop(double childCpuSeconds = 0)
        {
            var wall = _wall.Elapsed.TotalSeconds;
            var busy = (BusyJiffies() - _busy0) / Hz;
            var own = (OwnCpu() - _cpu0).TotalSeconds + childCpuSeconds;
            return (wall, own, wall <= 0 ? 0 : Math.Max(0, (busy - own) / wall));
        }
    }

    /// <summary>
    /// Waits until other processes use less than <paramref name="threshold"/> cores over a one-second window, at most
    /// <paramref name="max"/>; returns the last load seen.
    /// </summary>
    public static double WaitForQuiet(TimeSpan max, double threshold = 0.25)
    {
        var clock = Stopwatch.StartNew();
        double load;
        var announced = false;
        while (true)
        {
            var m = new Meter();
            Thread.Sleep(500);
            load = m.Stop().OtherCores;
            if (load < threshold || clock.Elapsed > max || !CanRetry)
            {
                break;
            }

            if (!announced)
            {
                Report.Progress(BenchEnv.Inv($"machine busy ({load:0.00} cores used by other processes); waiting up to {max.TotalSeconds:0} s (budget left {(Budget.TotalSeconds - SpentSeconds):0} s)"));
                announced = true;
            }

            Charge(TimeSpan.FromMilliseconds(500));
        }

        return load;
    }

    /// <summary>Busy jiffies of all CPUs since boot.</summary>
    private static long BusyJiffies()
    {
        try
        {
            var first = File.ReadLines("/proc/stat").First();
            var f = first.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToArray();

            // user nice system idle iowait irq softirq steal ...
            return f[0] + f[1] + f[2] + f[5] + f[6] + (f.Length > 7 ? f[7] : 0);
        }
        catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    private static TimeSpan OwnCpu()
    {
        using var p = Process.GetCurrentProcess();
        return p.TotalProcessorTime;
    }
}
