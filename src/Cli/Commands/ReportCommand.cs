using System.Diagnostics;
using AutoRefiner.Core;
using AutoRefiner.Exporter;
using AutoRefiner.Exporter.Report;
using Spectre.Console;
using Spectre.Console.Cli;

namespace AutoRefiner.Cli.Commands;

/// <summary><c>autorefiner report</c>: writes <c>report.html</c> for an output folder (harvest and refresh write it too).</summary>
internal sealed class ReportCommand(CommandEnvironment environment) : AsyncCommand<ReportSettings>
{
    /// <inheritdoc />
    public override async Task<int> ExecuteAsync(CommandContext context, ReportSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var config = ConfigFiles.Load(settings.Config);
        var outDir = settings.Out is null ? config.ResolvePath(config.Export.Out) : Path.GetFullPath(settings.Out, Directory.GetCurrentDirectory());
        var output = OutputFolder.Claim(outDir, settings.Out ?? config.Export.Out, "--out", OutputLayout.Dataset, existing: true);

        var report = await ReportWriter.WriteAsync(output.FullPath, cancellationToken);
        environment.Output.WriteLine($"report: {report}");
        if (settings.Open)
        {
            environment.Output.WriteLine(TryOpen(report) ? "opened in the default browser" : $"no browser to open it with here: open {report}");
        }

        return ExitCodes.Success;
    }

    /// <summary>Opens a file with the desktop's default handler (xdg-open, open, start); false when there is none.</summary>
    private static bool TryOpen(string path)
    {
        var (file, args) = OperatingSystem.IsWindows() ? ("cmd", new[] { "/c", "start", "", path })
            : OperatingSystem.IsMacOS() ? ("open", [path])
            : ("xdg-open", [path]);
        if (!OperatingSystem.IsWindows() && !OperatingSystem.IsMacOS()
            && Environment.GetEnvironmentVariable("DISPLAY") is null && Environment.GetEnvironmentVariable("WAYLAND_DISPLAY") is null)
        {
            return false;
        }

        try
        {
            var start = new ProcessStartInfo(file) { UseShellExecute = false };
            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            using var process = Process.Start(start);
            return process is not null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
