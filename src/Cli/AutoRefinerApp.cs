using System.Reflection;
using AutoRefiner.Cli.Commands;
using AutoRefiner.Cli.Rendering;
using AutoRefiner.Core;
using Spectre.Console;
using Spectre.Console.Cli;

namespace AutoRefiner.Cli;

/// <summary>
/// The <c>autorefiner</c> command line: parses, runs one command, and maps every failure to an exit code with a
/// sentence on stderr (never a stack trace for something the user can fix).
/// </summary>
internal static class AutoRefinerApp
{
    /// <summary>AutoRefiner's version.</summary>
    public static string Version { get; } =
        typeof(AutoRefinerApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>Runs the command line in-process (the entry point and the tests both use this).</summary>
    public static async Task<int> RunAsync(string[] args, IAnsiConsole output, IAnsiConsole errors, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(errors);
        if (args.Length == 0)
        {
            // No command is bad usage (exit 2, as the README says), not a request for help: the help goes to stderr with
            // the error so that a script's stdout stays empty.
            await Build(errors, output, time, args).RunAsync(["--help"], cancellationToken);
            errors.MarkupLine("[red]error:[/] no command given; choose one of the commands above.");
            return ExitCodes.Usage;
        }

        var app = Build(output, errors, time, args);
        try
        {
            return await app.RunAsync(args, cancellationToken);
        }
        catch (AutoRefinerException e)
        {
            errors.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            return e.Kind == FailureKind.Usage ? ExitCodes.Usage : ExitCodes.RunFailed;
        }
        catch (CommandAppException e)
        {
            errors.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            errors.WriteLine("Run 'autorefiner --help' for usage.");
            return ExitCodes.Usage;
        }
        catch (CancelledException e) when (cancellationToken.IsCancellationRequested)
        {
            // A command that leaves something else behind (push) says what.
            errors.MarkupLineInterpolated($"[yellow]cancelled:[/] {e.Message}");
            return ExitCodes.Cancelled;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            errors.MarkupLine("[yellow]cancelled:[/] nothing was written to the output folder; the previous dataset is untouched.");
            return ExitCodes.Cancelled;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Said in our words (what could not be written, and why), not the runtime's "Access to the path '…' is denied.".
            var what = Core.Text.FileProblem.PathIn(e) is { } path ? path : "a file";
            errors.MarkupLineInterpolated($"[red]error:[/] the run failed: {what} could not be read or written: {Core.Text.FileProblem.Why(e)}.");
            WriteDetails(errors, e);
            return ExitCodes.RunFailed;
        }
        catch (Exception e)
        {
            // Anything else is a bug: its type and message are the program's internals, not something the user can act on.
            errors.MarkupLine("[red]error:[/] the run stopped on an unexpected internal error (a fault in AutoRefiner, not in your input or configuration). Run it again with AUTOREFINER_DEBUG=1 to see where, and report it.");
            WriteDetails(errors, e);
            return ExitCodes.RunFailed;
        }
    }

    private static void WriteDetails(IAnsiConsole errors, Exception e)
    {
        if (Environment.GetEnvironmentVariable("AUTOREFINER_DEBUG") is "1" or "true")
        {
            errors.WriteException(e);
        }
    }

    /// <summary>The command line, writing to <paramref name="output"/> (help included).</summary>
    private static CommandApp Build(IAnsiConsole output, IAnsiConsole errors, TimeProvider time, string[] args)
    {
        var registrar = new InstanceRegistrar();
        registrar.RegisterInstance(typeof(CommandEnvironment), new CommandEnvironment(output, errors, time, args));
        var app = new CommandApp(registrar);
        app.Configure(config =>
        {
            config.SetApplicationName("autorefiner");
            config.SetApplicationVersion(Version);
            config.Settings.Console = output;
            config.SetHelpProvider(new TrimmedHelpProvider(config.Settings));
            config.PropagateExceptions();
            config.Settings.StrictParsing = true;
            config.AddCommand<HarvestCommand>("harvest")
                .WithDescription("Harvest C# sources into a validated SFT dataset (Parquet, JSONL, dataset card).")
                .WithExample("harvest", "--lang", "csharp", "--source", ".", "--out", "out");
            config.AddCommand<RefreshCommand>("refresh")
                .WithDescription("Harvest again, incrementally from the state store, and export the union of every run's samples.")
                .WithExample("refresh", "--config", "harvest.yml");
            config.AddCommand<MergeCommand>("merge")
                .WithDescription("Combine the outputs (and state stores) of several runs, e.g. the shards of a harvest, into one dataset.")
                .WithExample("merge", "out-0", "out-1", "out-2", "--out", "out", "--with-state", "state-0.db", "--with-state", "state-1.db", "--with-state", "state-2.db");
            config.AddCommand<PushCommand>("push")
                .WithDescription("Upload the output folder to a Hugging Face Hub dataset repository (HF_TOKEN, HF_ENDPOINT).")
                .WithExample("push", "--repo", "me/csharp-sft", "--private");
            config.AddCommand<ReportCommand>("report")
                .WithDescription("Write report.html for an output folder: the funnel, why candidates were rejected, distributions, cost, samples.")
                .WithExample("report", "--out", "out", "--open");
            config.AddCommand<ValidateCommand>("validate")
                .WithDescription("Re-validate an existing JSONL or Parquet SFT dataset: compile its C#, run its tests, keep what passes.")
                .WithExample("validate", "out/jsonl/train.jsonl", "--out", "validated");
        });
        return app;
    }

    /// <summary>A registrar that hands commands the few instances they need.</summary>
    private sealed class InstanceRegistrar : ITypeRegistrar, ITypeResolver
    {
        private readonly Dictionary<Type, Func<object>> _factories = [];

        public void Register(Type service, Type implementation) => _factories[service] = () => Construct(implementation);

        public void RegisterInstance(Type service, object implementation) => _factories[service] = () => implementation;

        public void RegisterLazy(Type service, Func<object> factory) => _factories[service] = factory;

        public ITypeResolver Build() => this;

        public object? Resolve(Type? type)
        {
            if (type is null)
            {
                return null;
            }

            if (_factories.TryGetValue(type, out var factory))
            {
                return factory();
            }

            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IEnumerable<>))
            {
                // Spectre asks for all the registrations of a service (the help provider among them): the one there is.
                var element = type.GetGenericArguments()[0];
                var all = Array.CreateInstance(element, _factories.ContainsKey(element) ? 1 : 0);
                if (all.Length == 1)
                {
                    all.SetValue(_factories[element](), 0);
                }

                return all;
            }

            return type.IsAbstract || type.IsInterface ? null : Construct(type);
        }

        private object Construct(Type type)
        {
            var withEnvironment = type.GetConstructor([typeof(CommandEnvironment)]);
            return withEnvironment is not null
                ? withEnvironment.Invoke([_factories[typeof(CommandEnvironment)]()])
                : Activator.CreateInstance(type)!;
        }
    }
}

/// <summary>What a command gets from its host: where to write, the clock, and the raw arguments.</summary>
/// <param name="Output">Standard output (progress and results).</param>
/// <param name="Errors">Standard error (problems).</param>
/// <param name="Time">The clock.</param>
/// <param name="Args">The command line as given.</param>
internal sealed record CommandEnvironment(IAnsiConsole Output, IAnsiConsole Errors, TimeProvider Time, IReadOnlyList<string> Args);
