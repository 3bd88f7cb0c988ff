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

    [Fact]
    public void Parse_AnEarlierFlowErrorAndALaterUnclosedList_KeepsTheParsersFirstError()
    {
        // The parser stops at line 2; the list opened on line 4 is not what it complains about.
        var message = Message("export:\n  formats: {a: 1 b: 2}\ncuration:\n  benchmarks: [builtin\n");

        Assert.StartsWith("harvest.yml: line 2, column ", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("llm:\n  model: !!str |\n    [draft\nexport:\n  formats: [jsonl\n", 5, "export.formats")]
    [InlineData("llm:\n  model: &m >-\n    {draft\nexport:\n  formats: [jsonl\n", 5, "export.formats")]
    [InlineData("llm:\n  model: gpt\n    [draft\nexport:\n  formats: [jsonl\n", 5, "export.formats")]
    [InlineData("sources:\n  local: &l [src\n", 2, "sources.local")]
    [InlineData("sources:\n  github: {\"query\":\"x[y\", \"repos\": [\"a/b\"]\n", 2, "sources.github")]
    public void Parse_TagsAnchorsContinuationsAndJsonStyle_BlameTheRightLine(string yaml, int line, string key)
    {
        Assert.StartsWith($"harvest.yml:{line}: {key}: not valid YAML: the '", Message(yaml), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("curation:\n  benchmarks: [{a: 1}, {b: 2]\n", "harvest.yml:2: curation.benchmarks: not valid YAML: this ']' closes the '{' opened on line 2")]
    [InlineData("validation:\n  tests: true\nexport:\n  formats: [jsonl,\n    parquet}\n", "harvest.yml:5: export.formats: not valid YAML: this '}' closes the '[' opened on line 4")]
    public void Parse_ABracketClosedByTheWrongOne_NamesTheClosingLine(string yaml, string expected)
    {
        Assert.Equal(expected, Message(yaml));
    }

    [Theory]
    [InlineData("sources:\n  github:\n    repos:\n    - a/b\n    - [c/d\n", "harvest.yml:5: sources.github.repos[1]:")]
    [InlineData("sources:\n  github:\n    repos:\n      [a/b, c/d\n", "harvest.yml:4: sources.github.repos:")]
    [InlineData("sources:\n  \"github\":\n    repos: [a/b\n", "harvest.yml:3: sources.github.repos:")]
    public void Parse_IndentlessItemsBracketLinesAndQuotedKeys_GetTheirDottedKey(string yaml, string expected)
    {
        Assert.StartsWith(expected, Message(yaml), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_AClosedListWhoseNextLineIsUnderIndented_DoesNotClaimABracketIsOpen()
    {
        // YamlDotNet fails here without a position; every bracket is closed, so the message must not say one is not.
        var message = Message("sources:\n  github:\n    repos: [a/b,\n  c/d]\n");

        Assert.DoesNotContain("never closed", message, StringComparison.Ordinal);
        Assert.StartsWith("harvest.yml: ", message, StringComparison.Ordinal);
        Assert.Contains("not valid YAML", message, StringComparison.Ordinal);
    }
}
