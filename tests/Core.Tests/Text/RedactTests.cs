using AutoRefiner.Core.Text;

namespace AutoRefiner.Core.Tests.Text;

public sealed class RedactTests
{
    [Theory]
    [InlineData("https://api.example.com/v1?key=sk-live-123", "https://api.example.com/v1?key=***")]
    [InlineData("https://x.openai.azure.com/openai?api-version=2024-06-01&api-key=abc123", "https://x.openai.azure.com/openai?api-version=***&api-key=***")]
    [InlineData("at https://blob.example.net/c/f?sv=2024&sig=a%2Bb%3D&se=2026 now", "at https://blob.example.net/c/f?sv=***&sig=***&se=*** now")]
    [InlineData("(model at https://u:p@h.example/v1/?token=t0k)", "(model at https://h.example/v1/?token=***)")]
    [InlineData("http://h/a?k=v#frag", "http://h/a?k=***#frag")]
    [InlineData("no url ?key=value here", "no url ?key=value here")]
    public void Credentials_HidesUserInfoAndEveryQueryValue_KeepingTheNames(string text, string expected)
    {
        Assert.Equal(expected, Redact.Credentials(text));
        Assert.Equal(expected, Redact.Credentials(expected));
    }
}
