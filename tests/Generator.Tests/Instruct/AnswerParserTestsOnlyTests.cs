using AutoRefiner.Generator.Instruct;

namespace AutoRefiner.Generator.Tests.Instruct;

public sealed class AnswerParserTestsOnlyTests
{
    [Fact]
    public void ParseTests_ATestsSection_IsItsCode()
    {
        var (tests, error) = AnswerParser.ParseTests("Sure.\n\n[Tests]\n```csharp\npublic class T { [Fact] public void F() { } }\n```\n");

        Assert.Null(error);
        Assert.Equal("public class T { [Fact] public void F() { } }", tests!.Trim());
    }

    [Fact]
    public void ParseTests_NoHeader_TakesTheCodeBlock()
    {
        var (tests, _) = AnswerParser.ParseTests("```cs\npublic class T { [Fact] public void F() { } }\n```");

        Assert.Contains("[Fact]", tests, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseTests_NoCode_IsAReason()
    {
        var (tests, error) = AnswerParser.ParseTests("I cannot think of more tests.");

        Assert.Null(tests);
        Assert.NotNull(error);
    }
}
