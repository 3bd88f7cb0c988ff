using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace AutoRefiner.Cli.Commands;

/// <summary>Options of <c>autorefiner merge</c>.</summary>
internal sealed class MergeSettings : CommandSettings
{
    /// <summary>The output folders to combine.</summary>
    [CommandArgument(0, "<DIR>")]
    [Description("Output folders of the runs to combine (e.g. the --out of each --shard i/n run).")]
    public string[] Folders { get; init; } = [];

    /// <summary><c>--out</c>.</summary>
    [CommandOption("--out <DIR>")]
    [Description("Where the merged dataset goes. Default: the config's export.out (out/).")]
    public string? Out { get; init; }

    /// <summary><c>--config</c>.</summary>
    [CommandOption("--config <FILE>")]
    [Description("Configuration file (export settings, state). Default: ./harvest.yml when present.")]
    public string? Config { get; init; }

    /// <summary><c>--state</c>.</summary>
    [CommandOption("--state <FILE>")]
    [Description("The state store the others are merged into. Default: the config's 'state'.")]
    public string? State { get; init; }

    /// <summary><c>--with-state</c>.</summary>
    [CommandOption("--with-state <FILE>")]
    [Description("A state store of one of the runs, merged into --state (repeatable).")]
    public string[] WithStates { get; init; } = [];

    /// <summary><c>--allow-empty</c>.</summary>
    [CommandOption("--allow-empty")]
    [Description("Let a merge that has no rows replace a dataset that has some in --out.")]
    public bool AllowEmpty { get; init; }

    /// <inheritdoc />
    public override ValidationResult Validate()
    {
        const string Missing = "__default_command";
        foreach (var (option, value) in new[] { ("--out", Out), ("--config", Config), ("--state", State) }.Concat(WithStates.Select(s => ("--with-state", (string?)s))))
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

        return Folders.Length == 0 ? ValidationResult.Error("give the output folders to merge") : ValidationResult.Success();
    }
}
