using AutoRefiner.Core.Text;

namespace AutoRefiner.Core.Tests.Text;

public sealed class CodeBlocksTests
{
    [Theory]
    [InlineData("csharp")]
    [InlineData("cs")]
    [InlineData("C#")]
    [InlineData("CSharp")]
    [InlineData("")]
    public void FirstCSharp_AcceptedTags_ReturnTheBody(string tag)
    {
        Assert.Equal("class A { }\n", CodeBlocks.FirstCSharp($"Intro\n```{tag}\nclass A {{ }}\n```\nOutro"));
    }

    [Fact]
    public void FirstCSharp_SkipsOtherLanguages()
    {
        var markdown = "```python\nprint(1)\n```\n\n```csharp\nclass B { }\n```";

        Assert.Equal("class B { }\n", CodeBlocks.FirstCSharp(markdown));
    }

    [Fact]
    public void FirstCSharp_UnclosedFence_IsNotABlock()
    {
        Assert.Null(CodeBlocks.FirstCSharp("```csharp\nclass A { }\n"));
    }

    [Fact]
    public void FirstCSharp_TildeFencesAndLongerFences_Work()
    {
        Assert.Equal("x\n", CodeBlocks.FirstCSharp("~~~cs\nx\n~~~"));
        Assert.Equal("a ``` b\n", CodeBlocks.FirstCSharp("````csharp\na ``` b\n````"));
    }

    [Fact]
    public void FirstCSharp_CrLfLineEnds_AreHandled()
    {
        Assert.Equal("class A { }\n", CodeBlocks.FirstCSharp("```csharp\r\nclass A { }\r\n```\r\n"));
    }

    [Fact]
    public void Fence_CodeWithBacktickRuns_UsesALongerFenceThatRoundTrips()
    {
        var code = "var s = \"\"\"\n```\n\"\"\";";

        var fenced = CodeBlocks.Fence(code);

        Assert.StartsWith("````csharp\n", fenced);
        Assert.Equal(code + "\n", CodeBlocks.FirstCSharp(fenced));
    }
}
