using AutoRefiner.Core.Pipeline;

namespace AutoRefiner.Cli.Runs;

/// <summary>What <c>harvest</c> and <c>refresh</c> were given on the command line, as typed (paths not yet resolved).</summary>
/// <param name="Kind">Harvest or refresh.</param>
/// <param name="Config"><c>--config</c>, or null for ./harvest.yml or the defaults.</param>
/// <param name="Sources"><c>--source</c> values; empty for the configured sources.</param>
/// <param name="Lang"><c>--lang</c>, or null for the configuration's.</param>
/// <param name="Out"><c>--out</c>, or null for <c>export.out</c>.</param>
/// <param name="State"><c>--state</c>, or null for the configuration's.</param>
/// <param name="Shard"><c>--shard</c> as typed, or null.</param>
/// <param name="Limit"><c>--limit</c>, or null for every seed.</param>
/// <param name="DryRun"><c>--dry-run</c>.</param>
/// <param name="AllowEmpty"><c>--allow-empty</c>.</param>
internal sealed record HarvestArguments(
    RunKind Kind,
    string? Config,
    IReadOnlyList<string> Sources,
    string? Lang,
    string? Out,
    string? State,
    string? Shard,
    int? Limit,
    bool DryRun,
    bool AllowEmpty);
