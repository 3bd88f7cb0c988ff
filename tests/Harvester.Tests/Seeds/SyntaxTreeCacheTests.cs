using AutoRefiner.Core.Model;
using AutoRefiner.Harvester.Seeds;

namespace AutoRefiner.Harvester.Tests.Seeds;

/// <summary>A file is parsed once per set of parse options and shared until released.</summary>
public sealed class SyntaxTreeCacheTests
{
    private static readonly SourceRoot Root = new("/src/demo", "demo", "", "", "");

    private static SourceFile File(string path, params string[] symbols) =>
        new(path, "#if FAST\nclass Fast { }\n#else\nclass Slow { }\n#endif\n", Root) { PreprocessorSymbols = symbols };

    [Fact]
    public void GetOrParse_SameFileAndSymbols_ReturnsTheOneTree()
    {
        var cache = new SyntaxTreeCache();

        var first = cache.GetOrParse(File("A.cs", "NET", "FAST"), default);
        var second = cache.GetOrParse(File("A.cs", "NET", "FAST"), default);

        Assert.Same(first, second);
        Assert.Equal(1, cache.Parsed);
    }

    [Fact]
    public void GetOrParse_OtherSymbols_ParsesAgainAsThatBuildReadsIt()
    {
        var cache = new SyntaxTreeCache();

        var fast = cache.GetOrParse(File("A.cs", "FAST"), default);
        var slow = cache.GetOrParse(File("A.cs", "NET"), default);

        Assert.NotSame(fast, slow);
        Assert.Contains("class Fast", fast.GetRoot().ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("class Fast", slow.GetRoot().DescendantNodes().Select(n => n.ToString()), StringComparer.Ordinal);
        Assert.Equal(2, cache.Parsed);
    }

    [Fact]
    public void Release_DropsTheFilesTreesOnly()
    {
        var cache = new SyntaxTreeCache();
        cache.GetOrParse(File("A.cs", "FAST"), default);
        cache.GetOrParse(File("A.cs"), default);
        var kept = cache.GetOrParse(File("B.cs"), default);

        cache.Release(Root.RootPath, ["A.cs"]);

        Assert.Equal(1, cache.Count);
        Assert.Same(kept, cache.GetOrParse(File("B.cs"), default));
        cache.GetOrParse(File("A.cs"), default);
        Assert.Equal(4, cache.Parsed);
    }
}
