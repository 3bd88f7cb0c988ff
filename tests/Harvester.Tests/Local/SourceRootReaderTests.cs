using AutoRefiner.Core;
using AutoRefiner.Harvester.Local;

namespace AutoRefiner.Harvester.Tests.Local;

public sealed class SourceRootReaderTests : IDisposable
{
    private const string Sha = "0123456789abcdef0123456789abcdef01234567";
    private readonly TempTree _tree = new();

    public void Dispose() => _tree.Dispose();

    [Fact]
    public void Read_MissingPath_IsAUsageErrorNamingIt()
    {
        var e = Assert.Throws<AutoRefinerException>(() => SourceRootReader.Read("/no/such/dir"));

        Assert.Equal(FailureKind.Usage, e.Kind);
        Assert.StartsWith("source '/no/such/dir' does not exist", e.Message);
    }

    [Fact]
    public void Read_AFile_IsAUsageError()
    {
        var file = _tree.Write("A.cs", "class A { }");

        var e = Assert.Throws<AutoRefinerException>(() => SourceRootReader.Read(file));

        Assert.Contains("is a file", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_PlainDirectory_UsesItsNameAndNoCommit()
    {
        var root = SourceRootReader.Read(_tree.Root);

        Assert.Equal(Path.GetFileName(_tree.Root), root.Repo);
        Assert.Equal("", root.Commit);
        Assert.Equal("", root.ProvenanceOf("a/B.cs").Url);
    }

    [Fact]
    public void Read_GitCheckout_TakesRepoCommitAndLicenceFromTheTop()
    {
        _tree.Write(".git/HEAD", "ref: refs/heads/main\n");
        _tree.Write(".git/refs/heads/main", Sha + "\n");
        _tree.Write(".git/config", "[core]\n\tbare = false\n[remote \"origin\"]\n\turl = https://user:secret@github.com/Owner/Repo.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n");
        _tree.Write("LICENSE", "MIT License\n\nPermission is hereby granted, free of charge, to any person obtaining a copy");
        _tree.Write("src/lib/A.cs", "class A { }");

        var root = SourceRootReader.Read(Path.Combine(_tree.Root, "src"));

        Assert.Equal(_tree.Root, root.RootPath);
        Assert.Equal("Owner/Repo", root.Repo);
        Assert.Equal(Sha, root.Commit);
        Assert.Equal("mit", root.License);
        Assert.Equal($"https://github.com/Owner/Repo/blob/{Sha}/src/lib/A.cs", root.ProvenanceOf("src/lib/A.cs").Url);
        Assert.DoesNotContain("secret", root.WebUrl, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_PackedRefs_AreFound()
    {
        _tree.Write(".git/HEAD", "ref: refs/heads/dev\n");
        _tree.Write(".git/packed-refs", $"# pack-refs with: peeled fully-peeled sorted\n{Sha} refs/heads/dev\n");

        Assert.Equal(Sha, SourceRootReader.Read(_tree.Root).Commit);
    }

    [Fact]
    public void Read_DetachedHead_IsTheCommit()
    {
        _tree.Write(".git/HEAD", Sha + "\n");

        Assert.Equal(Sha, SourceRootReader.Read(_tree.Root).Commit);
    }

    [Theory]
    [InlineData("git@github.com:owner/name.git", "owner/name", "https://github.com/owner/name")]
    [InlineData("https://github.com/owner/name", "owner/name", "https://github.com/owner/name")]
    [InlineData("ssh://git@ghe.example.com:2222/team/proj.git", "team/proj", "https://ghe.example.com/team/proj")]
    [InlineData("https://x-access-token:ghp_abc@github.com/o/r.git", "o/r", "https://github.com/o/r")]
    public void ParseRemote_CommonForms_GiveOwnerNameWithoutCredentials(string url, string repo, string web)
    {
        Assert.Equal((repo, web), SourceRootReader.ParseRemote(url));
    }

    [Theory]
    [InlineData("Apache License\nVersion 2.0, January 2004", "apache-2.0")]
    [InlineData("Redistribution and use in source and binary forms ... Neither the name of the copyright holder", "bsd-3-clause")]
    [InlineData("Redistribution and use in source and binary forms, with or without modification", "bsd-2-clause")]
    [InlineData("GNU GENERAL PUBLIC LICENSE\nVersion 3, 29 June 2007", "gpl-3.0")]
    [InlineData("All rights reserved. Do not copy.", "")]
    [InlineData("The Dapper library and tools are licenced under Apache 2.0: http://www.apache.org/licenses/LICENSE-2.0", "apache-2.0")]
    [InlineData("Apache License\nVersion 2.0\n...\nThird-party notices:\nPermission is hereby granted, free of charge, to any person", "apache-2.0")]
    public void Classify_KnownTexts_GiveTheirSpdxId(string text, string expected)
    {
        Assert.Equal(expected, SourceRootReader.Classify(text));
    }

    [Theory]
    [InlineData("ref: ../../../../../../etc/hostname\n")]
    [InlineData("ref: refs/heads/../../../../../etc/hostname\n")]
    [InlineData("ref: /etc/hostname\n")]
    [InlineData("not a sha at all\n")]
    public void Read_HostileOrOddHead_GivesNoCommitAndNeverReadsOutsideGit(string head)
    {
        _tree.Write(".git/HEAD", head);

        var root = SourceRootReader.Read(_tree.Root);

        Assert.Equal("", root.Commit);
    }

    [Fact]
    public void Read_RefFileThatIsNotASha_GivesNoCommit()
    {
        _tree.Write(".git/HEAD", "ref: refs/heads/main\n");
        _tree.Write(".git/refs/heads/main", "not-a-sha <script>\n");

        Assert.Equal("", SourceRootReader.Read(_tree.Root).Commit);
    }

    [Fact]
    public void Read_HeadThatIsADirectoryOrGitdirWithNul_DoesNotFail()
    {
        Directory.CreateDirectory(Path.Combine(_tree.Root, ".git", "HEAD"));
        var nested = Path.Combine(_tree.Root, "sub");
        Directory.CreateDirectory(nested);
        File.WriteAllText(Path.Combine(nested, ".git"), "gitdir: a\0b\n");

        Assert.Equal("", SourceRootReader.Read(_tree.Root).Commit);
        Assert.Equal("", SourceRootReader.Read(nested).Commit);
    }

    [Theory]
    [InlineData("License.txt")]
    [InlineData("LICENSE.md")]
    [InlineData("licence")]
    [InlineData("COPYING.txt")]
    [InlineData("LICENSE-APACHE")]
    public void DetectLicense_CommonFileNames_AreFoundInAnyCase(string name)
    {
        _tree.Write(name, "Apache License\nVersion 2.0, January 2004");

        Assert.Equal("apache-2.0", SourceRootReader.DetectLicense(_tree.Root));
    }
}
