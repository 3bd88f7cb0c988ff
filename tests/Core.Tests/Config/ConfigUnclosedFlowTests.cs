using AutoRefiner.Config;
using AutoRefiner.Core.Config;

namespace AutoRefiner.Core.Tests.Config;

/// <summary>
/// A <c>[</c> or <c>{</c> that is never closed: YamlDotNet reports it at the end of the file or with no position at all,
/// and never with a key; the error names the line that opened it and its dotted key.
/// </summary>
public sealed class ConfigUnclosedFlowTests
{
    private static string Message(string yaml)
    {
        var e = Assert.Throws<AutoRefinerException>(() => ConfigLoader.Parse(yaml, "harvest.yml", "/base"));
        Assert.Equal(FailureKind.Usage, e.Kind);
        return e.Message;
    }

    [Fact]
    public void Parse_AListOpenedAndMoreKeysAfterIt_NamesTheLineThatOpenedIt()
    {
        // The parser reads the keys below as part of the list and fails without a position.
        var yaml = "lang: csharp\nsources:\n  github:\n    repos: [a/b, c/d\n    max-repos: 3\nextraction:\n  max-seed-lines: 40\n";

        Assert.Equal("harvest.yml:4: sources.github.repos: not valid YAML: the '[' on this line is never closed (add the ']')", Message(yaml));
    }

    [Fact]
    public void Parse_AListOpenedOnTheLastLine_NamesThatLineNotTheEndOfTheFile()
    {
        // YamlDotNet says "line 5, column 1" here: the end of the file.
        var yaml = "lang: csharp\nsources:\n  github:\n    repos: [a/b, c/d\n";

        Assert.StartsWith("harvest.yml:4: sources.github.repos: not valid YAML: the '['", Message(yaml), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_AMappingNeverClosed_NamesItsBrace()
    {
        var yaml = "lang: csharp\nvalidation:\n  tests: true\ncuration:\n  max-per-file: 2\n  benchmarks: {a: 1\n";

        Assert.Equal("harvest.yml:6: curation.benchmarks: not valid YAML: the '{' on this line is never closed (add the '}')", Message(yaml));
    }

    [Fact]
    public void Parse_ASequenceItemNeverClosed_IsNamedByItsIndex()
    {
        var yaml = "sources:\n  github:\n    repos:\n      - a/b\n      # a comment\n      - c/d\n      - [e/f\n";

        Assert.StartsWith("harvest.yml:7: sources.github.repos[2]: not valid YAML: the '['", Message(yaml), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BracketsInQuotesCommentsPlainAndBlockScalars_AreNotTheOneBlamed()
    {
        var yaml = string.Join('\n',
            "sources:",
            "  github:",
            "    query: \"stars:>10 [x\"   # [ in a comment",
            "    licenses: ['mit', 'it''s [x']",
            "llm:",
            "  model: gpt[4",
            "generation:",
            "  note: |",
            "    a block scalar [ that is text",
            "    {",
            "  tasks: [instruct",
            "");

        Assert.StartsWith("harvest.yml:11: generation.tasks: not valid YAML: the '['", Message(yaml), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NestedCollectionsNeverClosed_NameTheOutermost()
    {
        var yaml = "export:\n  out: out\ncuration:\n  benchmarks: [{a: 1}, [b, {c: 2}\n";

        Assert.StartsWith("harvest.yml:4: curation.benchmarks: not valid YAML: the '['", Message(yaml), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_AFlowCollectionOverSeveralLinesThatCloses_IsValid()
    {
        var config = ConfigLoader.Parse("sources:\n  github:\n    repos: [\n      a/b,\n      c/d]\n", "harvest.yml", "/base");

        Assert.Equal(["a/b", "c/d"], config.Sources.GitHub.Repos);
    }

    [Fact]
    public void Parse_OtherBrokenYamlWithEveryBracketClosed_KeepsTheParsersPosition()
    {
        var message = Message("sources:\n  local: [src]\n  github: {query: x}}\n");

        Assert.StartsWith("harvest.yml: line 3, column ", message, StringComparison.Ordinal);
        Assert.Contains("not valid YAML", message, StringComparison.Ordinal);
    }
}
