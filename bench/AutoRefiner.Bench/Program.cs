using AutoRefiner.Bench;

// AutoRefiner's benchmark runner. Each command prints a markdown report (machine, table, medians, ratios against a
// baseline measured in the same run) on stdout; progress goes to stderr.
var usage = """
    usage: dotnet run -c Release --project bench/AutoRefiner.Bench -- <command> [args]

      yield <dir>...    seed yield per code base: the real harvester vs wrapping each documented method alone
      compile <dir>... [--n N] [--k K]
                        compile-validation throughput of N self-contained units (default 400) harvested from the
                        given code bases vs `dotnet build` of K (default 5)
      export [rows]     Parquet + JSONL export of rows (default 100000) per codec, plus Zstd SmallestSize vs Optimal
      memory [methods]  peak RSS of the CLI on a synthetic tree of 2000, 5000 and <methods> (default 20000) documented methods
      sandbox [n] [k]   compiled-and-tested samples/s through the sandbox pool (default 300) vs `dotnet test` of k (default 3)
      mutation [n] [--jsonl file] [--mutants m]
                        per sample, in the same run: compile + run its tests once vs full mutation testing with m
                        mutants (default 20) vs the same with a fresh load per mutant; n samples (default 30) of the
                        sandbox exercises, or of a JSONL file made by bench/exercism/make-jsonl.py
      push [megabytes]  peak RSS of `autorefiner push` of a folder of that size (default 2048) to a fake Hub, vs a 1 MB folder
      neardup [n]       MinHash + LSH near-duplicate detection over n synthetic snippets (default 200000), this tokenizer and the previous one in the same run, peak RSS of each child process
      decontam <dir>... false positives of the built-in evaluation sets (humaneval-cs, mbpp-cs) on every method and file of real code
      benchmark-fingerprints <in.jsonl[.gz]> <out.jsonl.gz>  the shipped fingerprints of the sets scripts/build-builtin-benchmarks.py translated
      secrets [<dir>...] [--megabytes M]
                        secret scanning MB/s over real C# source (this repository's src/ plus the given folders),
                        repeated to M MB (default 64), vs every pattern over the whole text
      report [rows]     report.html of a run of that many rows (default 100000): size, time to write, time to open in headless Chromium
      llm [rounds] [latency-ms]  instruct generation at concurrency 8 and 32 against a fake endpoint with a fixed
                        latency (default 200 ms), rounds × C requests each (default 50), vs a bare HttpClient
      config [repos]    loading a harvest.yml that lists that many sources.github.repos (default 100000) vs a tenth of them
      throughput <dir>... [--runs N] [--copies K] [--warm R]
                        harvest throughput of this build vs the baseline CLI (AUTOREFINER_CLI, required) vs one bare
                        Roslyn compilation (parse + GetDiagnostics per folder), N rounds (default 3); then peak RSS of
                        both CLIs on K copies of the folders (default 5; 0 skips); then the bare compilation and the
                        seed extraction each repeated R times in one process, cold vs warm (default 4; 0 skips)
      rounds-bare <R> <dir>... | rounds-extract <R> <dir>...
                        (the throughput bench's children) R rounds in one process: round, wall s, CPU s, count
      tree <dir> [methods]  only writes the memory benchmark's synthetic tree (default 20000 methods) into <dir>, for profiling

    environment: AUTOREFINER_CLI=<path to AutoRefiner.Cli.dll> overrides the CLI built beside this bench;
                 AUTOREFINER_BENCH_QUIET_SECONDS=n caps the time spent waiting for a quiet machine (default 240).
    """;

if (args.Length == 0)
{
    Console.Error.WriteLine(usage);
    return 2;
}

try
{
    var rest = args[1..];
    return args[0] switch
    {
        "yield" => await YieldBench.RunAsync(rest),
        "compile" => await CompileBench.RunAsync(rest),
        "export" => await ExportBench.RunAsync(rest),
        "memory" => await MemoryBench.RunAsync(rest),
        "llm" => await LlmBench.RunAsync(rest),
        "sandbox" => await SandboxBench.RunAsync(rest),
        "mutation" => await MutationBench.RunAsync(rest),
        "push" => await PushBench.RunAsync(rest),
        "neardup" => await CurationBench.NearDuplicatesAsync(rest),
        "neardup-run" => CurationBench.NearDuplicatesRun(rest),
        "secrets" => await CurationBench.SecretsAsync(rest),
        "decontam" => await DecontaminationBench.RunAsync(rest),
        "benchmark-fingerprints" => BenchmarkFingerprints.Run(rest),
        "report" => await ReportBench.RunAsync(rest),
        "config" => await ConfigBench.RunAsync(rest),
        "fake-openai" => await LlmBench.ServeAsync(rest),
        "throughput" => await ThroughputBench.RunAsync(rest),
        "bare-compile" => ThroughputBench.BareCompile(rest, countOnly: false),
        "bare-count" => ThroughputBench.BareCompile(rest, countOnly: true),
        "rounds-bare" => WarmRounds.Run(rest, extract: false),
        "rounds-extract" => WarmRounds.Run(rest, extract: true),
        "tree" => WriteTree(rest),
        _ => Usage(),
    };
}
catch (BenchUsageException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    Console.Error.WriteLine(usage);
    return 2;
}

static int WriteTree(string[] rest)
{
    if (rest.Length == 0)
    {
        throw new BenchUsageException("tree needs a directory");
    }

    var methods = rest.Length > 1 ? CompileBench.ParsePositive(rest[1], "methods") : 20_000;
    Directory.CreateDirectory(rest[0]);
    var (files, projects) = SyntheticTree.Write(rest[0], methods);
    Console.WriteLine($"wrote {methods} documented methods in {files} files, {projects} projects, to {Path.GetFullPath(rest[0])}");
    return 0;
}

int Usage()
{
    Console.Error.WriteLine($"error: unknown command '{args[0]}'");
    Console.Error.WriteLine(usage);
    return 2;
}
