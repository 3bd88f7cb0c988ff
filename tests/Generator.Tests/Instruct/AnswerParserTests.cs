using AutoRefiner.Generator.Instruct;

namespace AutoRefiner.Generator.Tests.Instruct;

public sealed class AnswerParserTests
{
    private const string Solution = "public static class Calc\n{\n    public static int Twice(int x) => 2 * x;\n}\n";
    private const string Tests = "public class CalcTests\n{\n    [Fact]\n    public void Doubles() => Assert.Equal(4, Calc.Twice(2));\n}\n";

    private static string Canonical(string instructionHeader = "[Instruction]", string responseHeader = "[Response]", string testsHeader = "[Tests]", string fence = "csharp") => $"""
        {instructionHeader}
        Write `Calc.Twice`, which doubles a number.

        {responseHeader}
        Multiply by two.

        ```{fence}
        {Solution.TrimEnd()}
        ```

        {testsHeader}
        ```{fence}
        {Tests.TrimEnd()}
        ```
        """;

    [Fact]
    public void Parse_TheContractFormat_GivesTheThreeSections()
    {
        var (answer, error) = AnswerParser.Parse(Canonical());

        Assert.Null(error);
        Assert.Equal("Write `Calc.Twice`, which doubles a number.", answer!.Instruction);
        Assert.Equal("Multiply by two.", answer.Explanation);
        Assert.Equal(Solution, answer.Solution);
        Assert.Equal(Tests, answer.Tests);
        Assert.Equal($"Multiply by two.\n\n```csharp\n{Solution}```", answer.Response);
    }

    [Theory]
    [InlineData("## Instruction", "## Response", "## Tests")]
    [InlineData("**Instruction**", "**Response**", "**Tests**")]
    [InlineData("**Instruction:**", "**Response:**", "**Tests:**")]
    [InlineData("[instruction]", "[RESPONSE]", "[tests]")]
    [InlineData("Instruction:", "Response:", "Tests:")]
    [InlineData("### [Instruction]", "### [Response]", "### [Tests]")]
    [InlineData("# Problem", "# Solution", "# Unit tests")]
    public void Parse_HeaderVariants_AreAccepted(string instruction, string response, string tests)
    {
        var (answer, error) = AnswerParser.Parse(Canonical(instruction, response, tests));

        Assert.Null(error);
        Assert.Equal(Solution, answer!.Solution);
        Assert.Equal(Tests, answer.Tests);
    }

    [Theory]
    [InlineData("cs")]
    [InlineData("c#")]
    [InlineData("C#")]
    [InlineData("")]
    public void Parse_FenceTags_AreAccepted(string tag)
    {
        var (answer, error) = AnswerParser.Parse(Canonical(fence: tag));

        Assert.Null(error);
        Assert.Equal(Solution, answer!.Solution);
    }

    [Fact]
    public void Parse_ProseAroundAndAThinkBlock_AreIgnored()
    {
        var text = "<think>\nLet me think about [Tests] first.\n</think>\nSure! Here is the exercise.\n\n" + Canonical() + "\n\nI hope this helps.";

        var (answer, error) = AnswerParser.Parse(text);

        Assert.Null(error);
        Assert.Equal(Solution, answer!.Solution);
        Assert.Equal(Tests, answer.Tests);
    }

    [Fact]
    public void Parse_InlineInstructionAfterADecoratedHeader_IsKept()
    {
        var text = Canonical().Replace("[Instruction]\nWrite", "**Instruction:** Write", StringComparison.Ordinal);

        var (answer, error) = AnswerParser.Parse(text);

        Assert.Null(error);
        Assert.StartsWith("Write `Calc.Twice`", answer!.Instruction, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_HeaderWordsInsideCode_DoNotSplitSections()
    {
        var tests = "public class T\n{\n    // [Response]\n    [Fact]\n    public void A() => Assert.True(true);\n}\n";
        var text = Canonical().Replace(Tests.TrimEnd(), tests.TrimEnd(), StringComparison.Ordinal).Replace("    public static int Twice", "    // Tests:\n    public static int Twice", StringComparison.Ordinal);

        var (answer, error) = AnswerParser.Parse(text);

        Assert.Null(error);
        Assert.Contains("// Tests:", answer!.Solution, StringComparison.Ordinal);
        Assert.Equal(tests, answer.Tests);
    }

    [Fact]
    public void Parse_CodeOutsideFences_IsRecoveredWhenItParsesAsDeclarations()
    {
        var text = $"[Instruction]\nWrite Calc.\n\n[Response]\nHere it is:\n\n{Solution}\n[Tests]\n{Tests}";

        var (answer, error) = AnswerParser.Parse(text);

        Assert.Null(error);
        Assert.Equal("Here it is:", answer!.Explanation);
        Assert.Equal(Solution, answer.Solution);
        Assert.Equal(Tests, answer.Tests);
    }

    [Fact]
    public void Parse_UnfencedTextThatIsNotCode_IsUnparseable()
    {
        var text = "[Instruction]\nWrite Calc.\n\n[Response]\nUse a class that doubles numbers, it is easy.\n\n[Tests]\n" + "```csharp\n" + Tests + "```";

        var (answer, error) = AnswerParser.Parse(text);

        Assert.Null(answer);
        Assert.Contains("[Response] section has no ```csharp code block", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NoSections_IsUnparseableWithTheBeginningQuoted()
    {
        var (answer, error) = AnswerParser.Parse("Sure, here's a fun problem about doubling numbers.\n```csharp\n" + Solution + "```");

        Assert.Null(answer);
        Assert.Contains("none of the [Instruction], [Response] and [Tests] sections", error, StringComparison.Ordinal);
        Assert.Contains("Sure, here's a fun problem", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MissingTests_IsUnparseable()
    {
        var text = Canonical();
        var (answer, error) = AnswerParser.Parse(text[..text.IndexOf("[Tests]", StringComparison.Ordinal)]);

        Assert.Null(answer);
        Assert.Equal("the answer has no [Tests] section", error);
    }

    [Fact]
    public void Parse_CutOffInsideTheCode_SaysTheBlockIsNotClosed()
    {
        var text = Canonical();
        var (answer, error) = AnswerParser.Parse(text[..text.LastIndexOf("```", StringComparison.Ordinal)]);

        Assert.Null(answer);
        Assert.Contains("[Tests] section's code block is never closed", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_CodeOnlyInAnotherLanguage_IsUnparseable()
    {
        var (answer, error) = AnswerParser.Parse(Canonical().Replace("```csharp\npublic static class", "```python\npublic static class", StringComparison.Ordinal));

        Assert.Null(answer);
        Assert.Contains("tagged 'python'", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n  ")]
    [InlineData("<think>I am still thinking")]
    public void Parse_EmptyOrUnfinished_IsUnparseable(string text)
    {
        var (answer, error) = AnswerParser.Parse(text);

        Assert.Null(answer);
        Assert.NotNull(error);
    }

    [Fact]
    public void Parse_EmptyInstruction_IsUnparseable()
    {
        var (answer, error) = AnswerParser.Parse(Canonical().Replace("Write `Calc.Twice`, which doubles a number.", "", StringComparison.Ordinal));

        Assert.Null(answer);
        Assert.Equal("the [Instruction] section is empty", error);
    }

    [Fact]
    public void Parse_WindowsLineEndings_AreRead()
    {
        var (answer, error) = AnswerParser.Parse(Canonical().ReplaceLineEndings("\r\n"));

        Assert.Null(error);
        Assert.Equal(Solution, answer!.Solution);
    }

    [Fact]
    public void Parse_AProseLineStartingWithAHeaderWord_IsNotAHeader()
    {
        var text = Canonical().Replace("Multiply by two.", "Multiply by two.\nTests: see below for how it is checked.", StringComparison.Ordinal);

        var (answer, error) = AnswerParser.Parse(text);

        Assert.Null(error);
        Assert.Contains("Tests: see below", answer!.Explanation, StringComparison.Ordinal);
    }
}
