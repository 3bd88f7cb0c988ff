using System.Text;
using AutoRefiner.Config;
using AutoRefiner.Core.Config;

namespace AutoRefiner.Core.Tests.Config;

public sealed class ConfigTabsAndSizeTests
{
    private static AutoRefinerException Fails(string yaml) =>
        Assert.Throws<AutoRefinerException>(() => ConfigLoader.Parse(yaml, "harvest.yml", "/base"));

    /// <summary>Nineteen good lines, then <paramref name="line20"/>.</summary>
    private static string WithLine20(string line20)
    {
        var text = new StringBuilder();
        text.Append("lang: csharp\nsources:\n  github:\n    max-repos: 5\n    licenses: [mit]\n  local: [src]\n");
        text.Append("llm:\n  model: m\n  concurrency: 2\n  temperature: 0.1\n  max-tokens: 512\n  max-retries: 2\n");
        text.Append("generation:\n  tasks: [instruct]\n  repair-rounds: 1\nvalidation:\n  tests: true\n  timeout-seconds: 10\n");
        text.Append("export:\n");
        text.Append(line20).Append('\n');
        Assert.Equal(20, text.ToString().Split('\n').Length - 1);
        return text.ToString();
    }

    [Fact]
    public void Parse_ATabIndentingAKey_NamesItsLineAndKey()
    {
        var e = Fails(WithLine20("\tout: out"));

        Assert.Equal(FailureKind.Usage, e.Kind);
        Assert.StartsWith("harvest.yml:20: export.out: ", e.Message, StringComparison.Ordinal);
        Assert.Contains("a tab", e.Message, StringComparison.Ordinal);
        Assert.Contains("indent with spaces", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ATabDeeperDown_NamesTheWholeDottedKey()
    {
        var e = Fails("lang: csharp\nsources:\n  github:\n    max-repos: 5\n\tlicenses: [mit]\n");

        Assert.StartsWith("harvest.yml:5: sources.github.licenses: is indented with a tab", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ATabInsideAValue_IsNotAnIndentationError()
    {
        var config = ConfigLoader.Parse("export:\n  out: \"a\tb\"\n", "harvest.yml", "/base");

        Assert.Equal("a\tb", config.Export.Out);
    }

    [Fact]
    public void Parse_OneHundredThousandRepositories_AreAllKeptInOrder()
    {
        var text = new StringBuilder("sources:\n  github:\n    repos:\n");
        for (var i = 0; i < 100_000; i++)
        {
            text.Append("      - owner").Append(i).Append("/repo\n");
        }

        var config = ConfigLoader.Parse(text.ToString(), "harvest.yml", "/base");

        Assert.Equal(100_000, config.Sources.GitHub.Repos.Count);
        Assert.Equal("owner99999/repo", config.Sources.GitHub.Repos[^1]);
    }

    [Fact]
    public void Parse_ARepositoryListedTwiceFarApart_NamesTheSecondLine()
    {
        var text = new StringBuilder("sources:\n  github:\n    repos:\n");
        for (var i = 0; i < 1000; i++)
        {
            text.Append("      - owner").Append(i).Append("/repo\n");
        }

        text.Append("      - owner0/repo\n");

        var e = Fails(text.ToString());

        Assert.Equal("harvest.yml:1004: sources.github.repos[1000]: 'owner0/repo' is listed twice", e.Message);
    }
}
