using AutoRefiner.Core;
using AutoRefiner.Exporter.Tests.Support;

namespace AutoRefiner.Exporter.Tests;

/// <summary>The output guard on the real file system: links resolved, loops ended, nothing created for a refused destination.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class OutputFolderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Claim_RelativeLinkChainIntoASystemFolder_IsRefusedNamingWhereItLeads()
    {
        // a -> b -> ../../../../../../../../proc (relative targets, resolved against each link's own folder).
        var b = Path.Combine(_dir.Path, "b");
        File.CreateSymbolicLink(b, "../../../../../../../../../../proc");
        File.CreateSymbolicLink(Path.Combine(_dir.Path, "a"), "b");

        var e = Assert.Throws<AutoRefinerException>(() => OutputFolder.Claim(Path.Combine(_dir.Path, "a", "self", "out"), "a/self/out", "--out", OutputLayout.Dataset));

        Assert.Equal(FailureKind.Usage, e.Kind);
        // /proc/self is itself a link, to /proc/<pid>: followed too.
        Assert.Contains($"leads to /proc/{Environment.ProcessId}/out, which is inside /proc, a system folder", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Claim_LoopOfLinks_EndsWithASentence()
    {
        File.CreateSymbolicLink(Path.Combine(_dir.Path, "x"), "y");
        File.CreateSymbolicLink(Path.Combine(_dir.Path, "y"), "x");

        var e = Assert.Throws<AutoRefinerException>(() => OutputFolder.Claim(Path.Combine(_dir.Path, "x", "out"), "x/out", "--out", OutputLayout.Dataset));

        Assert.Equal(FailureKind.Usage, e.Kind);
        Assert.Contains("--out 'x/out'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Claim_NewFolder_IsNotCreatedByTheChecks()
    {
        var target = Path.Combine(_dir.Path, "new", "out");

        var output = OutputFolder.Claim(target, "new/out", "--out", OutputLayout.Dataset);

        Assert.Equal(target, output.FullPath);
        Assert.False(Directory.Exists(Path.Combine(_dir.Path, "new")));
        Assert.Empty(Directory.GetFileSystemEntries(_dir.Path));
    }

    [Fact]
    public void Claim_OurFolder_MayReplaceOnlyTheLayoutsFilesAndWhatTheManifestLists()
    {
        var out_ = Directory.CreateDirectory(Path.Combine(_dir.Path, "out")).FullName;
        Directory.CreateDirectory(Path.Combine(out_, "data"));
        File.WriteAllText(Path.Combine(out_, "manifest.json"), """{"tool": "autorefiner", "files": [{"path": "data/train-00000-of-00001.parquet"}, {"path": "photos/a.jpg"}], "counts": {"rows": {"train": 7, "test": 2}}}""");
        foreach (var file in new[] { "README.md", "data/train-00000-of-00001.parquet", "data/mine.txt", "photos/a.jpg" })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(out_, file))!);
            File.WriteAllText(Path.Combine(out_, file), "x");
        }

        var output = OutputFolder.Claim(out_, "out", "--out", OutputLayout.Dataset);

        Assert.Equal(["README.md", "data/train-00000-of-00001.parquet", "manifest.json"], output.Previous.Order(StringComparer.Ordinal));
        Assert.Equal(9, output.PreviousRows);
    }
}
