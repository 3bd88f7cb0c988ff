using AutoRefiner.Cli.Runs;
using AutoRefiner.Core.Pipeline;
using Spectre.Console.Cli;

namespace AutoRefiner.Cli.Commands;

/// <summary>
/// <c>autorefiner refresh</c>: the harvest again, incrementally from the state store — unchanged repositories cost one
/// conditional request, seeds judged before are reused, only new seeds go to the LLM — exporting the union of every
/// run's samples.
/// </summary>
internal sealed class RefreshCommand(CommandEnvironment environment) : AsyncCommand<HarvestSettings>
{
    /// <inheritdoc />
    public override Task<int> ExecuteAsync(CommandContext context, HarvestSettings settings, CancellationToken cancellationToken) =>
        new RunService(environment).HarvestAsync(HarvestCommand.Arguments(settings, RunKind.Refresh), cancellationToken);
}
