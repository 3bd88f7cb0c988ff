using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace AutoRefiner.Cli.Commands;

/// <summary>Options of <c>autorefiner report</c>.</summary>
internal sealed class ReportSettings : CommandSettings
{
    /// <summary><c>--out</c>.</summary>
    [CommandOption("--out <DIR>")]
    [Description("The output folder to report on. Default: the config's export.out (out/).")]
    public string? Out { get; init; }

    /// <summary><c>--config</c>.</summary>
    [CommandOption("--config <FILE>")]
    [Description("Configuration file. Default: ./harvest.yml when present.")]
    public string? Config { get; init; }

    /// <summary><c>--open</c>.</summary>
    [CommandOption("--open")]
    [Description("Open the report in the default browser, when there is one.")]
    public bool Open { get; init; }

    /// <inheritdoc />
    public override ValidationResult Validate()
    {
        foreach (var (option, value) in new[] { ("--out", Out), ("--config", Config) })
        {
            if (value == "__default_command")
            {
                return ValidationResult.Error($"{option} needs a value");
            }
        }

        return ValidationResult.Success();
    }
}
