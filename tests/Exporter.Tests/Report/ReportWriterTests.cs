using System.Text.Json;
using AutoRefiner.Exporter.Report;

namespace AutoRefiner.Exporter.Tests.Report;

public sealed class ReportWriterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("autorefiner-report-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Write_HostileRowContent_IsEscaped_AndOnlyWebLinksAreLinks()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "jsonl"));
        var row = new Dictionary<string, object>
        {
            ["task"] = "instruct",
            ["instruction"] = "<script>alert('x')</script> and <img src=x onerror=alert(1)>",
            ["response"] = "```csharp\npublic class C { string s = \"</code></pre><script>bad()</script>\"; }\n```",
            ["source_repo"] = "<b>repo</b>",
            ["source_path"] = "a.cs",
            ["source_url"] = "javascript:alert(document.cookie)",
        };
        await File.WriteAllTextAsync(Path.Combine(_dir, "jsonl", "train.jsonl"), JsonSerializer.Serialize(row) + "\n");
        await File.WriteAllTextAsync(Path.Combine(_dir, "manifest.json"), "{\"tool\":\"autorefiner\",\"counts\":{\"rows\":{\"train\":1}},\"run\":{\"kind\":\"harvest\"}}");

        var page = await File.ReadAllTextAsync(await ReportWriter.WriteAsync(_dir, CancellationToken.None));

        Assert.DoesNotContain("<script>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<img src=x", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>repo</b>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"javascript:", page, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", page, StringComparison.Ordinal);
    }
}

public sealed class ReportOfAHandEditedManifestTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("autorefiner-report-nulls-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Write_AManifestWithNullParts_StillRenders()
    {
        await File.WriteAllTextAsync(Path.Combine(_dir, "manifest.json"), "{\"tool\":\"autorefiner\",\"counts\":null,\"sources\":null,\"run\":null,\"timings_seconds\":null,\"token_usage\":null}");

        var page = await File.ReadAllTextAsync(await ReportWriter.WriteAsync(_dir, CancellationToken.None));

        Assert.Contains("No rows were exported", page, StringComparison.Ordinal);
    }
}
