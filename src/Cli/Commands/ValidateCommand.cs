using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using AutoRefiner.Core;
using AutoRefiner.Core.Model;
using AutoRefiner.Core.Pipeline;
using AutoRefiner.Core.Text;
using AutoRefiner.Cli.Rendering;
using AutoRefiner.Exporter;
using AutoRefiner.Validator;
using AutoRefiner.Validator.Mutation;
using AutoRefiner.Validator.Sandbox;
using Spectre.Console;
using Spectre.Console.Cli;

namespace AutoRefiner.Cli.Commands;

/// <summary>
/// <c>autorefiner validate FILE</c>: re-validates an existing SFT dataset (ours or anyone's) — compiles the C# of each
/// response, runs its tests in the sandbox — and writes the passing rows in the input's own format, a verdict per row,
/// and a report.
/// </summary>
internal sealed class ValidateCommand(CommandEnvironment environment) : AsyncCommand<ValidateSettings>
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = false,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly JsonSerializerOptions Indented = new(Json) { WriteIndented = true };

    /// <inheritdoc />
    public override async Task<int> ExecuteAsync(CommandContext context, ValidateSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var cwd = Directory.GetCurrentDirectory();
        var input = Path.GetFullPath(settings.File, cwd);
        if (Directory.Exists(input))
        {
            throw AutoRefinerException.Usage($"'{settings.File}' is a folder; give a .jsonl or .parquet file (e.g. out/jsonl/train.jsonl)");
        }

        if (!File.Exists(input))
        {
            throw AutoRefinerException.Usage($"'{settings.File}' does not exist");
        }

        // Told by content before anything is written: a Parquet file named .jsonl, or a CSV, is not read as JSONL.
        ExistingDataset.Detect(input);

        var config = ConfigFiles.Load(settings.Config);
        var outDir = Path.GetFullPath(settings.Out ?? "validated", cwd);
        var kept = Path.Combine(outDir, Path.GetFileName(input));
        if (string.Equals(Path.GetFullPath(kept), input, StringComparison.Ordinal))
        {
            throw AutoRefinerException.Usage($"--out '{settings.Out}' would overwrite the input file; choose another folder");
        }

        // The same guard as harvest's: a folder that holds verdicts.jsonl or report.json of someone else's is refused,
        // one of ours is replaced file by file.
        var output = OutputFolder.Claim(outDir, settings.Out ?? "validated", "--out", OutputLayout.Validation(Path.GetFileName(input)));
        Directory.CreateDirectory(outDir);

        // Everything is written to a staging folder and moved into --out only when the run completes: a cancelled or
        // failed run leaves the previous results as they were.
        var staging = Path.Combine(outDir, $".staging-validate-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            return await RunAsync(settings, input, output, staging, config, cancellationToken);
        }
        finally
        {
            try
            {
                Directory.Delete(staging, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Left for the next run; it starts with a dot and is never read.
            }
        }
    }

    private async Task<int> RunAsync(ValidateSettings settings, string input, OutputFolder output, string staging, Core.Config.HarvestConfig config, CancellationToken cancellationToken)
    {
        var outDir = output.FullPath;
        var kept = Path.Combine(outDir, Path.GetFileName(input));
        var stagedKept = Path.Combine(staging, Path.GetFileName(input));
        var stats = new RunStats(environment.Time);
        var validation = config.Validation;
        await using var sandbox = new SandboxPool(
            SandboxOptions.From(validation),
            stats.Sandbox);
        // Rows with tests get their mutation score (validation.mutants); the gate applies only when asked for.
        var mutation = new MutationTester(sandbox, validation.Mutants, settings.MinMutationScore ?? 0);
        var rows = new SftRowValidator(new TestValidator(new CompileValidator(new RoslynCompiler()), sandbox, validation.Tests, mutation));

        // Preference rows: both answers are judged, with the configured mutation bar, so a weak-tests rejected answer fails.
        var pairs = new PreferencePairValidator(new SftRowValidator(new TestValidator(
            new CompileValidator(new RoslynCompiler()), sandbox, validation.Tests, new MutationTester(sandbox, validation.Mutants, settings.MinMutationScore ?? validation.MinMutationScore))));

        string? layout = null;
        var counts = VerdictNames.All.ToDictionary(v => v.ToWire(), _ => 0L, StringComparer.Ordinal);
        long total = 0, testsRun = 0, testsPassed = 0, mutants = 0, killed = 0, scored = 0;
        var rowCount = await ExistingDataset.CountRowsAsync(input, cancellationToken);
        var expected = settings.Limit is { } cap ? Math.Min(cap, rowCount) : rowCount;
        var progressRows = new StageCounter("rows", environment.Time);
        progressRows.SetTotal(expected);
        var progress = new ProgressView(environment.Output, stats, $"validate: {settings.File} ({Words.Count(expected, "row")}) -> {outDir}", [progressRows]);

        var records = ExistingDataset.ReadAsync(input, cancellationToken);
        if (settings.Limit is { } limit)
        {
            records = records.Take(limit);
        }

        var judged = records.SelectAsync(
            Math.Max(1, validation.EffectiveParallelism),
            async (record, ct) =>
            {
                if (record.Problem is not null)
                {
                    return (record, Verdict.Unparseable, record.Problem, 0, 0, (int?)null, (int?)null);
                }

                if (PreferenceLayout.Matches(record.Fields.Keys.ToList()))
                {
                    Interlocked.CompareExchange(ref layout, PreferenceLayout.Name, null);
                    var pair = await pairs.ValidateAsync(record.Fields, ct);
                    return (record, pair.Verdict, pair.Detail, pair.TestsRun, pair.TestsPassed, (int?)null, (int?)null);
                }

                var rowLayout = SftLayout.Detect(record.Fields.Keys.ToList());
                if (rowLayout is null)
                {
                    return (record, Verdict.Unparseable,
                        $"no known layout: the row has {string.Join(", ", record.Fields.Keys.Take(12))}; expected {string.Join(" or ", SftLayout.Known.Select(k => string.Join("+", k.Fields)))} or prompt+chosen+rejected", 0, 0, null, null);
                }

                Interlocked.CompareExchange(ref layout, rowLayout, null);
                if (SftLayout.Read(rowLayout, record.Fields, out var problem) is not { } row)
                {
                    return (record, Verdict.Unparseable, problem!, 0, 0, null, null);
                }

                var result = await rows.ValidateAsync(row.Instruction, row.Response, row.Tests, ct);
                return (record, result.Verdict, result.Detail, result.TestsRun, result.TestsPassed, result.Mutants, result.MutantsKilled);
            },
            cancellationToken);

        await progress.RunAsync(
            async () =>
            {
                await using var writer = await ExistingDataset.CreateWriterAsync(input, stagedKept, cancellationToken);
                await using var verdicts = new StreamWriter(Path.Combine(staging, "verdicts.jsonl"), append: false, new System.Text.UTF8Encoding(false)) { NewLine = "\n" };
                progressRows.Start();
                await foreach (var (record, verdict, detail, run, passed, rowMutants, rowKilled) in judged.WithCancellation(cancellationToken))
                {
                    total++;
                    progressRows.Add();
                    counts[verdict.ToWire()]++;
                    testsRun += run;
                    testsPassed += passed;
                    scored += rowMutants is null ? 0 : 1;
                    mutants += rowMutants ?? 0;
                    killed += rowKilled ?? 0;
                    if (verdict == Verdict.Passed)
                    {
                        await writer.AddAsync(record, cancellationToken);
                    }

                    var id = record.Fields.GetValueOrDefault("id") as string;
                    await verdicts.WriteLineAsync(JsonSerializer.Serialize(new RowVerdict(record.Index, record.LineNumber, id, verdict.ToWire(), detail.Length > 0 ? detail : null, run, passed, rowMutants, rowKilled), Json).AsMemory(), cancellationToken);
                }

                progressRows.Finish();
            },
            cancellationToken);

        string[] written = [Path.GetFileName(input), "verdicts.jsonl", "report.json"];

        // The copies earlier runs kept of other inputs stay, and the new report.json lists them still: the folder's
        // marker names everything validate wrote there, so a later run knows each file as its own.
        var carried = output.Previous.Where(f => !written.Contains(f) && output.Layout.MayHaveWritten(f)).Order(StringComparer.Ordinal).ToList();
        var report = new ValidationReport(
            "autorefiner", [.. written.Concat(carried).Select(f => new WrittenFile(f))], Path.GetFileName(input), layout, total, counts.Where(kv => kv.Value > 0).ToDictionary(), counts["passed"], testsRun, testsPassed, stats.Sandbox.Isolation)
        {
            Mutation = scored == 0 ? null : new MutationSummary(scored, mutants, killed, mutants == 0 ? null : Math.Round((double)killed / mutants, 4), settings.MinMutationScore),
        };
        await File.WriteAllTextAsync(Path.Combine(staging, "report.json"), JsonSerializer.Serialize(report, Indented) + "\n", cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        // report.json, the folder's marker, goes last: it lists the other two as AutoRefiner's.
        output.Publish(staging, written, carried: carried);

        var inv = CultureInfo.InvariantCulture;
        environment.Output.WriteLine(total == 0
            ? "rows: 0 (the file holds no rows)"
            : string.Create(inv,
                $"rows: {total} ({layout ?? "no known layout"}): {string.Join(", ", counts.Where(kv => kv.Value > 0).Select(kv => $"{kv.Key} {kv.Value}"))}; {testsPassed} of {Words.Count(testsRun, "test")} passed"));
        if (scored > 0)
        {
            environment.Output.WriteLine(string.Create(inv,
                $"mutation: {Words.Count(scored, "row")} with tests scored; their tests killed {killed} of {Words.Count(mutants, "mutant")}{(settings.MinMutationScore is { } bar ? $" (bar {bar:0.##}: weak-tests {counts["weak-tests"]})" : " (no bar set: --min-mutation-score)")}"));
        }

        environment.Output.WriteLine(string.Create(inv, $"wrote {Words.Count(counts["passed"], "passing row")} to {kept}"));
        environment.Output.WriteLine($"  verdicts: {Path.Combine(outDir, "verdicts.jsonl")}");
        environment.Output.WriteLine($"  report:   {Path.Combine(outDir, "report.json")}");
        if (stats.Sandbox.Isolation is { } isolation)
        {
            environment.Output.WriteLine($"tests ran in the sandbox: {isolation}");
        }

        return ExitCodes.Success;
    }

    private sealed record RowVerdict(long Row, long? Line, string? Id, string Verdict, string? Detail, int TestsRun, int TestsPassed, int? Mutants, int? MutantsKilled);

    /// <summary>report.json's mutation part: rows scored, mutants run and killed over them, the bar when one was set.</summary>
    private sealed record MutationSummary(long Rows, long Mutants, long Killed, double? Score, double? MinScore);

    private sealed record WrittenFile(string Path);

    /// <summary>report.json: the results, and (<c>tool</c>, <c>files</c>) the mark of a folder written by <c>validate</c>.</summary>
    private sealed record ValidationReport(
        string Tool, IReadOnlyList<WrittenFile> Files, string Input, string? Layout, long Rows, Dictionary<string, long> Verdicts, long Passed, long TestsRun, long TestsPassed, string? Sandbox)
    {
        /// <summary>The mutation scores of the rows with tests, or null when none was scored.</summary>
        public MutationSummary? Mutation { get; init; }
    }
}
