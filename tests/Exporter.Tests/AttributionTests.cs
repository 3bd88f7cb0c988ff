namespace AutoRefiner.Exporter.Tests;

/// <summary>ATTRIBUTION.md: text from outside (repository names, origins, notices) is shown, never run or linked.</summary>
public sealed class AttributionTests
{
    private static string Write(params DatasetRow[] rows)
    {
        var tally = new SourceTally();
        foreach (var row in rows)
        {
            tally.Add(row);
        }

        return Attribution.Write(tally);
    }

    [Fact]
    public void Write_HtmlAndMarkdownInANameOrNotice_AreEscaped()
    {
        var text = Write(new DatasetRow
        {
            SourceRepo = "evil<script>alert(1)</script>|[x](javascript:alert(2))", SourceLicense = "MIT",
            SourceNotice = "Copyright (c) 2020 <img src=x onerror=alert(3)>",
        });

        Assert.DoesNotContain("<script>", text, StringComparison.Ordinal);
        Assert.DoesNotContain("](javascript:", text, StringComparison.Ordinal);
        Assert.Contains("evil&lt;script&gt;alert\\(1\\)&lt;/script&gt;\\|\\[x\\]\\(javascript:alert\\(2\\)\\)", text, StringComparison.Ordinal);

        // A notice is reproduced verbatim in an indented block, which markdown shows as text.
        Assert.Contains("\n    Copyright (c) 2020 <img src=x onerror=alert(3)>\n", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://file////etc/passwd/blob/abc/A.cs#L1-L2", "")]
    [InlineData("file:///etc/passwd/blob/abc/A.cs", "")]
    [InlineData("javascript:alert(1)//blob/abc/A.cs", "")]
    [InlineData("https://github.com/o/r\"><script>/blob/abc/A.cs", "")]
    [InlineData("https://github.com/o/r/blob/abc/src/A.cs#L1-L2", "https://github.com/o/r/tree/abc")]
    [InlineData("https://gitlab.com/o/r/-/blob/abc/src/A.cs#L1-2", "https://gitlab.com/o/r/-/tree/abc")]
    [InlineData("https://bitbucket.org/o/r/src/abc/src/A.cs#lines-1:2", "https://bitbucket.org/o/r/src/abc")]
    public void RepositoryUrl_OnlyAPlainWebAddress_IsAnUpstream(string fileUrl, string upstream)
    {
        Assert.Equal(upstream, Attribution.RepositoryUrl(fileUrl));
    }

    [Fact]
    public void Write_ProjectsOfOneRepositoryAndTheirRows_AreCountedFromTheRowsThemselves()
    {
        var text = Write(
            new DatasetRow { SourceRepo = "alice/tools", SourceCommit = "aaaa", SourceLicense = "MIT", SourceUrl = "https://github.com/alice/tools/blob/aaaa/M.cs#L1-L2" },
            new DatasetRow { SourceRepo = "bob/utils", SourceCommit = "bbbb", SourceLicense = "Apache-2.0", SourceUrl = "https://github.com/bob/utils/blob/bbbb/M.cs#L1-L2" },
            new DatasetRow { SourceRepo = "bob/utils", SourceCommit = "bbbb", SourceLicense = "MIT", SourceUrl = "https://github.com/bob/utils/blob/bbbb/N.cs#L1-L2", SourceProjectVersion = "2.1" });

        Assert.Contains("| alice/tools |  | `aaaa` | MIT | <https://github.com/alice/tools/tree/aaaa> | 1 |\n", text, StringComparison.Ordinal);
        Assert.Contains("| bob/utils | 2.1 | `bbbb` | Apache-2.0 \\(1\\), MIT \\(1\\) | <https://github.com/bob/utils/tree/bbbb> | 2 |\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_AnIdSpelledInLowerCaseByAnEarlierRun_IsTheSameLicence()
    {
        var text = Write(
            new DatasetRow { SourceRepo = "alice/tools", SourceCommit = "aaaa", SourceLicense = "mit" },
            new DatasetRow { SourceRepo = "alice/tools", SourceCommit = "aaaa", SourceLicense = "MIT" });

        Assert.Contains("| alice/tools |  | `aaaa` | MIT |  | 2 |\n", text, StringComparison.Ordinal);
    }
}
