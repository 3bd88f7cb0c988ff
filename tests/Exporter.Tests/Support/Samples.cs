using System.Globalization;
using AutoRefiner.Core.Model;

namespace AutoRefiner.Exporter.Tests.Support;

/// <summary>Judged candidates with distinct, deterministic content.</summary>
internal static class Samples
{
    public const string Commit = "0123456789abcdef0123456789abcdef01234567";

    /// <summary>Non-ASCII text of several scripts, an emoji (outside the BMP), quotes, backslashes, tabs and line breaks.</summary>
    public const string Unicode = "Ünïcödé — 日本語のテキスト, Ελληνικά, русский, עברית, emoji 🚀👩‍💻, \"quotes\" 'single' \\back\\slash\ttab\r\nCRLF\nLF";

    public static Candidate Candidate(int i, string license = "mit", string? instruction = null, string? response = null) => new()
    {
        Task = "doc-comments",
        Instruction = instruction ?? string.Create(CultureInfo.InvariantCulture, $"Write `Square{i}`: returns the square of {i}."),
        Response = response ?? string.Create(CultureInfo.InvariantCulture, $"Here it is:\n```csharp\npublic static class C{i}\n{{\n    public static int Square{i}() => {i} * {i};\n}}\n```\n"),
        Tests = i % 3 == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $"public class T{i} {{ [Fact] public void F() => Assert.Equal({i * i}, C{i}.Square{i}()); }}"),
        Generator = "doc-comments",
        PromptVersion = "doc-comments/1",
        Provenance = new Provenance(
            string.Create(CultureInfo.InvariantCulture, $"owner/repo{i % 3}"),
            string.Create(CultureInfo.InvariantCulture, $"src/File{i}.cs"),
            Commit,
            license,
            string.Create(CultureInfo.InvariantCulture, $"https://github.com/owner/repo{i % 3}/blob/{Commit}/src/File{i}.cs")),
        SeedId = string.Create(CultureInfo.InvariantCulture, $"seed-{i}"),
        PromptTokens = 100 + i,
        CompletionTokens = 200 + (2 * i),
        RepairRounds = i % 2,
    };

    /// <summary>A passed sample; one with tests carries mutation counts (0 to 20 mutants, half of them killed), one without has none.</summary>
    public static Judged Passed(int i, string license = "mit") => new(Candidate(i, license), Verdict.Passed, "", TestsRun: (i % 4) + 1, TestsPassed: (i % 4) + 1)
    {
        Mutants = i % 3 == 0 ? null : i % 21,
        MutantsKilled = i % 3 == 0 ? null : (i % 21) / 2,
    };

    public static Judged Passed(Candidate candidate) => new(candidate, Verdict.Passed, "", 3, 3);

    public static IEnumerable<Judged> PassedRange(int count, string license = "mit") => Enumerable.Range(0, count).Select(i => Passed(i, license));

    public static Judged Rejected(int i, Verdict verdict, string detail) => new(Candidate(i), verdict, detail, TestsRun: 2, TestsPassed: 1);
}
