using AutoRefiner.Generator.Instruct;
using AutoRefiner.Generator.Prompts;

namespace AutoRefiner.Generator.Tests.Prompts;

public sealed class PromptTemplateTests
{
    [Fact]
    public void Load_TheInstructPrompt_HasAVersionASystemAndAUserTurn()
    {
        var template = PromptTemplate.Load(InstructGenerator.PromptFile);

        Assert.Equal("instruct/1", template.Version);
        Assert.Equal(["code", "path", "repo"], template.Placeholders.Order(StringComparer.Ordinal));
        var turns = template.Render(new Dictionary<string, string> { ["code"] = "class C {}", ["path"] = "a/b.cs", ["repo"] = "o/r" });
        Assert.Equal(["system", "user"], turns.Select(t => t.Role));
        Assert.Contains("class C {}", turns[1].Content, StringComparison.Ordinal);
        Assert.Contains("[Instruction]", turns[1].Content, StringComparison.Ordinal);
        Assert.Contains("[Tests]", turns[1].Content, StringComparison.Ordinal);
        Assert.Contains("new", turns[1].Content, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ValuesContainingPlaceholders_AreNotExpandedAgain()
    {
        var template = PromptTemplate.Parse("---\nversion: t/1\n---\n## user\n{{code}} from {{repo}}\n", "t");

        var turns = template.Render(new Dictionary<string, string> { ["code"] = "var s = \"{{repo}}\";", ["repo"] = "o/r" });

        Assert.Equal("var s = \"{{repo}}\"; from o/r", turns[0].Content);
    }

    [Fact]
    public void Render_AMissingValue_Throws()
    {
        var template = PromptTemplate.Parse("---\nversion: t/1\n---\n## user\n{{code}}\n", "t");

        Assert.Throws<ArgumentException>(() => template.Render(new Dictionary<string, string>()));
    }

    [Theory]
    [InlineData("## user\nhi\n")]
    [InlineData("---\n---\n## user\nhi\n")]
    [InlineData("---\nversion: t/1\n---\n## system\nhi\n")]
    [InlineData("---\nversion: t/1\n---\nstray text\n## user\nhi\n")]
    public void Parse_BrokenTemplates_AreRejected(string text)
    {
        Assert.Throws<FormatException>(() => PromptTemplate.Parse(text, "t"));
    }
}
