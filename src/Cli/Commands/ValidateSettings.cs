using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace AutoRefiner.Cli.Commands;

/// <summary>Options of <c>autorefiner validate</c>.</summary>
internal sealed class ValidateSettings : CommandSettings
{
    /// <summary>The dataset file.</summary>
    [CommandArgument(0, "<FILE>")]
    [Description("A JSONL or Parquet SFT dataset: AutoRefiner's own, or `messages`, `conversations`, `instruction`/`output`, or `prompt`/`completion` rows.")]
    public string File { get; init; } = "";

    /// <summary><c>--out</c>.</summary>
    [CommandOption("--out <DIR>")]
    [Description("Where the passing rows (same file name and format), verdicts.jsonl and report.json go. Default: ./validated")]
    public string? Out { get; init; }

    /// <summary><c>--config</c>.</summary>
    [CommandOption("--config <FILE>")]
    [Description("Configuration file for the validation settings. Default: ./harvest.yml when present.")]
    public string? Config { get; init; }

    /// <summary><c>--limit</c> as typed.</summary>
    [CommandOption("--limit <N>")]
    [Description("Validate only the first N rows.")]
    public string? LimitText { get; init; }

    /// <summary><c>--min-mutation-score</c> as typed.</summary>
    [CommandOption("--min-mutation-score <SCORE>")]
    [Description("Reject as weak-tests the rows whose tests kill fewer than this share (0 to 1) of their solution's mutants. Without it the score is recorded, not judged.")]
    public string? MinMutationScoreText { get; init; }

    /// <summary>The bar, once <see cref="Validate"/> has accepted it; null = score only.</summary>
    public double? MinMutationScore => MinMutationScoreText is null ? null : double.Parse(MinMutationScoreText, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The row limit, once <see cref="Validate"/> has accepted it.</summary>
    public int? Limit => LimitText is null ? null : int.Parse(LimitText, System.Globalization.CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public override ValidationResult Validate()
    {
        const string Missing = "__default_command";
        foreach (var (option, value) in new[] { ("--out", Out), ("--config", Config), ("--limit", LimitText), ("--min-mutation-score", MinMutationScoreText) })
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

        if (MinMutationScoreText is not null
            && !(double.TryParse(MinMutationScoreText, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var bar) && bar is >= 0 and <= 1))
        {
            return ValidationResult.Error($"--min-mutation-score takes a share of mutants from 0 to 1 (such as 0.5), not '{MinMutationScoreText}'");
        }

        return LimitText is null || (int.TryParse(LimitText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= 1)
            ? ValidationResult.Success()
            : ValidationResult.Error($"--limit takes a whole number of rows from 1 to {int.MaxValue}, not '{LimitText}'");
    }
}
