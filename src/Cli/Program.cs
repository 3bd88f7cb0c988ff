using System.Runtime.InteropServices;
using AutoRefiner.Cli;
using Spectre.Console;

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl+C stops cleanly (exit code 130); a second one kills the process as usual.
    e.Cancel = !cancellation.IsCancellationRequested;
    cancellation.Cancel();
};

// SIGTERM (systemd, Kubernetes, CI timeouts, `kill`) stops as cleanly as Ctrl+C, with the conventional 143;
// a second one ends the process at once.
var terminated = false;
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = !cancellation.IsCancellationRequested;
    terminated = true;
    cancellation.Cancel();
});

var errors = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });

// Plain log lines stay whole when output goes to a file or a pipe.
foreach (var (console, redirected) in new[] { (AnsiConsole.Console, Console.IsOutputRedirected), (errors, Console.IsErrorRedirected) })
{
    if (redirected)
    {
        console.Profile.Width = 4096;
    }
}
var exitCode = await AutoRefinerApp.RunAsync(args, AnsiConsole.Console, errors, TimeProvider.System, cancellation.Token);
return exitCode == ExitCodes.Cancelled && terminated ? ExitCodes.Terminated : exitCode;
