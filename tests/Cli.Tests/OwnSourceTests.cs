namespace AutoRefiner.Cli.Tests;

/// <summary>The quick start's job: the repository's own source in, a sound dataset out.</summary>
public sealed class OwnSourceTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AutoRefiner.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("the repository root (AutoRefiner.sln) was not found above the test binaries");
    }

    [Fact]
    public async Task Harvest_TheRepositorysOwnSource_GivesRowsThatAllCompile()
    {
        var root = RepositoryRoot();

        var result = await CliRunner.RunAsync(["harvest", "--lang", "csharp", "--config", Path.Combine(root, "harvest.yml"), "--out", _dir.Path]);

        Assert.Equal(0, result.ExitCode);
        var rows = await CliRunner.AssertDatasetIsSoundAsync(_dir.Path);
        Assert.True(rows >= 10, $"only {rows} rows from the repository's own source");
    }
}
