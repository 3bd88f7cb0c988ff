namespace AutoRefiner.Cli.Tests;

/// <summary>The run summary reads as English: no empty parentheses, nouns that agree with their counts.</summary>
public sealed class SummaryWordsTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Harvest_NothingFound_SaysSoWithoutEmptyParentheses()
    {
        _dir.Write("empty/readme.txt", "no C# here");
        var config = _dir.Write("harvest.yml", "state: state.db\n");

        var result = await CliRunner.RunAsync(["harvest", "--config", config, "--source", _dir.Combine("empty"), "--out", _dir.Combine("out")]);

        Assert.True(result.ExitCode == 0, result.Output + result.Errors);
        Assert.Contains("candidates: 0\n", result.Output.Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("()", result.Output, StringComparison.Ordinal);
        Assert.Contains("files: 0 C# files read", result.Output, StringComparison.Ordinal);
        Assert.Contains("seeds: 0 documented methods", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Harvest_OneMethod_CountsItInTheSingular()
    {
        _dir.Write("src/One.cs", """
            public static class One
            {
                /// <summary>Adds one.</summary>
                public static int Next(int x) => x + 1;
            }
            """);
        var config = _dir.Write("harvest.yml", "state: state.db\nexport:\n  test-split: 0\n");

        var result = await CliRunner.RunAsync(["harvest", "--config", config, "--source", _dir.Combine("src"), "--out", _dir.Combine("out")]);

        Assert.True(result.ExitCode == 0, result.Output + result.Errors);
        Assert.Contains("files: 1 C# file read", result.Output, StringComparison.Ordinal);
        Assert.Contains("seeds: 1 documented method,", result.Output, StringComparison.Ordinal);
        Assert.Contains("wrote 1 row (train 1)", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("1 rows", result.Output, StringComparison.Ordinal);
    }
}
