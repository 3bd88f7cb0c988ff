using System.Globalization;
using System.Text;
using AutoRefiner.Core.Curation;
using AutoRefiner.Core.Model;
using AutoRefiner.Core.Text;

namespace AutoRefiner.Exporter;

/// <summary>
/// The dataset card (<c>README.md</c>): the Hub's YAML front matter (licence, language, task, size, configs pointing at
/// the split files) and a body that says what the data is, how it was made and what was left out.
/// </summary>
internal static class DatasetCard
{
    /// <summary>
    /// The <c>license:</c> front matter: the rows' licence when they all have the same (by the Hub's name for it, or
    /// <c>other</c> with its SPDX id as <c>license_name</c> when the Hub has none); <c>other</c> when there are several,
    /// whose rows are counted in the card's licence table; <c>unknown</c> when no row has a known licence.
    /// </summary>
    public static string LicenseMetadata(IReadOnlyDictionary<string, long> licenses)
    {
        var ids = licenses.Where(kv => kv.Value > 0).Select(kv => kv.Key).ToList();
        if (ids.Count == 0 || ids is [""] || ids is [Core.Curation.Spdx.Unknown])
        {
            return "license: unknown\n";
        }

        if (ids.Count == 1)
        {
            return Core.Curation.Spdx.HubName(ids[0]) is { } hub
                ? $"license: {hub}\n"
                : $"license: other\nlicense_name: {Slug(ids[0])}\nlicense_link: ATTRIBUTION.md\n";
        }

        return "license: other\nlicense_name: multiple\nlicense_link: ATTRIBUTION.md\n";
    }

    /// <summary>An SPDX expression as a YAML-safe name (<c>gpl-2.0-or-later</c>, <c>mit-or-apache-2.0</c>).</summary>
    private static string Slug(string id) =>
        string.Join('-', id.ToLowerInvariant().Split([' ', '(', ')'], StringSplitOptions.RemoveEmptyEntries))
            .Where(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '+')
            .Aggregate(new StringBuilder(), (b, c) => b.Append(c)).ToString();

    /// <summary>The Hub's size buckets.</summary>
    public static string SizeCategory(long rows) => rows switch
    {
        < 1_000 => "n<1K",
        < 10_000 => "1K<n<10K",
        < 100_000 => "10K<n<100K",
        < 1_000_000 => "100K<n<1M",
        < 10_000_000 => "1M<n<10M",
        < 100_000_000 => "10M<n<100M",
        _ => "100M<n<1B",
    };

    public static string Write(Manifest manifest, SourceTally sources, IReadOnlyList<string> splits, bool parquet)
    {
        var total = manifest.Counts.Rows.Values.Sum();
        var licenses = sources.Licenses;
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        sb.Append("---\n");
        sb.Append(LicenseMetadata(licenses));
        sb.Append("language:\n- en\n");
        sb.Append("tags:\n- code\n- csharp\n- sft\n- autorefiner\n");
        sb.Append("task_categories:\n- text-generation\n");
        sb.Append("size_categories:\n- ").Append(SizeCategory(total)).Append('\n');
        sb.Append("pretty_name: AutoRefiner C# SFT\n");
        if (splits.Count > 0)
        {
            sb.Append("configs:\n- config_name: default\n  data_files:\n");
            foreach (var split in splits)
            {
                sb.Append("  - split: ").Append(split).Append("\n    path: ")
                  .Append(parquet ? $"data/{split}-*" : $"jsonl/{split}.jsonl").Append('\n');
            }

            sb.Append(Configs.ConfigCard.Yaml(manifest, parquet));
        }

        sb.Append("---\n\n");
        sb.Append("# AutoRefiner C# SFT dataset\n\n");
        sb.Append("Instruction/response pairs for supervised fine-tuning of code models, made from real C# code by ")
          .Append("AutoRefiner ").Append(manifest.ToolVersion).Append(". Every response's C# code block was compiled ")
          .Append("with Roslyn against the .NET 10 reference assemblies, on its own; samples that did not compile or that repeated ")
          .Append("another sample were dropped. Repositories from GitHub are taken only when their licence is on the configured ")
          .Append("allow-list. ")
          .Append(manifest.Curation is { } curation
              ? $"Curation: code whose licence is not {string.Join(", ", curation.Licenses)} was left out{(curation.UnlicensedLocal == "drop" ? ", as was code with no licence at all" : " (code with no licence at all — private local sources — was kept)")}; " +
                $"secrets were {(curation.Secrets == "drop" ? "grounds to drop a sample" : "replaced by <secret:kind>")} and e-mail addresses were redacted; " +
                $"near-duplicates were removed ({curation.NearDuplicates}); " +
                (curation.Benchmarks.Count > 0 ? $"the data was decontaminated against {string.Join(", ", curation.Benchmarks.Select(kv => $"{kv.Key} ({kv.Value} items{(BuiltinBenchmarks.Describe(kv.Key) is { } what ? ", " + what : "")})"))}: samples overlapping them were dropped.{(curation.Benchmarks.Keys.Any(k => BuiltinBenchmarks.Describe(k) is not null) ? " " + BuiltinBenchmarks.Terms : "")}" : "no evaluation set was given for decontamination (curation.benchmarks: []).")
              : "No secret scan or benchmark decontamination has been applied.")
          .Append(" Every source project, its licence and the notices its licence asks to keep are listed in ATTRIBUTION.md.\n\n");
        sb.Append("## Contents\n\n| split | rows |\n|---|---:|\n");
        foreach (var (split, rows) in manifest.Counts.Rows)
        {
            sb.Append("| ").Append(split).Append(" | ").Append(rows.ToString("N0", inv)).Append(" |\n");
        }

        sb.Append("\nEach row has `id`, `task`, `instruction`, `response` (markdown with a ```csharp block), `tests`, ")
          .Append("`messages` (chat form: user, assistant), `lang`, the seed's provenance (`source_repo`, `source_path`, ")
          .Append("`source_commit`, `source_license`, `source_url`, `source_lines`, `source_project_version`, `license_origin`, `source_notice`), ")
          .Append("`generator`, `prompt_version`, `tests_run`, `tests_passed`, `repair_rounds`, `prompt_tokens`, `completion_tokens`, `created_at`, ")
          .Append("`mutants` and `mutants_killed` (mutants of the solution its tests ran against, and those they caught; null without tests), ")
          .Append("`pass_rate` and `difficulty` (the share of the model's answers to its prompt that passed, and `easy`/`medium`/`hard`; null for rows no model wrote and with one answer per prompt). The split is decided by a hash of the row's source file ")
          .Append("(`source_repo` + `source_path`), so rows of one file (overloads, near-copies) are never on both sides of it ")
          .Append("and a row stays in its split when the dataset is regenerated.\n\n");
        sb.Append(Configs.ConfigCard.Contents(manifest));
        if (manifest.PromptVersions.ContainsKey("doc-comments"))
        {
            sb.Append(DocCommentExample);
        }

        sb.Append("## How it was made\n\n");
        sb.Append("- Sources: ").Append(string.Join(", ", manifest.Sources.Select(s => $"`{s.Replace("`", "'", StringComparison.Ordinal)}`"))).Append('\n');
        sb.Append("- Generators: ").Append(string.Join(", ", manifest.PromptVersions.Select(kv => $"`{kv.Key}` ({kv.Value})"))).Append('\n');
        sb.Append("- Model: ").Append(manifest.Model ?? "none (doc-comment pairs are written from the code's own XML documentation)").Append('\n');
        if (manifest.Model is not null && manifest.PromptVersions.TryGetValue("instruct", out var instructPrompt))
        {
            sb.Append("- Instruct samples: the model was shown each seed as inspiration and wrote a new, self-contained problem, ")
              .Append("its solution and xunit tests (prompt `").Append(instructPrompt).Append("`). ")
              .Append(manifest.Sandbox is { } sandbox
                  ? $"The solution and its tests were compiled together and the tests run in a sandbox ({sandbox.Isolation}); only samples whose tests all passed were kept (`tests_run`, `tests_passed`).\n"
                  : "The solution was compiled; its tests are in `tests` but were not run (`validation.tests` was off, `tests_run` is 0).\n");
            sb.Append(inv, $"- Tokens: {manifest.TokenUsage.GetValueOrDefault("prompt_tokens"):N0} prompt, {manifest.TokenUsage.GetValueOrDefault("completion_tokens"):N0} completion\n");
        }

        if (manifest.Run.Kind == "refresh")
        {
            sb.Append(inv, $"- This refresh added {Words.Count(manifest.Run.AddedRows, "row", format: "N0")}; the dataset is the union of every run ({Words.Count(total, "row", format: "N0")}")
              .Append(manifest.Run.PreviousRows is { } before ? string.Create(inv, $", {before:N0} after the previous run") : "")
              .Append(manifest.Run.Carried > 0 ? string.Create(inv, $"; {Words.Count(manifest.Run.Carried, "sample", format: "N0")} kept from sources not seen this time, with the commit they came from") : "")
              .Append(").\n");
        }

        var c = manifest.Counts;
        sb.Append(inv, $"- Files read: {c.Files:N0}; documented methods: {c.DocumentedMethods:N0}; self-contained seeds: {c.SelfContained:N0} (yield {c.SeedYield:P1})\n");
        sb.Append(inv, $"- Candidates: {c.Candidates:N0}; kept: {total:N0}\n");
        sb.Append("- Configuration hash: `").Append(manifest.ConfigHash).Append("`\n\n");
        sb.Append("| verdict | candidates |\n|---|---:|\n");
        foreach (var verdict in VerdictNames.All)
        {
            sb.Append("| ").Append(verdict.ToWire()).Append(" | ").Append(c.Verdicts.GetValueOrDefault(verdict.ToWire()).ToString("N0", inv)).Append(" |\n");
        }

        sb.Append("\n## Licences\n\nEach row carries the licence of the code it was made from (`source_license`, an SPDX id: the one the ")
          .Append("file's own header states, else that of the nearest licence file above it — `license_origin` says which; `unknown` for a ")
          .Append("licence text that was not recognised, empty when there was none). Rows per licence:\n\n| licence | rows |\n|---|---:|\n");
        foreach (var (id, rows) in licenses.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal))
        {
            sb.Append("| ").Append(Attribution.Escape(ProjectTally.Name(id))).Append(" | ").Append(rows.ToString("N0", inv)).Append(" |\n");
        }

        sb.Append("\n## Sources\n\n");
        var projects = sources.Projects.ToList();
        if (projects.Count == 0)
        {
            sb.Append("No rows, so no sources.\n");
        }
        else
        {
            sb.Append("| project | licence | upstream | rows |\n|---|---|---|---:|\n");
            foreach (var p in projects)
            {
                sb.Append("| ").Append(Attribution.Escape(p.Repo)).Append(p.Version.Length > 0 ? $" {Attribution.Escape(p.Version)}" : "")
                  .Append(" | ").Append(Attribution.Escape(p.LicenseSummary))
                  .Append(" | ").Append(Attribution.IsWebUrl(p.Upstream) ? $"<{p.Upstream}>" : "")
                  .Append(" | ").Append(p.Rows.ToString("N0", inv)).Append(" |\n");
            }
        }

        sb.Append("\n## Reproduce\n\n```\n").Append(manifest.Command).Append("\n```\n\n");
        sb.Append("`manifest.json` beside this card records every count, timing and file hash of the run; `rejected.jsonl` holds every ")
          .Append("rejected candidate with its verdict and the compiler's first diagnostics.\n");
        return sb.ToString();
    }

    /// <summary>What a <c>doc-comments</c> row looks like, shown on the card of a dataset that has them.</summary>
    private const string DocCommentExample = """
        A `doc-comments` row asks for one member of real code. The instruction states the task from its XML documentation,
        the language and framework the code assumes, and shows the context with the member's body replaced by
        `throw new NotImplementedException();` (members it only uses are declarations with `=> throw null!` bodies). The
        response is the complete member alone. For example (shortened):

        ````text
        instruction:
        Implement `public static int Clamp(int value, int min, int max)` in `static class MathUtil`. In the code below its
        body is `throw new NotImplementedException();`.

        What it does: Limits `value` to the range from `min` to `max`.
        Throws:
        - `ArgumentException`: When `min` > `max`.

        The code is C# 14 on .NET 10 with implicit usings on (`System`, …) and nullable reference types enabled.

        ```csharp
        public static class MathUtil
        {
            /// <summary>Limits <paramref name="value"/> to the range from <paramref name="min"/> to <paramref name="max"/>.</summary>
            public static int Clamp(int value, int min, int max)
            {
                throw new NotImplementedException();
            }
        }
        ```

        response:
        ```csharp
        public static int Clamp(int value, int min, int max)
        {
            if (min > max) throw new ArgumentException("min must not exceed max");
            return value < min ? min : value > max ? max : value;
        }
        ```
        ````

        Every such row was checked: the context compiles, the member spliced in place of its stub compiles, and the
        member's body does not appear in the instruction.


        """;
}
