using System.Diagnostics;
using AutoRefiner.Generator.Tests.Llm;

namespace AutoRefiner.Cli.Tests;

/// <summary>A real `autorefiner` process killed with SIGKILL mid-run, restarted, and compared with an uninterrupted run.</summary>
public sealed class ResumeTests : IAsyncLifetime
{
    private readonly TempDir _dir = new();
    private readonly FakeOpenAiServer _llm = new() { Latency = TimeSpan.FromMilliseconds(120) };

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _llm.DisposeAsync();
        _dir.Dispose();
    }

    private void WriteSources(int methods)
    {
        var body = string.Concat(Enumerable.Range(0, methods).Select(i => $"    /// <summary>Returns the argument plus {i}; the sum wraps round on overflow.</summary>\n    public static int Add{i}(int x) => x + {i};\n\n"));
        _dir.Write("src/Ops.cs", $"public static class Ops\n{{\n{body}}}\n");
    }

    private string Config() => _dir.Write("harvest.yml", $"""
        sources:
          local: [src]
        llm:
          endpoint: {_llm.BaseUrl}
          model: fake-coder
          concurrency: 2
        generation:
          tasks: [instruct, doc-comments]
        curation:
          near-duplicates: false   # the fake's answers are one template: near-duplicates by design
          max-per-file: 0          # one file of many members: the per-file cap of doc-comment rows is not this test's subject
        """);

    private static ProcessStartInfo Cli(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "AutoRefiner.Cli.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }

    private static async Task<(int ExitCode, string Output)> RunToEndAsync(params string[] args)
    {
        using var process = Process.Start(Cli(args))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        return (process.ExitCode, await output + await errors);
    }

    private static List<string> Ids(string outDir) =>
        [.. CliRunner.ReadAllJsonlRows(outDir).Select(r => r.GetProperty("id").GetString()!).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task Harvest_KilledAtRandomMomentsAndRestarted_GivesTheDatasetOfAnUninterruptedRun()
    {
        WriteSources(24);
        var config = Config();
        string[] Args(string name) => ["harvest", "--config", config, "--out", _dir.Combine($"out-{name}"), "--state", _dir.Combine($"state-{name}/state.db")];

        var reference = await RunToEndAsync(Args("reference"));
        Assert.True(reference.ExitCode == 0, reference.Output);
        var expected = Ids(_dir.Combine("out-reference"));
        Assert.Equal(48, expected.Count); // 24 instruct + 24 doc-comment rows
        var referenceRequests = _llm.RequestCount;

        // Each kill lands at a random point of the run measured in model requests, not in wall-clock time, so a slow
        // machine (a process that takes seconds to start) still gets killed while answers are coming in.
        var random = new Random(20261130);
        var kills = new List<string>();
        var midRun = 0;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            using var process = Process.Start(Cli(Args("killed")))!;
            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            var target = _llm.RequestCount + random.Next(3, 7);
            var waited = Stopwatch.StartNew();
            while (!process.HasExited && _llm.RequestCount < target && waited.Elapsed < TimeSpan.FromMinutes(1))
            {
                await Task.Delay(5);
            }

            await Task.Delay(random.Next(0, 250));
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: false); // SIGKILL to the run itself; its sandbox workers must go by themselves
                await process.WaitForExitAsync();
                var sent = _llm.RequestCount - referenceRequests;
                kills.Add($"after {sent} requests");
                midRun += sent is > 0 and < 24 ? 1 : 0;
            }
        }

        Assert.True(midRun >= 1, $"no kill landed while answers were coming in (kills: {string.Join(", ", kills)})");

        var requestsBeforeFinish = _llm.RequestCount;
        var finished = await RunToEndAsync(Args("killed"));

        Assert.True(finished.ExitCode == 0, $"kills: {string.Join(", ", kills)}\n{finished.Output}");
        var ids = Ids(_dir.Combine("out-killed"));
        Assert.Equal(expected, ids); // the same rows, none lost, none twice
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());

        // No answer was paid for twice: across the killed runs and the last one, each prompt was sent at most once more
        // than it was answered (a request in flight at a kill is the only one that can be lost).
        var resumedRequests = _llm.Requests.Skip(referenceRequests).Select(r => r.UserText).ToList();
        Assert.True(resumedRequests.Count <= 24 + 3 * 2, $"{resumedRequests.Count} requests for 24 seeds across 3 kills");
        Assert.True(_llm.RequestCount - requestsBeforeFinish < 24, $"the last run asked everything again (kills: {string.Join(", ", kills)})");
    }

    [Fact]
    public async Task Harvest_Sigterm_StopsCleanlyWith143_AndTheNextRunResumes()
    {
        WriteSources(24);
        var config = Config();
        string[] args = ["harvest", "--config", config, "--out", _dir.Combine("out"), "--state", _dir.Combine("state/state.db")];

        using var process = Process.Start(Cli(args))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        var waited = Stopwatch.StartNew();
        while (_llm.RequestCount < 6 && waited.Elapsed < TimeSpan.FromMinutes(1))
        {
            await Task.Delay(5);
        }

        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
        var stopped = await output + await errors;

        Assert.True(process.ExitCode == 143, $"exit {process.ExitCode}\n{stopped}");
        Assert.Contains("cancelled:", stopped, StringComparison.Ordinal);
        Assert.Empty(Directory.Exists(_dir.Combine("out")) ? Directory.GetFileSystemEntries(_dir.Combine("out")) : []);
        var answered = _llm.RequestCount;

        var resumed = await RunToEndAsync(args);

        Assert.True(resumed.ExitCode == 0, resumed.Output);
        Assert.Equal(48, Ids(_dir.Combine("out")).Count);
        Assert.True(_llm.RequestCount - answered < 24, "the resumed run asked everything again");
    }
}
