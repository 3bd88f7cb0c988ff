using System.Diagnostics;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;
using AutoRefiner.Core.Config;
using AutoRefiner.Core.Model;
using AutoRefiner.Core.Pipeline;
using AutoRefiner.Core.State;
using AutoRefiner.Generator.Instruct;
using AutoRefiner.Generator.Llm;
using AutoRefiner.Generator.Prompts;
using AutoRefiner.Generator.Tests.Llm;
using AutoRefiner.State;
using static AutoRefiner.Bench.BenchEnv;

namespace AutoRefiner.Bench;

/// <summary>
/// <c>llm [rounds] [latency-ms]</c>: generation throughput of the real instruct generator (Semantic Kernel's connector,
/// the retrying HttpClient, the SQLite response cache, the answer parser) driven by the real pipeline at concurrency
/// C = 8 and 32, against a fake OpenAI-compatible endpoint with a fixed latency that runs in a child process, so that
/// the CPU measured here is the pipeline's own. Ideal throughput is C / latency; the baseline, measured in the same
/// run, is a bare HttpClient keeping C requests in flight against the same server.
/// </summary>
internal static class LlmBench
{
    private static readonly int[] Concurrencies = [8, 32];

    private const int Runs = 3;

    public static async Task<int> RunAsync(string[] args)
    {
        var rounds = args.Length > 0 ? CompileBench.ParsePositive(args[0], "rounds") : 50;
        var latencyMs = args.Length > 1 ? CompileBench.ParsePositive(args[1], "latency-ms") : 200;
        var latency = TimeSpan.FromMilliseconds(latencyMs);
        var tmp = NewTempDir("llm");
        using var server = FakeServerProcess.Start(latencyMs);
        try
        {
            Report.Progress($"fake endpoint at {server.BaseUrl} with {latencyMs} ms latency; warming up");
            for (var pass = 0; pass < 3; pass++)
            {
                // Fresh seeds and a fresh cache each pass: the JIT sees the request path, not only the cache hits.
                await GenerateAsync(server.BaseUrl, 32, 128, Path.Combine(tmp, $"warmup-{pass}.db"), $"warmup-{pass}");
                await BareAsync(server.BaseUrl, 32, 128);
            }

            var rows = new List<IReadOnlyList<string>>();
            var details = new StringBuilder();
            var verdicts = new List<string>();
            foreach (var c in Concurrencies)
            {
                var n = c * rounds;
                var ideal = c / latency.TotalSeconds;
                var ours = new List<(double Wall, double Cpu, int MaxInFlight)>();
                var cached = new List<(double Wall, double Cpu)>();
                var bare = new List<double>();
                for (var run = 0; run < Runs; run++)
                {
                    Load.WaitForQuiet(TimeSpan.FromSeconds(30));
                    var state = Path.Combine(tmp, $"c{c}-r{run}.db");
                    server.ResetMaxConcurrent();
                    var (wall, cpu) = await GenerateAsync(server.BaseUrl, c, n, state, $"c{c}-r{run}");
                    ours.Add((wall, cpu, server.MaxConcurrent()));
                    cached.Add(await GenerateAsync(server.BaseUrl, c, n, state, $"c{c}-r{run}"));
                    bare.Add(await BareAsync(server.BaseUrl, c, n));
                    Report.Progress(Inv($"C={c} run {run + 1}: {n / wall:0.0} req/s ({n / wall / ideal:P1} of ideal), bare HttpClient {n / bare[^1]:0.0} req/s"));
                }

                var wallMedian = Report.Median(ours.Select(o => o.Wall));
                var throughput = n / wallMedian;
                var bareThroughput = n / Report.Median(bare);
                var cpuMs = Report.Median(ours.Select(o => o.Cpu)) * 1000 / n;
                var cachedWall = Report.Median(cached.Select(o => o.Wall));
                rows.Add([
                    Inv($"{c}"), Inv($"{n}"), Report.N(ideal, 1),
                    Inv($"**{throughput:0.0}** ({Report.Pct(throughput / ideal)})"),
                    Inv($"{bareThroughput:0.0} ({Report.Pct(bareThroughput / ideal)})"),
                    Report.Pct(throughput / bareThroughput),
                    Inv($"{cpuMs:0.00}"),
                    Inv($"{ours.Max(o => o.MaxInFlight)}"),
                    Inv($"{n / cachedWall:N0} ({Report.Median(cached.Select(o => o.Cpu)) * 1000 / n:0.00} CPU ms)"),
                ]);
                details.AppendLine(Inv($"- C={c}: ours (s) {string.Join(", ", ours.Select(o => o.Wall.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture)))}; bare HttpClient (s) {string.Join(", ", bare.Select(b => b.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture)))}"));
                verdicts.Add(Inv($"C={c}: {throughput / ideal:P1} of ideal ({(throughput / ideal >= 0.9 ? "met" : "NOT met")})"));
            }

            Console.WriteLine("## LLM generation throughput");
            Console.WriteLine();
            Console.Write(MachineSection());
            Console.WriteLine();
            Console.WriteLine(Inv($"- command: `dotnet run -c Release --project bench/AutoRefiner.Bench -- llm {rounds} {latencyMs}`"));
            Console.WriteLine(Inv($"- endpoint: the fake OpenAI-compatible server of the tests (`FakeOpenAiServer`, HttpListener on 127.0.0.1) in a child process, answering every `/v1/chat/completions` after a fixed {latencyMs} ms with a contract-format answer (~0.9 KB)"));
            Console.WriteLine(Inv($"- ours: `HarvestPipeline` with C seeds generated at once (`llm.concurrency`), the real `InstructGenerator` (Semantic Kernel 1.82 OpenAI connector, resilience pipeline, SQLite response cache in a fresh state file, answer parser) over C × {rounds} synthetic seeds of ~40 lines; validation and export replaced by a counter so that only generation is timed; {Runs} runs per C, medians"));
            Console.WriteLine("- baseline (same run, same server): a bare `HttpClient` keeping C POSTs of the same size in flight, nothing else");
            Console.WriteLine("- CPU: this process's user + system time during the run divided by samples (the endpoint's CPU is in its own process and not counted)");
            Console.WriteLine("- cached rerun: the same seeds again with the same state file: every answer comes from SQLite, no request is sent");
            Console.WriteLine();
            Console.WriteLine(Report.Table(
                ["C", "requests", "ideal req/s (C / latency)", "ours req/s (of ideal)", "bare HttpClient req/s (of ideal)", "ours vs bare", "pipeline CPU ms per sample", "max in flight at server", "cached rerun samples/s"],
                rows,
                "rrrrrrrrr"));
            Console.WriteLine();
            Console.Write(details);
            Console.WriteLine();
            Console.WriteLine($"Goal ≥ 90 % of ideal: {string.Join("; ", verdicts)}.");
            return 0;
        }
        finally
        {
            TryDelete(tmp);
        }
    }

    /// <summary>Generates <paramref name="n"/> seeds through the real pipeline; returns wall and CPU seconds.</summary>
    private static async Task<(double Wall, double Cpu)> GenerateAsync(Uri endpoint, int concurrency, int n, string statePath, string salt)
    {
        var config = new HarvestConfig
        {
            Llm = new LlmConfig { Endpoint = endpoint.ToString(), Model = "bench-model", Concurrency = concurrency, MaxRetries = 2, TimeoutSeconds = 30 },
            State = statePath,
        };
        var stats = new RunStats(TimeProvider.System);
        var llm = LlmEndpoint.Resolve(config.Llm, _ => null)!;
        using var client = new LlmClient(llm, stats.Llm);
        using var store = StateStore.Open(statePath);
        var generator = new InstructGenerator(new ResponseCache(client, store.Answers, stats.Llm, TimeProvider.System), stats, PromptTemplate.Load(InstructGenerator.PromptFile));
        var sink = new CountingSink();
        var pipeline = new HarvestPipeline(new SyntheticSeeds(n, salt), [generator], new PassThrough(), [], sink);

        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await pipeline.RunAsync(new HarvestRequest([], null), stats, new PipelineOptions(2, concurrency), CancellationToken.None);
        var wall = clock.Elapsed.TotalSeconds;
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
        if (sink.Passed != n)
        {
            throw new InvalidOperationException($"{sink.Passed} of {n} samples were parsed; the benchmark's answers should all be usable");
        }

        return (wall, cpu);
    }

    /// <summary>A bare HttpClient keeping <paramref name="concurrency"/> requests in flight; returns wall seconds for n.</summary>
    private static async Task<double> BareAsync(Uri endpoint, int concurrency, int n)
    {
        using var http = new HttpClient();
        var url = new Uri(endpoint, "chat/completions");
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
        {
            while (Interlocked.Increment(ref next) < n)
            {
                var body = new JsonObject
                {
                    ["model"] = "bench-model",
                    ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = SyntheticSeeds.Code(next, "bare") }),
                }.ToJsonString();
                using var content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
                using var response = await http.PostAsync(url, content);
                response.EnsureSuccessStatusCode();
                _ = await response.Content.ReadAsStringAsync();
            }
        }));
        return clock.Elapsed.TotalSeconds;
    }

    private sealed class SyntheticSeeds(int n, string salt) : ISeedSource
    {
        public static string Code(int i, string salt)
        {
            var sb = new StringBuilder();
            sb.Append("namespace Bench.").Append(salt.Replace('-', '_')).Append(";\n\npublic static class Series").Append(i).Append("\n{\n");
            sb.Append("    /// <summary>Sums the first <paramref name=\"count\"/> terms of a series.</summary>\n");
            sb.Append("    public static long Sum(int count)\n    {\n        long total = 0;\n");
            for (var k = 0; k < 30; k++)
            {
                sb.Append("        total += Term(count, ").Append(k).Append(", ").Append(i).Append(");\n");
            }

            sb.Append("        return total;\n    }\n\n    private static long Term(int count, int k, int i) => (long)count * k + i;\n}\n");
            return sb.ToString();
        }

        public async IAsyncEnumerable<Seed> HarvestAsync(HarvestRequest request, RunStats stats, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.Yield();
            for (var i = 0; i < n; i++)
            {
                var code = Code(i, salt);
                yield return new Seed
                {
                    Id = Core.Text.ContentHash.Of(code),
                    Name = "Sum",
                    Signature = "public static long Sum(int count)",
                    ContainingType = $"static class Series{i}",
                    Doc = new DocComment { Summary = "Sums." },
                    Code = code,
                    Provenance = new Provenance("bench/synthetic", $"Series{i}.cs", "", "mit", ""),
                };
            }
        }
    }

    private sealed class PassThrough : ICandidateValidator
    {
        public ValueTask<Judged> ValidateAsync(Candidate candidate, CancellationToken cancellationToken) =>
            ValueTask.FromResult(new Judged(candidate, candidate.ParseError is null ? Verdict.Passed : Verdict.Unparseable, candidate.ParseError ?? ""));
    }

    private sealed class CountingSink : IDatasetSinkFactory, IDatasetSink
    {
        public int Passed { get; private set; }

        public IDatasetSink Open(RunStats stats) => this;

        public ValueTask AddAsync(Judged judged, CancellationToken cancellationToken)
        {
            if (judged.Verdict == Verdict.Passed)
            {
                Passed++;
            }

            return ValueTask.CompletedTask;
        }

        public ValueTask CompleteAsync(RunStats stats, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    /// <summary>The fake endpoint in a child process (this bench, command <c>fake-openai</c>).</summary>
    private sealed class FakeServerProcess : IDisposable
    {
        private readonly Process _process;

        private FakeServerProcess(Process process, Uri baseUrl)
        {
            _process = process;
            BaseUrl = baseUrl;
        }

        public Uri BaseUrl { get; }

        public static FakeServerProcess Start(int latencyMs)
        {
            var self = Environment.ProcessPath!;
            var psi = new ProcessStartInfo(self) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
            if (Path.GetFileNameWithoutExtension(self) == "dotnet")
            {
                psi.ArgumentList.Add(typeof(LlmBench).Assembly.Location);
            }

            psi.ArgumentList.Add("fake-openai");
            psi.ArgumentList.Add(latencyMs.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var process = Process.Start(psi)!;
            var line = process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("the fake endpoint did not start");
            return new FakeServerProcess(process, new Uri(line));
        }

        public void ResetMaxConcurrent() => Command("reset");

        public int MaxConcurrent() => int.Parse(Command("max"), System.Globalization.CultureInfo.InvariantCulture);

        private string Command(string command)
        {
            _process.StandardInput.WriteLine(command);
            _process.StandardInput.Flush();
            return _process.StandardOutput.ReadLine() ?? "";
        }

        public void Dispose()
        {
            try
            {
                _process.StandardInput.Close();
                if (!_process.WaitForExit(5000))
                {
                    _process.Kill();
                }
            }
            finally
            {
                _process.Dispose();
            }
        }
    }

    /// <summary>The child side: serves until stdin closes; answers <c>reset</c> and <c>max</c> on stdin.</summary>
    public static async Task<int> ServeAsync(string[] args)
    {
        var latency = args.Length > 0 ? CompileBench.ParsePositive(args[0], "latency-ms") : 200;
        await using var server = new FakeOpenAiServer { Latency = TimeSpan.FromMilliseconds(latency) };
        Console.WriteLine(server.BaseUrl);
        var baseline = 0;
        while (await Console.In.ReadLineAsync() is { } line)
        {
            switch (line)
            {
                case "reset":
                    baseline = server.RequestCount;
                    server.ResetMaxConcurrent();
                    Console.WriteLine("ok");
                    break;
                case "max":
                    Console.WriteLine(server.MaxConcurrent);
                    break;
            }
        }

        return baseline >= 0 ? 0 : 1;
    }
}
