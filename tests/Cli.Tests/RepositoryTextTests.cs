using System.Text.RegularExpressions;

namespace AutoRefiner.Cli.Tests;

/// <summary>What the repository's own files promise: one solution file, references that resolve, no machine's paths.</summary>
public sealed partial class RepositoryTextTests
{
    private static readonly string Root = OwnSourceTests.RepositoryRoot();

    private static IEnumerable<string> Files(string folder, params string[] patterns) =>
        patterns.SelectMany(p => Directory.EnumerateFiles(Path.Combine(Root, folder), p, SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}node_modules{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    [Fact]
    public void Solution_IsOneClassicSlnListingEveryProject()
    {
        Assert.Empty(Directory.GetFiles(Root, "*.slnx"));
        var solution = File.ReadAllText(Path.Combine(Root, "AutoRefiner.sln"));
        Assert.Contains("Microsoft Visual Studio Solution File, Format Version 12.00", solution, StringComparison.Ordinal);
        foreach (var project in Files("src", "*.csproj").Concat(Files("tests", "*.csproj")).Concat(Files("bench", "*.csproj")))
        {
            var relative = Path.GetRelativePath(Root, project).Replace('/', '\\');
            Assert.Contains($"\"{relative}\"", solution, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Comments_CiteNoDocumentOutsideTheRepository()
    {
        var cited = Files("src", "*.cs").Concat(Files("tests", "*.cs")).Concat(Files("bench", "*.cs")).Concat(Files("docs", "*.md"))
            .Append(Path.Combine(Root, "README.md"))
            .Where(f => File.ReadAllText(f).Contains("DESIGN.md", StringComparison.Ordinal) && !f.EndsWith(nameof(RepositoryTextTests) + ".cs", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(Root, f))
            .ToList();

        Assert.True(cited.Count == 0, $"DESIGN.md is not in the repository, yet these cite it: {string.Join(", ", cited)}");
    }

    [Fact]
    public void BenchAndDocs_NameNoFolderOfOneMachine()
    {
        var found = Files("bench", "*.cs", "*.md", "*.py").Concat(Files("docs", "*.md"))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: f, Line: i + 1, Text: line)))
            .Where(l => MachinePath().IsMatch(l.Text))
            .Select(l => $"{Path.GetRelativePath(Root, l.File)}:{l.Line}")
            .ToList();

        Assert.True(found.Count == 0, $"a bench takes its folders as arguments, but these lines name one machine's: {string.Join(", ", found)}");
    }

    [GeneratedRegex(@"(?<![\w.~<>-])/(work|tmp|home|root)/")]
    private static partial Regex MachinePath();
}
