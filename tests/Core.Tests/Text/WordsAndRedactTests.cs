using AutoRefiner.Core.Text;

namespace AutoRefiner.Core.Tests.Text;

public sealed class WordsAndRedactTests
{
    [Theory]
    [InlineData(0, "0 rows")]
    [InlineData(1, "1 row")]
    [InlineData(2, "2 rows")]
    [InlineData(-1, "-1 rows")]
    public void Count_ANumberAndANoun_AgreeInNumber(long n, string expected) => Assert.Equal(expected, Words.Count(n, "row"));

    [Fact]
    public void Count_AnIrregularPlural_IsUsedForMany()
    {
        Assert.Equal("1 retry", Words.Count(1, "retry", "retries"));
        Assert.Equal("3 retries", Words.Count(3, "retry", "retries"));
        Assert.Equal("12,345 bytes", Words.Count(12_345, "byte", format: "N0"));
    }

    [Fact]
    public void Secret_AOneCharacterKey_DoesNotScrubOrdinaryWords()
    {
        const string Message = "the LLM endpoint sent an answer that is not a chat completion (Expected a value)";

        Assert.Equal(Message, Redact.Secret(Message, "E"));
        Assert.Equal(Message, Redact.Secret(Message, "a"));
        Assert.Equal(Message, Redact.Secret(Message, "1234567"));
    }

    [Fact]
    public void Secret_AKeyLongEnoughToBeOne_IsScrubbedEverywhere()
    {
        Assert.Equal("Bearer *** and again ***", Redact.Secret("Bearer sk-12345678 and again sk-12345678", "sk-12345678"));
        Assert.Equal("unchanged", Redact.Secret("unchanged", null));
    }
}
