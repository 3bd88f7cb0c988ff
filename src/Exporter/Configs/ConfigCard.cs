using System.Globalization;
using System.Text;

namespace AutoRefiner.Exporter.Configs;

/// <summary>What the dataset card says of the <c>preference</c> and <c>feedback</c> configs: their YAML entries and a section.</summary>
internal static class ConfigCard
{
    /// <summary>The <c>configs:</c> entries after the default one, so the Hub viewer shows each config.</summary>
    public static string Yaml(Manifest manifest, bool parquet)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var sb = new StringBuilder();
        foreach (var (config, splits) in manifest.Configs)
        {
            sb.Append("- config_name: ").Append(config).Append("\n  data_files:\n");
            foreach (var split in splits.Keys.OrderBy(s => s == "train" ? 0 : 1).ThenBy(s => s, StringComparer.Ordinal))
            {
                sb.Append("  - split: ").Append(split).Append("\n    path: ")
                  .Append(parquet ? $"data/{config}/{split}-*" : $"jsonl/{config}/{split}.jsonl").Append('\n');
            }
        }

        return sb.ToString();
    }

    /// <summary>The section on the configs and the difficulty of the rows; empty when the run made neither.</summary>
    public static string Contents(Manifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        if (manifest.Configs.Count == 0 && manifest.Difficulty.Count == 0)
        {
            return "";
        }

        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder("## Execution feedback\n\n");
        if (manifest.Difficulty.Count > 0)
        {
            sb.Append("Each instruction was answered several times (`generation.candidates`); `pass_rate` is the share of answers that passed ")
              .Append("and `difficulty` is `easy` (at least 2/3), `hard` (under 1/3) or `medium`. Each prompt's best passing answer (mutation score, then length) is its row; ")
              .Append("its other passing answers are only chosen answers of preference pairs, which is why more answers passed than there are rows. Rows per difficulty: ")
              .Append(string.Join(", ", manifest.Difficulty.Select(kv => string.Create(inv, $"{kv.Key} {kv.Value:N0}")))).Append(".\n\n");
        }

        if (manifest.Configs.Count > 0)
        {
            sb.Append("| config | split | rows |\n|---|---|---:|\n");
            foreach (var (config, splits) in manifest.Configs)
            {
                foreach (var (split, rows) in splits)
                {
                    sb.Append(inv, $"| {config} | {split} | {rows:N0} |\n");
                }
            }

            sb.Append("\n- `preference` (TRL's conversational preference form): `prompt` (the user message), `chosen` (a passing answer) and ")
              .Append("`rejected` (a failing answer to the same prompt: `compile-error`, `test-failed`, `weak-tests` or `timeout`, or the answer a repair replaced), ")
              .Append("one assistant message each; `chosen_verdict`, `rejected_verdict`, `rejected_detail` (the compiler's or test runner's words), ")
              .Append("`chosen_tests`, `rejected_tests`, `rejected_source` (`candidate` or `repair`) and the provenance columns.\n")
              .Append("- `feedback` (Code-Feedback style): `messages` — the task, the failing answer, the compiler's or test runner's words verbatim, ")
              .Append("the repaired answer (two more turns per further round); the last answer passed. Also `feedback_verdicts`, `tests` and the provenance columns.\n")
              .Append("Answers with a banned API, a secret, a refused licence or benchmark overlap are in neither.\n\n");
        }

        return sb.ToString();
    }
}
