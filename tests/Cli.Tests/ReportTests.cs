using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using AutoRefiner.Generator.Tests.Llm;

namespace AutoRefiner.Cli.Tests;

/// <summary>report.html rendered by headless Chromium (Debian's package; .ci/run installs it), as a user would open it.</summary>
public sealed partial class ReportTests : IAsyncLifetime
{
    private readonly TempDir _dir = new();
    private readonly FakeOpenAiServer _llm = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _llm.DisposeAsync();
        _dir.Dispose();
    }

    private string Out => _dir.Combine("out");

    /// <summary>Hosts of Chromium's own background services (time, updates, accounts), which it calls whatever page it shows.</summary>
    private static bool IsChromiumItself(string host) =>
        host.EndsWith(".google.com", StringComparison.Ordinal) || host.EndsWith(".googleapis.com", StringComparison.Ordinal) || host.EndsWith(".gvt1.com", StringComparison.Ordinal);

    /// <summary>
    /// Loads the page in headless Chromium with every request sent to a proxy on 127.0.0.1 that records what is asked
    /// for; returns the DOM after layout, the screenshot's size and the requests that were not Chromium's own.
    /// </summary>
    private async Task<(string Dom, long ScreenshotBytes, int Requests)> RenderAsync(string page)
    {
        using var proxy = new TcpListener(IPAddress.Loopback, 0);
        proxy.Start();
        var hosts = new System.Collections.Concurrent.ConcurrentBag<string>();
        var accepting = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    using var client = await proxy.AcceptTcpClientAsync();
                    var buffer = new byte[512];
                    var read = await client.GetStream().ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(2));
                    var line = System.Text.Encoding.ASCII.GetString(buffer, 0, read).Split("\r\n")[0];
                    var target = line.Split(' ').ElementAtOrDefault(1) ?? "";
                    hosts.Add(Uri.TryCreate(target.Contains("://", StringComparison.Ordinal) ? target : "https://" + target, UriKind.Absolute, out var uri) ? uri.Host : target);
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException or TimeoutException)
            {
            }
        });
        var port = ((IPEndPoint)proxy.LocalEndpoint).Port;
        var screenshot = _dir.Combine($"shot-{Guid.NewGuid():N}.png");
        string[] common =
        [
            "--headless", "--no-sandbox", "--disable-gpu", $"--user-data-dir={_dir.Combine("chromium-" + Guid.NewGuid().ToString("N"))}",
            $"--proxy-server=http://127.0.0.1:{port}", "--proxy-bypass-list=<-loopback>",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-default-apps",
            "--disable-extensions", "--disable-domain-reliability", "--metrics-recording-only", "--no-pings",
        ];
        var dom = await ChromiumAsync([.. common, "--dump-dom", new Uri(page).AbsoluteUri]);
        await ChromiumAsync([.. common, "--window-size=1280,2400", $"--screenshot={screenshot}", new Uri(page).AbsoluteUri]);
        await Task.Delay(200);
        proxy.Stop();
        await accepting;
        return (dom, File.Exists(screenshot) ? new FileInfo(screenshot).Length : 0, hosts.Count(h => !IsChromiumItself(h)));
    }

    private static async Task<string> ChromiumAsync(string[] args)
    {
        var start = new ProcessStartInfo("chromium") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return await output;
    }

    private static List<long> Values(string dom, string svgId)
    {
        var svg = Regex.Match(dom, $"<svg id=\"{svgId}\"[\\s\\S]*?</svg>");
        Assert.True(svg.Success, $"no <svg id=\"{svgId}\"> in the page");
        return [.. DataValue().Matches(svg.Value).Select(m => long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))];
    }

    [GeneratedRegex("data-value=\"(\\d+)\"")]
    private static partial Regex DataValue();

    [Fact]
    public async Task Report_OfARealRun_DrawsTheFunnelAndTheVerdicts_WithTheRunsCounts_AndRequestsNothing()
    {
        _dir.Write("src/Ops.cs", "public static class Ops\n{\n" + string.Concat(Enumerable.Range(0, 6).Select(i => $"    /// <summary>Returns the argument plus {i}; the sum wraps round on overflow.</summary>\n    public static int Add{i}(int x) => x + {i};\n\n")) + "}\n");
        _llm.Responder = r => r.UserText.Contains("Add2", StringComparison.Ordinal) || r.UserText.Contains("Add4", StringComparison.Ordinal)
            ? FakeReply.Answer("No sections here, sorry.")
            : FakeReply.Answer(FakeOpenAiServer.ContractAnswer(r));
        var config = _dir.Write("harvest.yml", $"sources:\n  local: [src]\nllm:\n  endpoint: {_llm.BaseUrl}\n  model: fake-coder\ncuration:\n  near-duplicates: false\n  max-per-file: 0\n"); // one file of six members; the cap is not this test's subject

        var result = await CliRunner.RunAsync(["harvest", "--config", config, "--out", Out, "--state", _dir.Combine("state.db")]);

        Assert.True(result.ExitCode == 0, result.Output + result.Errors);
        var page = Path.Combine(Out, "report.html");
        Assert.Contains($"report: {page}", result.Output, StringComparison.Ordinal);
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(Out, "manifest.json")));
        var counts = manifest.RootElement.GetProperty("counts");
        var rows = CliRunner.ReadAllJsonlRows(Out).Count;

        var (dom, screenshot, requests) = await RenderAsync(page);

        var funnel = Values(dom, "funnel-chart");
        Assert.Equal(7, funnel.Count);
        Assert.Equal(counts.GetProperty("files").GetInt64(), funnel[0]);
        Assert.Equal(counts.GetProperty("candidates").GetInt64(), funnel[2]);
        Assert.Equal(rows, funnel[^1]);
        Assert.Equal([2L], Values(dom, "verdict-chart")); // the two unparseable answers
        Assert.Contains("verdict-unparseable", dom, StringComparison.Ordinal);
        Assert.Contains("No sections here, sorry.", dom, StringComparison.Ordinal); // the example behind the bar
        Assert.NotEmpty(Values(dom, "instruction-length"));
        Assert.Contains("<span class=\"kw\">public</span>", dom, StringComparison.Ordinal);
        Assert.True(screenshot > 10_000, $"screenshot of {screenshot} bytes");
        Assert.Equal(0, requests);
        var html = File.ReadAllText(page);
        Assert.Contains("Content-Security-Policy\" content=\"default-src 'none'", html, StringComparison.Ordinal);
        Assert.DoesNotMatch("<(script|link|img|iframe)[^>]+(src|href)=\"https?:", html);
    }

    [Fact]
    public async Task Report_OfAnEmptyRun_SaysSo()
    {
        Directory.CreateDirectory(_dir.Combine("empty"));
        _dir.Write("empty/readme.txt", "no code here");

        var result = await CliRunner.RunAsync(["harvest", "--source", _dir.Combine("empty"), "--out", Out, "--state", _dir.Combine("state.db")]);

        Assert.Equal(0, result.ExitCode);
        var (dom, screenshot, requests) = await RenderAsync(Path.Combine(Out, "report.html"));
        Assert.Contains("No rows were exported", dom, StringComparison.Ordinal);
        Assert.Contains("No candidate was made", dom, StringComparison.Ordinal);
        Assert.Equal([0L, 0, 0, 0, 0, 0, 0], Values(dom, "funnel-chart"));
        Assert.True(screenshot > 5_000);
        Assert.Equal(0, requests);
    }

    [Fact]
    public async Task Report_OfARunWithOnlyRejections_SaysSoAndShowsWhy()
    {
        _dir.Write("src/Ops.cs", """
            public static class Ops
            {
                /// <summary>Sums the decimal digits of a non-negative number; zero and negatives give 0.</summary>
                public static int DigitSum(int n)
                {
                    var total = 0;
                    for (; n > 0; n /= 10)
                    {
                        total += n % 10;
                    }

                    return total;
                }

                /// <summary>Counts the set bits of a number read as unsigned, so a negative one counts its sign bit too.</summary>
                public static int Bits(int n)
                {
                    var rest = (uint)n;
                    var count = 0;
                    while (rest != 0)
                    {
                        count += (int)(rest & 1);
                        rest >>= 1;
                    }

                    return count;
                }
            }
            """);
        _llm.Responder = _ => FakeReply.Answer("I would rather not.");
        var config = _dir.Write("harvest.yml", $"sources:\n  local: [src]\nllm:\n  endpoint: {_llm.BaseUrl}\n  model: fake-coder\ngeneration:\n  tasks: [instruct]\n");

        var result = await CliRunner.RunAsync(["harvest", "--config", config, "--out", Out, "--state", _dir.Combine("state.db")]);

        Assert.Equal(0, result.ExitCode);
        var (dom, _, _) = await RenderAsync(Path.Combine(Out, "report.html"));
        Assert.Contains("All 2 candidates were rejected", dom, StringComparison.Ordinal);
        Assert.Equal([2L], Values(dom, "verdict-chart"));
    }

    [Fact]
    public async Task Report_OfAParquetOnlyRun_IsPublishedWithTheData_ListedInTheManifest_AndCountsEveryRow()
    {
        _dir.Write("src/Ops.cs", "public static class Ops\n{\n" + string.Concat(Enumerable.Range(0, 5).Select(i => $"    /// <summary>Returns the argument plus {i}; the sum wraps round on overflow.</summary>\n    public static int Add{i}(int x) => x + {i};\n\n")) + "}\n");
        var config = _dir.Write("harvest.yml", "sources:\n  local: [src]\nexport:\n  formats: [parquet]\ncuration:\n  near-duplicates: false\n  max-per-file: 0\n  max-per-template: 0\n");

        var result = await CliRunner.RunAsync(["harvest", "--config", config, "--out", Out, "--state", _dir.Combine("state.db")]);

        Assert.True(result.ExitCode == 0, result.Output + result.Errors);
        Assert.False(Directory.Exists(Path.Combine(Out, "jsonl")));
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(Out, "manifest.json")));
        var rows = manifest.RootElement.GetProperty("counts").GetProperty("rows").EnumerateObject().Sum(p => p.Value.GetInt64());
        Assert.True(rows >= 5, $"{rows} rows");
        var listed = manifest.RootElement.GetProperty("files").EnumerateArray().Single(f => f.GetProperty("path").GetString() == "report.html");
        var page = Path.Combine(Out, "report.html");
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(page))), listed.GetProperty("sha256").GetString());
        Assert.Equal(rows, Values(File.ReadAllText(page), "instruction-length").Sum()); // every row, though no JSONL was written
        Assert.Contains("<span class=\"kw\">public</span>", File.ReadAllText(page), StringComparison.Ordinal); // samples shown

        // The report command reads the Parquet shards of such a folder the same way.
        File.Delete(page);
        Assert.Equal(0, (await CliRunner.RunAsync(["report", "--out", Out])).ExitCode);
        Assert.Equal(rows, Values(File.ReadAllText(page), "instruction-length").Sum());
    }

    /// <summary>
    /// Lays the page out in headless Chromium at <paramref name="width"/> px with a script added (to a copy without the
    /// page's Content Security Policy) that measures every column chart: whether neighbouring axis labels overlap, using
    /// the glyph boxes the browser computed (each in its own slanted frame), the size the labels are drawn at, and whether
    /// the chart fits its place.
    /// </summary>
    private async Task<List<(string Chart, int Overlaps, double Pixels, bool Fits)>> MeasureAxesAsync(string page, int width)
    {
        const string Script = """
            <script>
            const out = [];
            for (const svg of document.querySelectorAll('svg[id$="-length"], svg.columns')) {
              const labels = [...svg.querySelectorAll('text.label')];
              if (labels.length < 2) continue;
              let overlaps = 0;
              for (let i = 1; i < labels.length; i++) {
                const a = labels[i - 1], b = labels[i], ba = a.getBBox(), bb = b.getBBox();
                const angle = a.transform.baseVal.numberOfItems ? a.transform.baseVal.getItem(0).angle : 0;
                const r = -angle * Math.PI / 180, dx = +b.getAttribute('x') - +a.getAttribute('x');
                const x = bb.x - dx + dx * Math.cos(r), y = bb.y + dx * Math.sin(r);
                if (ba.x < x + bb.width - 0.5 && x < ba.x + ba.width - 0.5 && ba.y < y + bb.height - 0.5 && y < ba.y + ba.height - 0.5) overlaps++;
              }
              const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
              const px = parseFloat(getComputedStyle(labels[0]).fontSize) * scale;
              const fits = svg.getBoundingClientRect().width <= svg.parentElement.getBoundingClientRect().width + 1;
              out.push(svg.id + ':' + overlaps + ':' + px.toFixed(2) + ':' + fits);
            }
            document.body.setAttribute('data-axes', out.join(' '));
            </script>
            """;
        var html = Regex.Replace(await File.ReadAllTextAsync(page), "<meta http-equiv=\"Content-Security-Policy\"[^>]*>", "");
        var copy = _dir.Combine($"measure-{width}.html");
        await File.WriteAllTextAsync(copy, html.Replace("</body>", Script + "</body>", StringComparison.Ordinal));
        var dom = await ChromiumAsync(
        [
            "--headless", "--no-sandbox", "--disable-gpu", $"--user-data-dir={_dir.Combine("chromium-" + Guid.NewGuid().ToString("N"))}",
            "--proxy-server=http://127.0.0.1:9", "--disable-background-networking", "--no-first-run",
            $"--window-size={width},2400", "--dump-dom", new Uri(copy).AbsoluteUri,
        ]);
        var axes = Regex.Match(dom, "data-axes=\"([^\"]*)\"").Groups[1].Value;
        return [.. axes.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(e => e.Split(':')).Select(p => (p[0], int.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture), double.Parse(p[2], System.Globalization.CultureInfo.InvariantCulture), p.Length < 4 || p[3] == "true"))];
    }

    [Theory]
    [InlineData(1300)]
    [InlineData(390)]
    public async Task Report_ColumnChartAxes_NeitherOverlapNorShrinkBelowTenPixels_OnADesktopOrAPhone(int width)
    {
        // Methods from a few lines to some sixty: lengths in the thousands, so the buckets have four-digit bounds.
        _dir.Write("src/Sizes.cs", "public static class Sizes\n{\n" + string.Concat(Enumerable.Range(1, 30).Select(i =>
            $"    /// <summary>Adds the first {i * 2} multiples of the step to the start and returns the running total.</summary>\n" +
            $"    public static long Sum{i}(long start, long step)\n    {{\n        var total = start;\n" +
            string.Concat(Enumerable.Range(1, i * 2).Select(k => $"        total += step * {k}; // the {k}th multiple of the step\n")) +
            "        return total;\n    }\n\n")) + "}\n");
        var result = await CliRunner.RunAsync(["harvest", "--source", _dir.Combine("src"), "--out", Out, "--state", _dir.Combine("state.db")]);
        Assert.True(result.ExitCode == 0, result.Output + result.Errors);

        var charts = await MeasureAxesAsync(Path.Combine(Out, "report.html"), width);

        Assert.Contains(charts, c => c.Chart == "response-length");
        Assert.All(charts, c => Assert.True(c.Overlaps == 0, $"{c.Chart}: {c.Overlaps} axis labels run into their neighbour at {width} px"));
        Assert.All(charts, c => Assert.True(c.Pixels >= 10, $"{c.Chart}: axis labels drawn at {c.Pixels} px at {width} px"));
        if (width >= 1000)
        {
            Assert.All(charts, c => Assert.True(c.Fits, $"{c.Chart} is wider than its place on a {width} px screen (it would scroll)"));
        }
    }

    [Fact]
    public async Task ReportCommand_WritesThePage_AndRefusesAFolderThatIsNotAnOutput()
    {
        _dir.Write("src/A.cs", "public static class A\n{\n    /// <summary>One.</summary>\n    public static int One() => 1;\n}\n");
        Assert.Equal(0, (await CliRunner.RunAsync(["harvest", "--source", _dir.Combine("src"), "--out", Out, "--state", _dir.Combine("s.db")])).ExitCode);
        File.Delete(Path.Combine(Out, "report.html"));

        var result = await CliRunner.RunAsync(["report", "--out", Out, "--open"]);
        Directory.CreateDirectory(_dir.Combine("other"));
        var refused = await CliRunner.RunAsync(["report", "--out", _dir.Combine("other")]);

        Assert.Equal(0, result.ExitCode);
        Assert.True(File.Exists(Path.Combine(Out, "report.html")));
        Assert.Contains("no browser to open it with here", result.Output, StringComparison.Ordinal);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("is not an AutoRefiner output folder", refused.Errors, StringComparison.Ordinal);
    }
}
