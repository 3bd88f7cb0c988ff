using AutoRefiner.Cli;
using Spectre.Console;

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl+C stops cleanly (exit code 130); a second one kills the process as usual.
    e.Cancel = !cancellation.IsCancellationRequested;
    cancellation.Cancel();
};

var errors = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });

// Plain log lines stay whole when output goes to a file or a pipe.
foreach (var (console, redirected) in new[] { (AnsiConsole.Console, Console.IsOutputRedirected), (errors, Console.IsErrorRedirected) })
{
    if (redirected)
    {
        console.Profile.Width = 4096;
    }
}
return await AutoRefinerApp.RunAsync(args, AnsiConsole.Console, errors, TimeProvider.System, cancellation.Token);
