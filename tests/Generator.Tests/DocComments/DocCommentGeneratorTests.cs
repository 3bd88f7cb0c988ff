using AutoRefiner.Core.Model;
using AutoRefiner.Core.Text;
using AutoRefiner.Generator.DocComments;

namespace AutoRefiner.Generator.Tests.DocComments;

public sealed class DocCommentGeneratorTests
{
    private static Seed Seed(string id = "0123456789abcdef0123456789abcdef", int dependencies = 1) => new()
    {
        Id = id,
        Name = "Clamp",
        Signature = "public static int Clamp(int value, int min, int max)",
        ContainingType = "static class MathUtil",
        Doc = new DocComment
        {
            Summary = "Limits `value` to the range.",
            Params = [new NamedDoc("value", "The value."), new NamedDoc("min", ""), new NamedDoc("max", "Upper bound.")],
            Returns = "The clamped value.",
            Exceptions = [new NamedDoc("System.ArgumentException", "When `min` > `max`.")],
        },
        Code = "public static class MathUtil\n{\n    public static int Clamp(int value, int min, int max) => Math.Min(Math.Max(value, min), max);\n}\n",
        Context = "public static class MathUtil\n{\n    /// <summary>Limits the value.</summary>\n    public static int Clamp(int value, int min, int max)\n    {\n        throw new NotImplementedException();\n    }\n}\n",
        Member = "public static int Clamp(int value, int min, int max) => Math.Min(Math.Max(value, min), max);",
        Dependencies = dependencies,
        Provenance = new Provenance("o/r", "src/MathUtil.cs", "abc", "mit", "https://x"),
    };

    /// <summary>A small member of a small class: the instruction's fixed wording is most of its row.</summary>
    private static Seed Small(string name, string body, string summary) => Seed() with
    {
        Id = ContentHash.Of(name),
        Name = name,
        Signature = $"public static int {name}(int x)",
        ContainingType = "static class Ops",
        Doc = new DocComment { Summary = summary },
        Code = $"public static class Ops\n{{\n    public static int {name}(int x) => {body};\n}}\n",
        Context = $"public static class Ops\n{{\n    /// <summary>{summary}</summary>\n    public static int {name}(int x) => throw new NotImplementedException();\n}}\n",
        Member = $"public static int {name}(int x) => {body};",
        Dependencies = 0,
    };

    [Fact]
    public async Task Curate_SmallSiblingMembers_AreNotNearDuplicates_TheSameRowAgainIs()
    {
        var generator = new DocCommentGenerator();
        var curator = new AutoRefiner.Core.Curation.NearDuplicateCurator(new AutoRefiner.Core.Config.CurationConfig(), store: null);
        // Four sibling members as small as the instruction's fixed wording is long (one shard test kept 5 of 27 such rows).
        var siblings = Enumerable.Range(1, 4).Select(i => Small($"Add{i}", $"x + {i}", $"Adds {i} to the argument; the sum wraps round on overflow.")).ToList();
        var rows = new List<Candidate>();
        foreach (var seed in siblings)
        {
            rows.Add(Assert.Single(await generator.GenerateAsync(seed, default).ToListAsync()));
        }

        // What is compared holds the code and the doc, not the wording every row shares.
        Assert.DoesNotContain(DocCommentGenerator.Assumptions, rows[0].Compared, StringComparison.Ordinal);
        Assert.Contains("x + 1", rows[0].Compared, StringComparison.Ordinal);
        Assert.All(rows, r => Assert.Equal(Verdict.Passed, curator.Curate(new Judged(r, Verdict.Passed, "")).Verdict));

        var again = rows[1] with { Instruction = "Please. " + rows[1].Instruction };
        Assert.Equal(Verdict.Duplicate, curator.Curate(new Judged(again, Verdict.Passed, "")).Verdict);
    }

    [Fact]
    public async Task Generate_AnInspirationSeed_GivesNothing()
    {
        var candidates = await new DocCommentGenerator().GenerateAsync(Seed() with { SelfContained = false }, CancellationToken.None).ToListAsync();

        Assert.Empty(candidates);
    }

    [Fact]
    public async Task Generate_ASeedWithoutContext_GivesNothing()
    {
        var candidates = await new DocCommentGenerator().GenerateAsync(Seed() with { Context = "" }, CancellationToken.None).ToListAsync();

        Assert.Empty(candidates);
    }

    [Fact]
    public async Task Generate_OneSeed_GivesOneCandidateWithProvenanceAndVersions()
    {
        var generator = new DocCommentGenerator();
        var seed = Seed();

        var candidate = Assert.Single(await generator.GenerateAsync(seed, default).ToListAsync());

        Assert.Equal("doc-comments", candidate.Task);
        Assert.Equal("doc-comments", candidate.Generator);
        Assert.Equal("doc-comments/2", candidate.PromptVersion);
        Assert.Equal(seed.Provenance, candidate.Provenance);
        Assert.Equal(seed.Id, candidate.SeedId);
        Assert.Equal("", candidate.Tests);
    }

    [Fact]
    public void Instruction_CarriesSignatureDocAssumptionsAndStubbedContext()
    {
        var seed = Seed();
        var text = DocCommentGenerator.Instruction(seed);

        Assert.Contains("`public static int Clamp(int value, int min, int max)` in `static class MathUtil`", text, StringComparison.Ordinal);
        Assert.Equal(seed.Context, CodeBlocks.FirstCSharp(text));
        Assert.Contains("C# 14 on .NET 10 with implicit usings on", text, StringComparison.Ordinal);
        Assert.Contains("Limits `value` to the range.", text, StringComparison.Ordinal);
        Assert.Contains("- `value`: The value.", text, StringComparison.Ordinal);
        Assert.Contains("- `max`: Upper bound.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("`min`:", text, StringComparison.Ordinal);
        Assert.Contains("Returns: The clamped value.", text, StringComparison.Ordinal);
        Assert.Contains("- `System.ArgumentException`: When `min` > `max`.", text, StringComparison.Ordinal);
        Assert.Contains("are declarations only", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Math.Min", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Instruction_OfCodeWithoutNullableAnnotations_SaysNullableIsDisabled()
    {
        var annotated = DocCommentGenerator.Instruction(Seed());
        var old = DocCommentGenerator.Instruction(Seed() with { NullableAnnotated = false });

        Assert.Contains("nullable reference types enabled", annotated, StringComparison.Ordinal);
        Assert.Contains("nullable reference types disabled (`#nullable disable`", old, StringComparison.Ordinal);
        Assert.DoesNotContain("nullable reference types enabled", old, StringComparison.Ordinal);
    }

    [Fact]
    public void Instruction_WithoutDependencies_DoesNotMentionThem()
    {
        Assert.DoesNotContain("declarations only", DocCommentGenerator.Instruction(Seed(dependencies: 0)), StringComparison.Ordinal);
    }

    [Fact]
    public void Instruction_IsStableForASeedAndVariesAcrossSeeds()
    {
        var ids = Enumerable.Range(0, 30).Select(i => ContentHash.Of(i.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList();

        var first = ids.Select(id => DocCommentGenerator.Instruction(Seed(id))).ToList();
        var again = ids.Select(id => DocCommentGenerator.Instruction(Seed(id))).ToList();

        Assert.Equal(first, again);
        Assert.Equal(3, first.Select(t => t.Split('\n')[0]).Distinct().Count());
    }

    [Fact]
    public void Response_IsTheTargetMemberAloneInACSharpFence()
    {
        var seed = Seed();

        var response = DocCommentGenerator.Response(seed);

        Assert.StartsWith("```csharp\n", response);
        Assert.Equal(seed.Member + "\n", CodeBlocks.FirstCSharp(response));
        Assert.Single(CodeBlocks.All(response));
    }
}
