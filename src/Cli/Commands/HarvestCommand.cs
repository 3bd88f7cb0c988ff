using AutoRefiner.Cli.Runs;
using AutoRefiner.Core.Pipeline;
using Spectre.Console.Cli;

namespace AutoRefiner.Cli.Commands;

/// <summary><c>autorefiner harvest</c>: the whole pipeline, from sources to the dataset in <c>--out</c>.</summary>
internal sealed class HarvestCommand(CommandEnvironment environment) : AsyncCommand<HarvestSettings>
{
    /// <inheritdoc />
    public override Task<int> ExecuteAsync(CommandContext context, HarvestSettings settings, CancellationToken cancellationToken) =>
        new RunService(environment).HarvestAsync(Arguments(settings, RunKind.Harvest), cancellationToken);

    /// <summary>The options of <c>harvest</c> and <c>refresh</c> as the run service takes them.</summary>
    internal static HarvestArguments Arguments(HarvestSettings settings, RunKind kind)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new HarvestArguments(
            kind,
            settings.Config,
            settings.Sources,
            settings.Lang,
            settings.Out,
            settings.State,
            settings.ShardText,
            settings.Limit,
            settings.DryRun,
            settings.AllowEmpty);
    }
}
