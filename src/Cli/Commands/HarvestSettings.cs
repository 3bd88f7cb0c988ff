using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace AutoRefiner.Cli.Commands;

/// <summary>Options of <c>autorefiner harvest</c> (and the options every command shares, README.md "Command line").</summary>
internal sealed class HarvestSettings : CommandSettings
{
    /// <summary><c>--lang</c>.</summary>
    [CommandOption("--lang <LANG>")]
    [Description("Language to harvest (supported: csharp). Default: the config's 'lang'.")]
    public string? Lang { get; init; }

    /// <summary><c>--config</c>.</summary>
    [CommandOption("--config <FILE>")]
    [Description("Configuration file. Default: ./harvest.yml when present, else built-in defaults.")]
    public string? Config { get; init; }

    /// <summary><c>--out</c>.</summary>
    [CommandOption("--out <DIR>")]
    [Description("Output folder. Default: the config's export.out (out/).")]
    public string? Out { get; init; }

    /// <summary><c>--source</c>.</summary>
    [CommandOption("--source <SOURCE>")]
    [Description("A directory, a local git checkout, or a GitHub repository (owner/name or its URL); repeatable. Replaces the configured sources.")]
    public string[] Sources { get; init; } = [];

    /// <summary><c>--state</c>.</summary>
    [CommandOption("--state <FILE>")]
    [Description("State store (SQLite). Default: the config's 'state' (.autorefiner/state.db).")]
    public string? State { get; init; }

    /// <summary><c>--shard</c> as typed.</summary>
    [CommandOption("--shard <I/N>")]
    [Description("Take only part i of n of the repositories (0-based), so n machines can share one harvest; combine their outputs with `autorefiner merge`.")]
    public string? ShardText { get; init; }

    /// <summary><c>--dry-run</c>.</summary>
    [CommandOption("--dry-run")]
    [Description("Harvest the seeds and say how many LLM requests the run would send (and what they would cost), without sending any or writing the dataset.")]
    public bool DryRun { get; init; }

    /// <summary><c>--allow-empty</c>.</summary>
    [CommandOption("--allow-empty")]
    [Description("Let a run that produced no rows replace a dataset that has some in --out (without it such a run keeps the previous dataset and fails).")]
    public bool AllowEmpty { get; init; }

    /// <summary><c>--limit</c> as typed; read through <see cref="Limit"/>.</summary>
    [CommandOption("--limit <N>")]
    [Description("Stop after N seeds.")]
    public string? LimitText { get; init; }

    /// <summary>The seed limit, once <see cref="Validate"/> has accepted it.</summary>
    public int? Limit => LimitText is null ? null : int.Parse(LimitText, System.Globalization.CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public override ValidationResult Validate()
    {
        // Spectre.Console.Cli gives an option written last without its value a placeholder instead of failing.
        const string Missing = "__default_command";
        foreach (var (option, value) in new[] { ("--lang", Lang), ("--config", Config), ("--out", Out), ("--state", State), ("--limit", LimitText), ("--shard", ShardText) }
                     .Concat(Sources.Select(s => ("--source", (string?)s))))
        {
            if (value == Missing)
            {
                return ValidationResult.Error($"{option} needs a value");
            }

            if (value is not null && string.IsNullOrWhiteSpace(value))
            {
                return ValidationResult.Error($"{option} is empty");
            }
        }

        if (ShardText is not null && AutoRefiner.Core.Pipeline.Shard.Parse(ShardText, out var shardProblem) is null)
        {
            return ValidationResult.Error(shardProblem!);
        }

        return LimitText is null || (int.TryParse(LimitText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= 1)
            ? ValidationResult.Success()
            : ValidationResult.Error($"--limit takes a whole number of seeds from 1 to {int.MaxValue}, not '{LimitText}'");
    }
}
