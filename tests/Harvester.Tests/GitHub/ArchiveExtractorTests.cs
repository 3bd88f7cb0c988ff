using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using AutoRefiner.Harvester.GitHub;

namespace AutoRefiner.Harvester.Tests.GitHub;

public sealed class ArchiveExtractorTests : IDisposable
{
    private const string Top = "octo-repo-abc1234";

    private readonly TempTree _tree = new();
    private int _archives;

    public ArchiveExtractorTests()
    {
        Out = Path.Combine(_tree.Root, "out");
        Target = Path.Combine(Out, "repo");
        Directory.CreateDirectory(Out);
    }

    /// <summary>The target's parent: after any extraction it must hold the target and nothing else.</summary>
    private string Out { get; }

    private string Target { get; }

    public void Dispose() => _tree.Dispose();

    [Fact]
    public async Task ExtractAsync_GitHubTarball_StripsTopFolderAndWritesOnlyCSharpByteExact()
    {
        var program = "// héllo wörld ✓ 日本語\nclass Program { static void Main() { } }\n";
        var longDir = string.Join('/', Enumerable.Repeat("a-rather-long-directory-name", 6));
        var archive = Archive(
            GitHubGlobalHeader(),
            Dir($"{Top}/"),
            Text($"{Top}/README.md", "# repo"),
            Dir($"{Top}/src/"),
            Text($"{Top}/src/Program.cs", program),
            Text($"{Top}/src/Deep/Nested/Thing.cs", "class Thing { }"),
            Text($"{Top}/src/Upper.CS", "class Upper { }"),
            Text($"{Top}/src/Ünïcödé.cs", "class U { }"),
            Text($"{Top}/{longDir}/Long.cs", "class Long { }"),
            Bytes($"{Top}/src/logo.png", [0x89, 0x50, 0x4E, 0x47, 0, 0, 0]));

        var result = await ExtractAsync(archive);

        Assert.Equal(
            [$"{longDir}/Long.cs", "src/Deep/Nested/Thing.cs", "src/Program.cs", "src/Upper.CS", "src/Ünïcödé.cs"],
            FilesUnder(Target));
        Assert.Equal(Encoding.UTF8.GetBytes(program), File.ReadAllBytes(Path.Combine(Target, "src", "Program.cs")));
        Assert.Equal("class Thing { }", File.ReadAllText(Path.Combine(Target, "src", "Deep", "Nested", "Thing.cs")));
        Assert.Equal(5, result.FilesWritten);
        Assert.Equal(Encoding.UTF8.GetByteCount(program) + 15 + 15 + 11 + 14, result.BytesWritten);
        Assert.Equal(new Dictionary<string, int> { [ArchiveExtractor.Reasons.NotWanted] = 2 }, result.Skipped);
        AssertOnlyTargetLeft();
    }

    [Fact]
    public async Task ExtractAsync_GnuLongNames_AreRestored()
    {
        var name = string.Concat(Enumerable.Repeat("segment-of-a-long-path/", 8)) + "File.cs";
        var archive = Archive(new GnuTarEntry(TarEntryType.RegularFile, $"{Top}/{name}") { DataStream = Utf8("class F { }") });

        var result = await ExtractAsync(archive);

        Assert.Equal([name], FilesUnder(Target));
        Assert.Equal(1, result.FilesWritten);
    }

    [Fact]
    public async Task ExtractAsync_NamesLongerThanLinuxAllows_AreSkippedAsTooLongAndTheRestIsExtracted()
    {
        var longSegment = new string('n', 256) + ".cs";
        var deepPath = string.Join('/', Enumerable.Repeat(new string('d', 200), 21)) + "/Deep.cs";
        var archive = Archive(
            Text($"{Top}/Ok.cs", "class Ok { }"),
            new GnuTarEntry(TarEntryType.RegularFile, $"{Top}/{longSegment}") { DataStream = Utf8("class L { }") },
            new GnuTarEntry(TarEntryType.RegularFile, $"{Top}/{deepPath}") { DataStream = Utf8("class D { }") },
            new PaxTarEntry(TarEntryType.RegularFile, $"{Top}/{new string('é', 200)}.cs") { DataStream = Utf8("class E { }") });

        var result = await ExtractAsync(archive);

        Assert.Equal(["Ok.cs"], FilesUnder(Target));
        Assert.Equal(3, result.Skipped[ArchiveExtractor.Reasons.TooLong]);
        AssertOnlyTargetLeft();
    }

    [Fact]
    public async Task ExtractAsync_DotDotEntries_AreSkippedAndNothingIsWrittenOutside()
    {
        var archive = Archive(
            Text($"{Top}/Ok.cs", "class Ok { }"),
            Text("../evil.cs", "class Evil { }"),
            Text("dir/../../evil.cs", "class Evil { }"),
            Text($"{Top}/../../../evil2.cs", "class Evil { }"),
            Text($"{Top}/sub/../Inside.cs", "class Evil { }"));

        var result = await ExtractAsync(archive);

        Assert.Equal(["Ok.cs"], FilesUnder(Target));
        Assert.Equal(4, result.Skipped[ArchiveExtractor.Reasons.PathTraversal]);
        Assert.False(File.Exists(Path.Combine(Out, "evil.cs")));
        Assert.False(File.Exists(Path.Combine(_tree.Root, "evil.cs")));
        Assert.False(File.Exists(Path.Combine(_tree.Root, "evil2.cs")));
        AssertOnlyTargetLeft();
    }

    [Fact]
    public async Task ExtractAsync_AbsoluteNames_AreSkippedAndNotWritten()
    {
        // Rooted inside the test folder, so that an extractor which honoured it would visibly write there.
        var outside = Path.Combine(_tree.Root, "absolute-evil.cs");
        var archive = Archive(
            Text($"{Top}/Ok.cs", "class Ok { }"),
            Text(outside, "class Evil { }"),
            Text("/etc/evil.cs", "class Evil { }"),
            Text("\\evil.cs", "class Evil { }"),
            Text("C:/evil.cs", "class Evil { }"));

        var result = await ExtractAsync(archive);

        Assert.Equal(["Ok.cs"], FilesUnder(Target));
        Assert.Equal(4, result.Skipped[ArchiveExtractor.Reasons.AbsolutePath]);
        Assert.False(File.Exists(outside));
        AssertOnlyTargetLeft();
    }

    [Fact]
    public async Task ExtractAsync_Links_AreSkippedAndNeverCreatedOrFollowed()
    {
        var outside = Path.Combine(_tree.Root, "outside");
        Directory.CreateDirectory(outside);
        var archive = Archive(
            Text($"{Top}/Real.cs", "class Real { }"),
            Link(TarEntryType.SymbolicLink, $"{Top}/Link.cs", "Real.cs"),
            Link(TarEntryType.SymbolicLink, $"{Top}/Escape.cs", "/etc/passwd"),
            Link(TarEntryType.SymbolicLink, $"{Top}/linkdir", outside),
            Text($"{Top}/linkdir/Through.cs", "class Through { }"),
            Link(TarEntryType.HardLink, $"{Top}/Hard.cs", $"{Top}/Real.cs"));

        var result = await ExtractAsync(archive);

        Assert.Equal(3, result.Skipped[ArchiveExtractor.Reasons.Symlink]);
        Assert.Equal(1, result.Skipped[ArchiveExtractor.Reasons.Hardlink]);
        Assert.Equal(["Real.cs", "linkdir/Through.cs"], FilesUnder(Target));
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(Target, "*", SearchOption.AllDirectories), p => new FileInfo(p).LinkTarget is not null);
        Assert.Empty(Directory.EnumerateFileSystemEntries(outside));
        AssertOnlyTargetLeft();
    }

    [Fact]
    public async Task ExtractAsync_FileOverMaxFileBytes_IsSkippedAndOneAtTheLimitIsWritten()
    {
        var archive = Archive(
            Bytes($"{Top}/AtLimit.cs", Filler(1024)),
            Bytes($"{Top}/Big.cs", Filler(1025)),
            Bytes($"{Top}/Huge.cs", Filler(200_000)));

        var result = await ExtractAsync(archive, new ArchiveLimits { MaxFileBytes = 1024 });

        Assert.Equal(["AtLimit.cs"], FilesUnder(Target));
        Assert.Equal(Filler(1024), File.ReadAllBytes(Path.Combine(Target, "AtLimit.cs")));
        Assert.Equal(2, result.Skipped[ArchiveExtractor.Reasons.TooLarge]);
        Assert.Equal(1024, result.BytesWritten);
    }

    [Fact]
    public async Task ExtractAsync_OtherEntryTypesAndBadNames_AreSkippedByReason()
    {
        var archive = Archive(
            Text($"{Top}/Ok.cs", "class Ok { }"),
            new PaxTarEntry(TarEntryType.Fifo, $"{Top}/pipe.cs"),
            new PaxTarEntry(TarEntryType.CharacterDevice, $"{Top}/null.cs"),
            Text($"{Top}/nul\0hidden.cs", "class Evil { }"),
            Text($"{Top}//sub/./Dotted.cs", "class Dotted { }"));

        var result = await ExtractAsync(archive);

        Assert.Equal(["Ok.cs", "sub/Dotted.cs"], FilesUnder(Target));
        Assert.Equal(2, result.Skipped[ArchiveExtractor.Reasons.OtherType]);
        Assert.Equal(1, result.Skipped[ArchiveExtractor.Reasons.BadName]);
    }

    [Fact]
    public async Task ExtractAsync_RepeatedAndClashingEntries_LaterFileWinsAndClashIsCounted()
    {
        var archive = Archive(
            Text($"{Top}/Twice.cs", "class First { }"),
            Text($"{Top}/Twice.cs", "class Second { }"),
            Text($"{Top}/File.cs", "class F { }"),
            Text($"{Top}/File.cs/Below.cs", "class B { }"));

        var result = await ExtractAsync(archive);

        Assert.Equal(["File.cs", "Twice.cs"], FilesUnder(Target));
        Assert.Equal("class Second { }", File.ReadAllText(Path.Combine(Target, "Twice.cs")));
        Assert.Equal(2, result.FilesWritten);
        Assert.Equal(16 + 11, result.BytesWritten);
        Assert.Equal(1, result.Skipped[ArchiveExtractor.Reasons.Conflict]);
    }

    [Fact]
    public async Task ExtractAsync_EntriesWithoutACommonTopFolder_KeepTheirFullPaths()
    {
        var archive = Archive(Text("a/X.cs", "class X { }"), Text("b/Y.cs", "class Y { }"));

        await ExtractAsync(archive);

        Assert.Equal(["a/X.cs", "b/Y.cs"], FilesUnder(Target));
    }

    [Fact]
    public async Task ExtractAsync_AFileBesideTheTopFolder_KeepsFullPaths()
    {
        var archive = Archive(Dir($"{Top}/"), Text($"{Top}/X.cs", "class X { }"), Text("Root.cs", "class R { }"));

        await ExtractAsync(archive);

        Assert.Equal(["Root.cs", $"{Top}/X.cs"], FilesUnder(Target));
    }

    [Fact]
    public async Task ExtractAsync_OnlyTopLevelFiles_AreWrittenWhereTheyAre()
    {
        var archive = Archive(Text("Only.cs", "class Only { }"));

        var result = await ExtractAsync(archive);

        Assert.Equal(["Only.cs"], FilesUnder(Target));
        Assert.Equal(1, result.FilesWritten);
    }

    [Fact]
    public async Task ExtractAsync_ExistingTarget_IsReplaced()
    {
        WriteOldTarget();
        var archive = Archive(Text($"{Top}/New.cs", "class New { }"));

        await ExtractAsync(archive);

        Assert.Equal(["New.cs"], FilesUnder(Target));
        AssertOnlyTargetLeft();
    }

    [Fact]
    public async Task ExtractAsync_TooManyEntries_ThrowsAndLeavesNothing()
    {
        var archive = Archive([.. Enumerable.Range(0, 10).Select(i => Text($"{Top}/F{i}.cs", "class F { }"))]);

        var e = await Assert.ThrowsAsync<ArchiveException>(() => ExtractAsync(archive, new ArchiveLimits { MaxEntries = 5 }));

        Assert.Contains(Path.GetFileName(archive), e.Message);
        Assert.Contains("entries", e.Message);
        AssertNothingLeft();
    }

    [Fact]
    public async Task ExtractAsync_TooManyBytesInAll_ThrowsAndKeepsTheOldTarget()
    {
        WriteOldTarget();
        var archive = Archive([.. Enumerable.Range(0, 5).Select(i => Bytes($"{Top}/F{i}.cs", Filler(1000)))]);

        var e = await Assert.ThrowsAsync<ArchiveException>(() => ExtractAsync(archive, new ArchiveLimits { MaxTotalBytes = 3000 }));

        Assert.Contains(Path.GetFileName(archive), e.Message);
        Assert.Equal(["Old.cs", "sub/Older.cs"], FilesUnder(Target));
        AssertOnlyTargetLeft();
    }

    [Fact]
    public async Task ExtractAsync_TotalAtTheLimit_Succeeds()
    {
        var archive = Archive([.. Enumerable.Range(0, 3).Select(i => Bytes($"{Top}/F{i}.cs", Filler(1000)))]);

        var result = await ExtractAsync(archive, new ArchiveLimits { MaxTotalBytes = 3000 });

        Assert.Equal(3000, result.BytesWritten);
    }

    [Fact]
    public async Task ExtractAsync_ArchiveOverMaxArchiveBytes_ThrowsBeforeWritingAnything()
    {
        var archive = Archive(Text($"{Top}/A.cs", "class A { }"));

        var e = await Assert.ThrowsAsync<ArchiveException>(() => ExtractAsync(archive, new ArchiveLimits { MaxArchiveBytes = 32 }));

        Assert.Contains(Path.GetFileName(archive), e.Message);
        AssertNothingLeft();
    }

    [Fact]
    public async Task ExtractAsync_DecompressionBomb_ThrowsOnMaxUncompressedBytes()
    {
        // Skipped entries cost no disk, so only the decompressed-size limit stops them.
        var archive = Archive(Bytes($"{Top}/zeros.bin", new byte[4 * 1024 * 1024]));

        var e = await Assert.ThrowsAsync<ArchiveException>(() => ExtractAsync(archive, new ArchiveLimits { MaxUncompressedBytes = 1024 * 1024 }));

        Assert.Contains("decompresses", e.Message);
        AssertNothingLeft();
    }

    [Fact]
    public async Task ExtractAsync_RandomBytes_ThrowsNamingTheArchive()
    {
        var archive = Path.Combine(_tree.Root, "random.tar.gz");
        File.WriteAllBytes(archive, Filler(4096));

        var e = await Assert.ThrowsAsync<ArchiveException>(() => ExtractAsync(archive));

        Assert.Contains("random.tar.gz", e.Message);
        AssertNothingLeft();
    }

    [Fact]
    public async Task ExtractAsync_GzipOfSomethingNotTar_Throws()
    {
        var archive = Path.Combine(_tree.Root, "not-tar.tar.gz");
        using (var gzip = new GZipStream(File.Create(archive), CompressionLevel.Fastest))
        {
            gzip.Write(Filler(4096));
        }

        var e = await Assert.ThrowsAsync<ArchiveException>(() => ExtractAsync(archive));

        Assert.Contains("not-tar.tar.gz", e.Message);
        AssertNothingLeft();
    }

    [Fact]
    public async Task ExtractAsync_FirstHalfOfAnArchive_ThrowsAndLeavesNothing()
    {
        var bytes = File.ReadAllBytes(IncompressibleArchive());
        var archive = Path.Combine(_tree.Root, "half.tar.gz");
        File.WriteAllBytes(archive, bytes[..(bytes.Length / 2)]);

        var e = await Assert.ThrowsAsync<ArchiveException>(() => ExtractAsync(archive));

        Assert.Contains("half.tar.gz", e.Message);
        AssertNothingLeft();
    }

    [Theory]
    [InlineData(4)]
    [InlineData(8)]
    public async Task ExtractAsync_ArchiveCutInTheGzipTrailer_Throws(int cut)
    {
        // GZipStream itself reads such a file to the end without complaint.
        var bytes = File.ReadAllBytes(IncompressibleArchive());
        var archive = Path.Combine(_tree.Root, "cut.tar.gz");
        File.WriteAllBytes(archive, bytes[..^cut]);

        var e = await Assert.ThrowsAsync<ArchiveException>(() => ExtractAsync(archive));

        Assert.Contains("truncated", e.Message);
        AssertNothingLeft();
    }

    [Fact]
    public async Task ExtractAsync_CancelledToken_ThrowsAndKeepsTheOldTarget()
    {
        WriteOldTarget();
        var archive = Archive(Text($"{Top}/New.cs", "class New { }"));
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => ArchiveExtractor.ExtractAsync(archive, Target, new ArchiveLimits(), cancel.Token));

        Assert.Equal(["Old.cs", "sub/Older.cs"], FilesUnder(Target));
        AssertOnlyTargetLeft();
    }

    [Fact]
    public async Task ExtractAsync_CancelledWhileStreaming_ThrowsAndLeavesNothing()
    {
        var archive = Archive([.. Enumerable.Range(0, 3000).Select(i => Text($"{Top}/F{i}.cs", "class F { }"))]);
        using var cancel = new CancellationTokenSource();

        // Cancels as soon as the first file is on disk, while thousands are still to come.
        var watcher = Task.Run(async () =>
        {
            while (!cancel.IsCancellationRequested)
            {
                if (Directory.EnumerateDirectories(Out, "repo.partial-*").Any(d => Directory.EnumerateFiles(d, "*.cs", SearchOption.AllDirectories).Any()))
                {
                    await cancel.CancelAsync();
                }
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => ArchiveExtractor.ExtractAsync(archive, Target, new ArchiveLimits(), cancel.Token));
        await watcher;

        AssertNothingLeft();
    }

    private Task<ExtractionResult> ExtractAsync(string archive, ArchiveLimits? limits = null) =>
        ArchiveExtractor.ExtractAsync(archive, Target, limits ?? new ArchiveLimits(), CancellationToken.None);

    private string Archive(params TarEntry[] entries)
    {
        var path = Path.Combine(_tree.Root, $"archive-{_archives++}.tar.gz");
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        using var writer = new TarWriter(gzip, TarEntryFormat.Pax);
        foreach (var entry in entries)
        {
            writer.WriteEntry(entry);
        }

        return path;
    }

    /// <summary>An archive of random file contents, so that cutting the file in half cuts it mid-stream.</summary>
    private string IncompressibleArchive() =>
        Archive([.. Enumerable.Range(0, 20).Select(i => Bytes($"{Top}/F{i}.cs", Filler(4096, seed: i)))]);

    private static PaxGlobalExtendedAttributesTarEntry GitHubGlobalHeader() =>
        new(new Dictionary<string, string> { ["comment"] = "abc1234def5678abc1234def5678abc1234def56" });

    private static PaxTarEntry Dir(string name) => new(TarEntryType.Directory, name);

    private static PaxTarEntry Text(string name, string text) => new(TarEntryType.RegularFile, name) { DataStream = Utf8(text) };

    private static PaxTarEntry Bytes(string name, byte[] data) => new(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(data) };

    private static PaxTarEntry Link(TarEntryType type, string name, string target) => new(type, name) { LinkName = target };

    private static MemoryStream Utf8(string text) => new(Encoding.UTF8.GetBytes(text));

    private static byte[] Filler(int length, int seed = 42)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private void WriteOldTarget()
    {
        Directory.CreateDirectory(Path.Combine(Target, "sub"));
        File.WriteAllText(Path.Combine(Target, "Old.cs"), "class Old { }");
        File.WriteAllText(Path.Combine(Target, "sub", "Older.cs"), "class Older { }");
    }

    /// <summary>Files under <paramref name="root"/>, relative, with '/' separators, in ordinal order.</summary>
    private static List<string> FilesUnder(string root) =>
        [.. Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(root, p).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal)];

    /// <summary>Nothing but the target beside it: no partial or backup folders, nothing that escaped.</summary>
    private void AssertOnlyTargetLeft() => Assert.Equal([Target], Directory.GetFileSystemEntries(Out));

    private void AssertNothingLeft() => Assert.Empty(Directory.GetFileSystemEntries(Out));
}
