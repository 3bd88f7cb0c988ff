using System.Globalization;

namespace AutoRefiner.Bench;

/// <summary>Runs an executable or a .dll (through <c>dotnet</c>) under GNU time: wall, CPU and peak RSS of the child.</summary>
internal static class TimedChild
{
    public static ChildResult Run(string program, IReadOnlyList<string> args, string cwd, TimeSpan timeout)
    {
        List<string> command = program.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? ["dotnet", program, .. args] : [program, .. args];
        if (!File.Exists("/usr/bin/time"))
        {
            return Child.Run(command[0], command.Skip(1), cwd, timeout, measureRss: true);
        }

        var timeFile = Path.Combine(Path.GetTempPath(), $"ar-bench-time-{Guid.NewGuid():N}.txt");
        try
        {
            var r = Child.Run("/usr/bin/time", ["-f", "%M %U %S", "-o", timeFile, .. command], cwd, timeout);
            var last = (File.Exists(timeFile) ? File.ReadAllText(timeFile) : "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";
            var f = last.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            double Field(int i) => f.Length > i && double.TryParse(f[i], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : 0;
            return r with { PeakRssBytes = (long)Field(0) * 1024, CpuSeconds = Field(1) + Field(2) };
        }
        finally
        {
            File.Delete(timeFile);
        }
    }
}
