using AutoRefiner.Cli.Runs;
using Spectre.Console.Cli;

namespace AutoRefiner.Cli.Commands;

/// <summary>
/// <c>autorefiner merge DIR...</c>: combines the outputs of several runs (the shards of a harvest) into one dataset,
/// with exact duplicates across them removed as one run would have, and their state stores into one.
/// </summary>
internal sealed class MergeCommand(CommandEnvironment environment) : AsyncCommand<MergeSettings>
{
    /// <inheritdoc />
    public override Task<int> ExecuteAsync(CommandContext context, MergeSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new RunService(environment).MergeAsync(
            new MergeArguments(settings.Folders, settings.Config, settings.Out, settings.State, settings.WithStates, settings.AllowEmpty),
            cancellationToken);
    }
}
