using System.ComponentModel;
using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace AutoRefiner.Exporter.Tests.Support;

/// <summary>
/// Reads Parquet with DuckDB (npm <c>@duckdb/node-api</c>, in <c>tests/Exporter.Tests/duckdb</c>), an implementation
/// independent of Parquet.Net. Fails, never skips, when node or the package is missing.
/// </summary>
internal static partial class DuckDb
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>The folder of <c>read-parquet.mjs</c> and its <c>node_modules</c> (the project's own folder, set at build time).</summary>
    public static string ReaderDirectory { get; } = typeof(DuckDb).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "DuckDbReaderDirectory").Value!;

    /// <summary>Runs <c>node read-parquet.mjs</c> on paths or globs; returns its JSON (<c>duckdb</c>, <c>schema</c>, <c>rows</c>).</summary>
    public static async Task<JsonElement> ReadAsync(params string[] pathsOrGlobs)
    {
        var script = Path.Combine(ReaderDirectory, "read-parquet.mjs");
        Assert.True(File.Exists(script), $"missing {script}");
        Assert.True(
            File.Exists(Path.Combine(ReaderDirectory, "node_modules", "@duckdb", "node-api", "package.json")),
            $"@duckdb/node-api is not installed in {ReaderDirectory}: the build runs `npm ci --no-audit --no-fund` there; run it by hand and look at its output (needs node and npm).");

        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = ReaderDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(script);
        foreach (var path in pathsOrGlobs)
        {
            // DuckDB globs take forward slashes everywhere.
            start.ArgumentList.Add(path.Replace('\\', '/'));
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        }
        catch (Win32Exception e)
        {
            Assert.Fail($"cannot run `node` (install Node.js 20+ and put it on PATH): {e.Message}");
            throw;
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(Timeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"node read-parquet.mjs did not finish within {Timeout.TotalSeconds} s; stderr: {await stderr}");
            }

            var output = await stdout;
            var errors = await stderr;
            Assert.True(process.ExitCode == 0, $"node read-parquet.mjs exited with {process.ExitCode}: {errors}");
            return Files.Parse(output);
        }
    }

    /// <summary><c>STRUCT("role" VARCHAR)[]</c> → <c>STRUCT(role VARCHAR)[]</c>: DuckDB quotes identifiers in type names since 1.4/1.5.</summary>
    public static string UnquoteIdentifiers(string type) => QuotedIdentifier().Replace(type, "$1");

    [GeneratedRegex("\"([A-Za-z_][A-Za-z0-9_]*)\"")]
    private static partial Regex QuotedIdentifier();

    /// <summary>Column name → DuckDB type, in file order.</summary>
    public static List<(string Name, string Type)> Schema(JsonElement result) =>
        [.. result.GetProperty("schema").EnumerateArray().Select(c => (c.GetProperty("name").GetString()!, c.GetProperty("type").GetString()!))];
}
