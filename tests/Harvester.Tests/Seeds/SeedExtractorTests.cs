using AutoRefiner.CSharp;
using AutoRefiner.Core.Config;
using AutoRefiner.Core.Model;
using AutoRefiner.Core.Pipeline;
using AutoRefiner.Harvester.Local;
using AutoRefiner.Harvester.Seeds;
using AutoRefiner.Validator;

namespace AutoRefiner.Harvester.Tests.Seeds;

public sealed class SeedExtractorTests : IDisposable
{
    private readonly TempTree _tree = new();
    private readonly RoslynCompiler _compiler = new();

    public void Dispose() => _tree.Dispose();

    private async Task<(List<Seed> Seeds, RunStats Stats)> HarvestAsync(ExtractionConfig? config = null, bool gates = false)
    {
        // The closure is what most of these tests are about: their one-line members would be kept out as trivial.
        config = (config ?? new ExtractionConfig()) with { SeedGates = gates };
        var local = new LocalSeedSource(new FileWalker(config), new SeedExtractor(_compiler, config), config, parallelism: 2);
        var source = new SourceHarvester(local, new HarvestConfig { Extraction = config, BaseDirectory = _tree.Root }, TimeProvider.System, _ => null);
        var stats = new RunStats(TimeProvider.System);
        var seeds = await source.HarvestAsync(new HarvestRequest([_tree.Root], null), stats, default).ToListAsync();

        // Whatever a test is about, every self-contained seed must compile on its own.
        foreach (var seed in seeds.Where(s => s.SelfContained))
        {
            var result = _compiler.Compile(seed.Code, default);
            Assert.True(result.Success, $"{seed.Name} does not compile:\n{string.Join('\n', result.Errors)}\n{seed.Code}");

            // And its row's halves: the context with the target stubbed, and the member spliced back in its place.
            var context = _compiler.Compile(seed.Context, default);
            Assert.True(context.Success, $"{seed.Name}'s context does not compile:\n{string.Join('\n', context.Errors)}\n{seed.Context}");
            Assert.Contains(MemberSplice.StubStatement, seed.Context, StringComparison.Ordinal);
            var spliced = MemberSplice.Splice(seed.Context, seed.Member);
            Assert.True(spliced.Unit is not null, $"{seed.Name}: {spliced.Error}\n{seed.Member}");
            var whole = _compiler.Compile(spliced.Unit, default);
            Assert.True(whole.Success, $"{seed.Name} spliced does not compile:\n{string.Join('\n', whole.Errors)}\n{spliced.Unit}");
        }

        return (seeds, stats);
    }

    private async Task<Seed> SingleSeedAsync(string name)
    {
        var (seeds, _) = await HarvestAsync();
        return Assert.Single(seeds, s => s.Name == name);
    }

    [Fact]
    public async Task Extract_InspirationSeeds_AddsMeaningfulMethodsThatAreNotSelfContainedOrNotDocumented()
    {
        _tree.Write("Lib/Parser.cs", """
            using Newtonsoft.Json;

            namespace Demo;

            public sealed class Parser
            {
                /// <summary>Reads a value written by the serializer.</summary>
                public static T Read<T>(string json)
                {
                    var settings = new JsonSerializerSettings();
                    return JsonConvert.DeserializeObject<T>(json, settings)!;
                }

                public static int SumOfDigits(int n)
                {
                    var total = 0;
                    while (n > 0)
                    {
                        total += n % 10;
                        n /= 10;
                    }

                    return total;
                }

                public int Trivial() => 1;

                [Fact]
                public void Checks()
                {
                    var x = SumOfDigits(12);
                    System.Console.WriteLine(x);
                }

                public override string ToString()
                {
                    var name = nameof(Parser);
                    return name;
                }

                /// <summary>Doubles.</summary>
                public static int Twice(int x) => 2 * x;
            }
            """);

        var (plain, _) = await HarvestAsync();
        var (seeds, stats) = await HarvestAsync(new ExtractionConfig { InspirationSeeds = true });

        Assert.Equal(["Twice"], plain.Select(s => s.Name));
        Assert.Equal(["Read", "Twice", "SumOfDigits"], seeds.Select(s => s.Name)); // documented methods in source order, then the undocumented
        Assert.Equal(2, stats.InspirationSeeds);
        Assert.Equal(1, stats.SelfContained); // yield still counts documented, self-contained methods only

        var read = seeds[0];
        Assert.False(read.SelfContained);
        Assert.Equal("Reads a value written by the serializer.", read.Doc.Summary);
        Assert.StartsWith("public sealed class Parser\n{\n    /// <summary>", read.Code, StringComparison.Ordinal);
        Assert.Contains("    public static T Read<T>(string json)\n    {\n        var settings", read.Code, StringComparison.Ordinal);

        var sum = seeds[2];
        Assert.False(sum.SelfContained);
        Assert.Equal("", sum.Doc.Summary);
        Assert.Contains("total += n % 10;", sum.Code, StringComparison.Ordinal);
        Assert.Equal("public static int SumOfDigits(int n)", sum.Signature);
        Assert.Equal("Lib/Parser.cs", sum.Provenance.Path);
    }

    [Fact]
    public async Task Extract_MethodUsingConstantAndHelper_PullsInOnlyWhatItNeeds()
    {
        _tree.Write("Text/Slug.cs", """
            namespace Demo.Text;

            public static class Slug
            {
                private const int MaxLength = 40;
                private static readonly char[] Separators = [' ', '_'];
                private static int Unrelated = 7;

                /// <summary>Turns a title into a URL slug.</summary>
                /// <param name="title">The title.</param>
                /// <returns>The slug.</returns>
                public static string Make(string title)
                {
                    var parts = title.ToLowerInvariant().Split(Separators, StringSplitOptions.RemoveEmptyEntries);
                    return Trim(string.Join('-', parts));
                }

                private static string Trim(string s) => s.Length <= MaxLength ? s : s[..MaxLength];

                public static int NotNeeded() => Unrelated;
            }
            """);

        var (seeds, stats) = await HarvestAsync();

        var seed = Assert.Single(seeds);
        Assert.Equal("Make", seed.Name);
        Assert.Equal("public static string Make(string title)", seed.Signature);
        Assert.Equal("static class Slug", seed.ContainingType);
        Assert.Contains("Separators", seed.Code, StringComparison.Ordinal);

        // What the target only calls is a declaration: its body, and what only the body used, stay out.
        Assert.Contains("private static string Trim(string s) => throw null!;", seed.Code, StringComparison.Ordinal);
        Assert.DoesNotContain("MaxLength", seed.Code, StringComparison.Ordinal);
        Assert.DoesNotContain("Unrelated", seed.Code, StringComparison.Ordinal);
        Assert.DoesNotContain("NotNeeded", seed.Code, StringComparison.Ordinal);
        Assert.StartsWith("namespace Demo.Text;", seed.Code.TrimStart(), StringComparison.Ordinal);
        Assert.Equal(2, seed.Dependencies);
        Assert.Equal("Turns a title into a URL slug.", seed.Doc.Summary);
        Assert.Equal([new NamedDoc("title", "The title.")], seed.Doc.Params);
        Assert.Equal("The slug.", seed.Doc.Returns);
        Assert.Equal(1, stats.DocumentedMethods);
        Assert.Equal(1.0, stats.SeedYield);
    }

    [Fact]
    public async Task Extract_TypesFromOtherFiles_AreIncluded()
    {
        _tree.Write("Shapes/Kind.cs", "namespace Demo.Shapes;\n\n/// <summary>Kinds.</summary>\npublic enum Kind { Circle, Square }\n");
        _tree.Write("Shapes/Shape.cs", """
            namespace Demo.Shapes;

            public sealed record Shape(Kind Kind, double Size)
            {
                public double Area => Kind == Kind.Circle ? Math.PI * Size * Size : Size * Size;
            }
            """);
        _tree.Write("Geometry/Calc.cs", """
            using Demo.Shapes;

            namespace Demo.Geometry;

            public static class Calc
            {
                /// <summary>Total area of the shapes.</summary>
                public static double Total(IEnumerable<Shape> shapes) => shapes.Sum(s => s.Area);
            }
            """);

        var seed = await SingleSeedAsync("Total");

        Assert.Contains("public enum Kind { Circle, Square }", seed.Code, StringComparison.Ordinal);
        Assert.Contains("public sealed record Shape(Kind Kind, double Size)", seed.Code, StringComparison.Ordinal);
        Assert.Contains("namespace Demo.Shapes", seed.Code, StringComparison.Ordinal);
        Assert.Contains("namespace Demo.Geometry", seed.Code, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Extract_PackageDependency_IsRejectedAsUnresolvedWithTheReason()
    {
        _tree.Write("Json.cs", """
            using Newtonsoft.Json;

            public static class Json
            {
                /// <summary>Serialises a value.</summary>
                public static string Write(object value) => JsonConvert.SerializeObject(value);

                /// <summary>Adds one.</summary>
                public static int Inc(int x) => x + 1;
            }
            """);

        var (seeds, stats) = await HarvestAsync();

        Assert.Equal("Inc", Assert.Single(seeds).Name);
        Assert.DoesNotContain("Newtonsoft", seeds[0].Code, StringComparison.Ordinal);
        Assert.Equal(1, stats.SeedRejects[SeedExtractor.Reasons.Unresolved]);
        Assert.Contains("Json.cs:6 Write", Assert.Single(stats.SeedRejectExamples[SeedExtractor.Reasons.Unresolved]), StringComparison.Ordinal);
        Assert.Equal(0.5, stats.SeedYield);
    }

    [Fact]
    public async Task Extract_UnknownAttribute_IsDroppedAndLibraryAttributesKept()
    {
        _tree.Write("Api.cs", """
            using Microsoft.AspNetCore.Mvc;

            public class Api
            {
                /// <summary>Says hello.</summary>
                [HttpGet("hello"), Obsolete("use Hi")]
                [Produces("text/plain")]
                public string Hello(string name) => $"Hello, {name}!";
            }
            """);

        var seed = await SingleSeedAsync("Hello");

        Assert.DoesNotContain("HttpGet", seed.Code, StringComparison.Ordinal);
        Assert.DoesNotContain("Produces", seed.Code, StringComparison.Ordinal);
        Assert.DoesNotContain("AspNetCore", seed.Code, StringComparison.Ordinal);
        Assert.Contains("[Obsolete(\"use Hi\")]", seed.Code, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Extract_InstanceMethod_KeepsFieldsConstructorsItNeedsAndNestedTypes()
    {
        _tree.Write("Counter.cs", """
            namespace Demo;

            public sealed class Counter
            {
                private readonly Dictionary<string, Entry> _entries = new();

                /// <summary>Counts a word.</summary>
                /// <param name="word">The word.</param>
                public int Add(string word)
                {
                    if (!_entries.TryGetValue(word, out var entry))
                    {
                        entry = new Entry(word);
                        _entries[word] = entry;
                    }

                    return ++entry.Count;
                }

                private sealed class Entry(string word)
                {
                    public string Word { get; } = word;
                    public int Count { get; set; }
                    public override string ToString() => $"{Word}: {Count}";
                }
            }
            """);

        var seed = await SingleSeedAsync("Add");

        Assert.Contains("private sealed class Entry(string word)", seed.Code, StringComparison.Ordinal);
        Assert.Contains("_entries", seed.Code, StringComparison.Ordinal);
        Assert.DoesNotContain("ToString", seed.Code, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Extract_ExtensionMethodsAndGenerics_Compile()
    {
        _tree.Write("Ext.cs", """
            namespace Demo;

            public static class EnumerableExtensions
            {
                /// <summary>Returns the largest element by a key.</summary>
                /// <typeparam name="T">Element type.</typeparam>
                /// <typeparam name="TKey">Key type.</typeparam>
                public static T? MaxByKey<T, TKey>(this IEnumerable<T> source, Func<T, TKey> key)
                    where TKey : IComparable<TKey>
                {
                    T? best = default;
                    TKey? bestKey = default;
                    var first = true;
                    foreach (var item in source)
                    {
                        var k = key(item);
                        if (first || k.CompareTo(bestKey!) > 0)
                        {
                            (best, bestKey, first) = (item, k, false);
                        }
                    }

                    return best;
                }

                /// <summary>Longest string.</summary>
                public static string? Longest(this IEnumerable<string> source) => source.MaxByKey(s => s.Length);
            }
            """);

        var (seeds, _) = await HarvestAsync();

        Assert.Equal(["MaxByKey", "Longest"], seeds.Select(s => s.Name));
        Assert.Contains("public static T? MaxByKey<T, TKey>", seeds[1].Code, StringComparison.Ordinal);
        Assert.Equal([new NamedDoc("T", "Element type."), new NamedDoc("TKey", "Key type.")], seeds[0].Doc.TypeParams);
    }

    [Fact]
    public async Task Extract_PartialClassAcrossFiles_MergesBaseAndModifiers()
    {
        _tree.Write("PolicyBase.cs", """
            namespace Demo;

            public abstract class PolicyBase
            {
                protected string? key;

                internal static ArgumentException Immutable(string name) => new("Key cannot be changed once set.", name);
            }
            """);
        _tree.Write("Policy.cs", "namespace Demo;\n\npublic abstract partial class Policy : PolicyBase\n{\n    protected abstract void Run();\n}\n");
        _tree.Write("Policy.Keys.cs", """
            namespace Demo;

            public partial class Policy
            {
                /// <summary>Sets the key once.</summary>
                public Policy WithKey(string value)
                {
                    if (key != null)
                    {
                        throw Immutable(nameof(value));
                    }

                    key = value;
                    return this;
                }
            }
            """);

        var seed = await SingleSeedAsync("WithKey");

        Assert.Contains("public abstract partial class Policy : PolicyBase", seed.Code, StringComparison.Ordinal);
        Assert.DoesNotContain("Run()", seed.Code, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Extract_LibraryInterfaceKept_BringsItsImplementations()
    {
        _tree.Write("Version.cs", """
            namespace Demo;

            public readonly struct Ver : IComparable<Ver>, IEquatable<Ver>
            {
                public Ver(int major, int minor) { Major = major; Minor = minor; }
                public int Major { get; }
                public int Minor { get; }
                public int CompareTo(Ver other) => Major != other.Major ? Major.CompareTo(other.Major) : Minor.CompareTo(other.Minor);
                public bool Equals(Ver other) => CompareTo(other) == 0;
                public override bool Equals(object? obj) => obj is Ver v && Equals(v);
                public override int GetHashCode() => HashCode.Combine(Major, Minor);
                public string Describe() => $"{Major}.{Minor}";
            }

            public static class Versions
            {
                /// <summary>The newest version.</summary>
                public static Ver Newest(IReadOnlyList<Ver> all) => all.Max();
            }
            """);

        var seed = await SingleSeedAsync("Newest");

        Assert.Contains("IComparable<Ver>, IEquatable<Ver>", seed.Code, StringComparison.Ordinal);
        Assert.Contains("public int CompareTo(Ver other)", seed.Code, StringComparison.Ordinal);
        Assert.Contains("public bool Equals(Ver other)", seed.Code, StringComparison.Ordinal);
        Assert.DoesNotContain("Describe", seed.Code, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Extract_DerivedClassOfABaseWithoutDefaultConstructor_KeepsItsConstructor()
    {
        _tree.Write("Shapes.cs", """
            namespace Demo;

            public abstract class Named(string name)
            {
                public string Name { get; } = name;
            }

            public sealed class Circle : Named
            {
                public Circle(double r) : base("circle") => R = r;
                public double R { get; }

                /// <summary>Describes the circle.</summary>
                public string Describe() => $"{Name} r={R}";
            }
            """);

        var seed = await SingleSeedAsync("Describe");

        Assert.Contains("public Circle(double r) : base(\"circle\")", seed.Code, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Extract_Directives_AreRemovedAndTheActiveBranchKept()
    {
        _tree.Write("Clock.cs", """
            namespace Demo;

            public static class Clock
            {
                #region Public API

                /// <summary>Now, in ticks.</summary>
                public static long Ticks()
                {
            #if NET6_0_OR_GREATER
                    return Environment.TickCount64;
            #else
                    return OldApi.Ticks;
            #endif
                }

                #endregion
            }
            """);

        var seed = await SingleSeedAsync("Ticks");

        Assert.DoesNotContain("#", seed.Code, StringComparison.Ordinal);
        Assert.DoesNotContain("OldApi", seed.Code, StringComparison.Ordinal);
        Assert.Contains("return Environment.TickCount64;", seed.Code, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Extract_MultiLineStringLiterals_KeepTheirExactContent()
    {
        const string verbatim = "@\"line one\n  indented line\nlast\"";
        _tree.Write("Banner.cs", "namespace Demo\n{\n        public static class Banner\n        {\n                /// <summary>The banner.</summary>\n                public static string Text() => " + verbatim + ";\n        }\n}\n");

        var seed = await SingleSeedAsync("Text");

        Assert.Contains(verbatim, seed.Code, StringComparison.Ordinal);
        Assert.Contains("\n    public static string Text()", seed.Code, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Extract_ProjectReference_ResolvesTypesFromTheReferencedProject()
    {
        _tree.Write("Core/Core.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\" />");
        _tree.Write("Core/Money.cs", "namespace Shop.Core;\n\npublic readonly record struct Money(decimal Amount, string Currency);\n");
        _tree.Write("App/App.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\">\n  <ItemGroup>\n    <ProjectReference Include=\"..\\Core\\Core.csproj\" />\n  </ItemGroup>\n</Project>");
        _tree.Write("App/Pricing.cs", """
            using Shop.Core;

            namespace Shop.App;

            public static class Pricing
            {
                /// <summary>Adds VAT.</summary>
                public static Money WithVat(Money net, decimal rate) => net with { Amount = Math.Round(net.Amount * (1 + rate), 2) };
            }
            """);

        var seed = await SingleSeedAsync("WithVat");

        Assert.Contains("public readonly record struct Money(decimal Amount, string Currency);", seed.Code, StringComparison.Ordinal);
        Assert.Equal("App/Pricing.cs", seed.Provenance.Path);
    }

    [Fact]
    public async Task Extract_ProjectFileUsings_AreWrittenIntoTheUnit()
    {
        _tree.Write("Lib/Lib.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\">\n  <ItemGroup>\n    <Using Include=\"System.Text\" />\n  </ItemGroup>\n</Project>");
        _tree.Write("Lib/Join.cs", """
            namespace Lib;

            public static class Join
            {
                /// <summary>Joins with commas.</summary>
                public static string Commas(IEnumerable<string> items)
                {
                    var sb = new StringBuilder();
                    foreach (var item in items)
                    {
                        sb.Append(sb.Length == 0 ? "" : ", ").Append(item);
                    }

                    return sb.ToString();
                }
            }
            """);

        var seed = await SingleSeedAsync("Commas");

        Assert.Contains("using System.Text;", seed.Code, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Extract_UndocumentedOrInheritDocFromTheLibrary_MakeNoSeeds()
    {
        _tree.Write("A.cs", """
            public class A
            {
                public int NoDoc() => 1;

                /// <inheritdoc />
                public override string ToString() => "A";

                // <summary>Not a doc comment.</summary>
                public int Plain() => 2;

                /// <summary>Abstract-like.</summary>
                public partial void NoBody();
            }
            """);

        var (seeds, stats) = await HarvestAsync();

        // <inheritdoc/> counts as documented, but object.ToString()'s doc is not in the source to inherit.
        Assert.Empty(seeds);
        Assert.Equal(1, stats.DocumentedMethods);
        Assert.Equal(1, stats.SeedRejects[SeedExtractor.Reasons.InheritDocUnresolved]);
    }

    [Fact]
    public async Task Extract_UnitOverTheLineLimit_IsRejectedAsTooLarge()
    {
        var body = string.Concat(Enumerable.Range(0, 30).Select(i => $"        x += {i};\n"));
        _tree.Write("Long.cs", $"public static class Long\n{{\n    /// <summary>Long.</summary>\n    public static int F()\n    {{\n        var x = 0;\n{body}        return x;\n    }}\n}}\n");

        var (seeds, stats) = await HarvestAsync(new ExtractionConfig { MaxSeedLines = 20 });

        Assert.Empty(seeds);
        Assert.Equal(1, stats.SeedRejects[SeedExtractor.Reasons.TooLarge]);
    }

    [Fact]
    public async Task Extract_TextThatIsNotCSharp_IsSkippedAsNotCSharp()
    {
        _tree.Write("Notes.cs", "These are my notes about the project.\nThey are not code at all!\n");
        _tree.Write("Ok.cs", "public static class Ok\n{\n    /// <summary>One.</summary>\n    public static int One() => 1;\n}\n");

        var (seeds, stats) = await HarvestAsync();

        Assert.Single(seeds);
        Assert.Equal(1, stats.FileSkips[FileWalker.Reasons.NotCSharp]);
        Assert.Equal(2, stats.Files.Count);
    }

    [Fact]
    public async Task Extract_MalformedDocXml_IsCountedAndRejectedNotThrown()
    {
        _tree.Write("Bad.cs", "public static class Bad\n{\n    /// <summary>Unclosed <b>bold.</summary>\n    public static int One() => 1;\n}\n");

        var (seeds, stats) = await HarvestAsync();

        Assert.Empty(seeds);
        Assert.Equal(1, stats.SeedRejects[SeedExtractor.Reasons.Unsupported]);
    }

    [Fact]
    public async Task Extract_SameTreeTwice_GivesTheSameSeedsInTheSameOrder()
    {
        for (var i = 0; i < 12; i++)
        {
            _tree.Write($"F{i}.cs", $"public static class C{i}\n{{\n    /// <summary>Value {i}.</summary>\n    public static int V() => {i};\n}}\n");
        }

        var (first, _) = await HarvestAsync();
        var (second, _) = await HarvestAsync();

        Assert.Equal(12, first.Count);
        Assert.Equal(first.Select(s => s.Id), second.Select(s => s.Id));
    }

    [Fact]
    public async Task Extract_ProvenanceOfAGitCheckout_IsRecorded()
    {
        _tree.Write(".git/HEAD", "0123456789abcdef0123456789abcdef01234567\n");
        _tree.Write(".git/config", "[remote \"origin\"]\n\turl = git@github.com:acme/tools.git\n");
        _tree.Write("LICENSE.txt", "Apache License\nVersion 2.0, January 2004");
        _tree.Write("src/Ok.cs", "public static class Ok\n{\n    /// <summary>One.</summary>\n    public static int One() => 1;\n}\n");
        File.WriteAllBytes(Path.Combine(_tree.Root, ".git", "index"), Local.GitIndexFile.For(("src/Ok.cs", "public static class Ok\n{\n    /// <summary>One.</summary>\n    public static int One() => 1;\n}\n")));

        var seed = await SingleSeedAsync("One");

        Assert.Equal(new Provenance("acme/tools", "src/Ok.cs", "0123456789abcdef0123456789abcdef01234567", "Apache-2.0",
            "https://github.com/acme/tools/blob/0123456789abcdef0123456789abcdef01234567/src/Ok.cs#L4-L4") { Lines = "4-4", LicenseOrigin = "project" }, seed.Provenance);
    }

    [Fact]
    public async Task Extract_AnonymousTypesAndTuples_NeedNoDeclarations()
    {
        _tree.Write("Stats.cs", """
            public static class Stats
            {
                /// <summary>Word lengths, longest first.</summary>
                public static IEnumerable<(string Word, int Length)> Lengths(IEnumerable<string> words) =>
                    words.Select(w => new { Word = w, w.Length }).OrderByDescending(x => x.Length).Select(x => (x.Word, x.Length));
            }
            """);

        var seed = await SingleSeedAsync("Lengths");

        Assert.Contains("new { Word = w, w.Length }", seed.Code, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Extract_MethodOfTopLevelProgram_IsUnsupportedNotACrash()
    {
        _tree.Write("Program.cs", """
            Console.WriteLine(Helpers.Twice(2));

            static class Helpers
            {
                /// <summary>Doubles and prints via the program.</summary>
                public static int Twice(int x) => Program.Scale * x;
            }

            partial class Program
            {
                public const int Scale = 2;
            }
            """);

        var (seeds, stats) = await HarvestAsync();

        Assert.DoesNotContain(SeedExtractor.Reasons.ExtractorError, stats.SeedRejects.Keys);
        Assert.Equal(1, stats.DocumentedMethods);
        Assert.Equal(stats.DocumentedMethods, seeds.Count + stats.SeedRejects.Values.Sum());
    }

    [Fact]
    public async Task Extract_UsingsTheUnitDoesNotNeed_AreLeftOut()
    {
        _tree.Write("GlobalUsings.cs", "global using System.Collections.Concurrent;\nglobal using System.Text.RegularExpressions;\n");
        _tree.Write("Pad.cs", """
            using System.Globalization;
            using System.Net;
            using System.Text;

            public static class Pad
            {
                /// <summary>Pads with dots.</summary>
                public static string Dots(string s, int width) => new StringBuilder(s).Append('.', Math.Max(0, width - s.Length)).ToString();
            }
            """);

        var seed = await SingleSeedAsync("Dots");

        Assert.StartsWith("using System.Text;\n\npublic static class Pad", seed.Code, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Extract_AliasAndStaticUsingsOfTheProjectFile_ResolveAndAreWritten()
    {
        _tree.Write("Lib/Lib.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\">\n  <ItemGroup>\n    <Using Include=\"System.ReadOnlySpan&lt;System.Char&gt;\" Alias=\"CharSpan\" />\n    <Using Include=\"System.Math\" Static=\"true\" />\n  </ItemGroup>\n</Project>");
        _tree.Write("Lib/Text.cs", """
            public static class Text
            {
                /// <summary>Counts vowels.</summary>
                public static int Vowels(
                    CharSpan text,
                    int cap)
                {
                    var n = 0;
                    foreach (var c in text)
                    {
                        n += "aeiou".Contains(char.ToLowerInvariant(c)) ? 1 : 0;
                    }

                    return Min(n, cap);
                }
            }
            """);

        var seed = await SingleSeedAsync("Vowels");

        Assert.Equal("public static int Vowels(CharSpan text, int cap)", seed.Signature);
        Assert.Contains("using CharSpan = global::System.ReadOnlySpan<char>;", seed.Code, StringComparison.Ordinal);
        Assert.Contains("using static System.Math;", seed.Code, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Extract_FieldsSetByConstructors_BringTheConstructors()
    {
        _tree.Write("Greeter.cs", """
            public sealed class Greeter
            {
                private static readonly string[] Punctuation;
                private readonly string _greeting;

                static Greeter() => Punctuation = ["!", "."];

                public Greeter(string greeting) => _greeting = greeting;

                public Greeter() : this("Hello") { }

                public int Unrelated() => 42;

                /// <summary>Greets someone.</summary>
                public string Greet(string name) => $"{_greeting}, {name}{Punctuation[0]}";
            }
            """);

        var seed = await SingleSeedAsync("Greet");

        Assert.Contains("static Greeter() => throw null!;", seed.Code, StringComparison.Ordinal);
        Assert.Contains("public Greeter(string greeting) => throw null!;", seed.Code, StringComparison.Ordinal);
        Assert.Contains("public Greeter() : this(\"Hello\") => throw null!;", seed.Code, StringComparison.Ordinal);
        Assert.DoesNotContain("Unrelated", seed.Code, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Extract_FieldsSetOnlyByCodeTheUnitLeavesOut_AreNoDefect()
    {
        // The unit is an API surface: a field the target reads may be set by a member it never calls, by a derived type,
        // through a ref argument or by a deconstruction, and the unit's compiler then warns that it is never assigned (CS0649).
        _tree.Write("Node.cs", """
            public class Node
            {
                internal Node? _parent;
                internal int _depth;
                private string? _label;
                private string? _tag;

                /// <summary>The path from the root to this node, its labels joined with slashes.</summary>
                public string Path()
                {
                    var parts = new List<string>();
                    for (var node = this; node is not null; node = node._parent)
                    {
                        parts.Add(node._label ?? "?");
                    }

                    parts.Reverse();
                    return string.Join("/", parts) + "#" + _depth + _tag;
                }

                public void Rename(string label) => Interlocked.Exchange(ref _label, label);

                public void Retag(string tag, string note) => ((_tag, _), _) = ((tag, 1), note);
            }

            public sealed class Branch : Node
            {
                public void Add(Node child)
                {
                    child._parent = this;
                    child._depth++;
                }
            }
            """);

        var seed = await SingleSeedAsync("Path");

        Assert.Contains("internal Node? _parent;", seed.Context, StringComparison.Ordinal);
        Assert.DoesNotContain("Branch", seed.Context, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Extract_FieldNeverAssignedAnywhere_IsRejected()
    {
        _tree.Write("Broken.cs", """
            public sealed class Broken
            {
                private readonly string _name;

                /// <summary>Shouts the name, which nobody ever sets.</summary>
                public string Shout() => _name.ToUpperInvariant();
            }
            """);

        var (seeds, stats) = await HarvestAsync();

        Assert.Empty(seeds);
        Assert.Contains("CS0649", Assert.Single(stats.SeedRejectExamples[SeedExtractor.Reasons.NotSelfContained]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Extract_CrLfFileWithMultiLineLiterals_KeepsTheLiteralsValueExactly()
    {
        const string literal = "@\"first  \r\n\r\n    indented\r\nlast\"";
        _tree.Write("Text.cs", "namespace Demo\r\n{\r\n        public static class Text\r\n        {\r\n            /// <summary>The text.</summary>\r\n            public static string Value() => " + literal + ";\r\n        }\r\n}\r\n");

        var seed = await SingleSeedAsync("Value");

        Assert.Contains(literal, seed.Code, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Extract_SignatureWithCommentsAndDirectives_IsCleanAndMatchesTheActiveCode()
    {
        _tree.Write("Ext.cs", """
            public static class Ext
            {
                /// <summary>Counts.</summary>
                public static int CountAll<T>(
            #if !NET9_0_OR_GREATER
                    this
            #endif
                    IEnumerable<T> /* the items */ source, // all of them
                    int start = 0) => start + source.Count();
            }
            """);

        var seed = await SingleSeedAsync("CountAll");

        Assert.Equal("public static int CountAll<T>(IEnumerable<T> source, int start = 0)", seed.Signature);
    }

    [Fact]
    public async Task Extract_AttributesOfTypeShellsInBlockNamespaces_AreIndentedWithTheirType()
    {
        _tree.Write("A.cs", "namespace One\n{\n    [Serializable]\n    public sealed class Box\n    {\n        public int Size;\n    }\n}\n");
        _tree.Write("B.cs", "namespace Two\n{\n    public static class Use\n    {\n        /// <summary>Size.</summary>\n        public static int Of(One.Box b) => b.Size;\n    }\n}\n");

        var seed = await SingleSeedAsync("Of");

        Assert.Contains("namespace One\n{\n    [Serializable]\n    public sealed class Box\n", seed.Code, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Extract_OneLineTypesAndTabs_AreReindentedWithSpaces()
    {
        _tree.Write("A.cs", "namespace N;\npublic sealed class Sq { private int _a = 1; public int Area() => _a * _a; public int Other() => 2; }\npublic static class U\n{\n\t/// <summary>Area.</summary>\n\tpublic static int Of()\n\t{\n\t\treturn new Sq().Area();\n\t}\n}\n");

        var seed = await SingleSeedAsync("Of");

        Assert.Contains("public sealed class Sq\n{\n    public int Area() => throw null!;\n}", seed.Code, StringComparison.Ordinal);
        Assert.Contains("    {\n        return new Sq().Area();\n    }", seed.Code, StringComparison.Ordinal);
        Assert.DoesNotContain("\t", seed.Code, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Extract_UserDefinedImplicitConversion_BringsTheOperator()
    {
        _tree.Write("Meters.cs", """
            public readonly record struct Meters(double Value)
            {
                public static implicit operator double(Meters m) => m.Value;

                public static Meters operator +(Meters a, Meters b) => new(a.Value + b.Value);
            }

            public static class Geo
            {
                /// <summary>Total length in plain numbers.</summary>
                public static double Total(Meters a, Meters b)
                {
                    double total = a + b;
                    return Math.Round(total, 2);
                }
            }
            """);

        var seed = await SingleSeedAsync("Total");

        Assert.Contains("public static implicit operator double(Meters m)", seed.Code, StringComparison.Ordinal);
        Assert.Contains("public static Meters operator +(Meters a, Meters b)", seed.Code, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Extract_ConstructorsAndOperators_BecomeSeedsWithTheBodyStubbedInTheContext()
    {
        _tree.Write("Money.cs", """
            public readonly struct Money
            {
                /// <summary>Creates an amount rounded to cents in an upper-case currency code.</summary>
                public Money(decimal amount, string currency)
                {
                    ArgumentException.ThrowIfNullOrEmpty(currency);
                    Amount = decimal.Round(amount, 2);
                    Currency = currency.ToUpperInvariant();
                }

                public decimal Amount { get; }

                public string Currency { get; }

                /// <summary>Sums two amounts of one currency; mixing currencies is refused.</summary>
                public static Money operator +(Money left, Money right)
                {
                    if (left.Currency != right.Currency) throw new InvalidOperationException("currencies differ");
                    return new Money(left.Amount + right.Amount, left.Currency);
                }

                /// <summary>Amount in cents.</summary>
                public long Cents { get { return (long)(Amount * 100); } }
            }
            """);

        var (seeds, stats) = await HarvestAsync();

        var ctor = Assert.Single(seeds, s => s.Name == "Money");
        Assert.StartsWith("public Money(decimal amount, string currency)", ctor.Member, StringComparison.Ordinal);
        Assert.DoesNotContain("decimal.Round", ctor.Context, StringComparison.Ordinal);
        Assert.Contains("/// <summary>Creates an amount", ctor.Context, StringComparison.Ordinal);
        var plus = Assert.Single(seeds, s => s.Name == "operator +");
        Assert.StartsWith("public static Money operator +(Money left, Money right)\n{", plus.Member, StringComparison.Ordinal);
        Assert.DoesNotContain("currencies differ", plus.Context, StringComparison.Ordinal);
        Assert.Equal(1, stats.SeedRejects[SeedExtractor.Reasons.OtherKind]);
    }

    [Fact]
    public async Task Extract_DocumentedTestMethods_AreNotSeeds_AndTheRestOfTheFileIs()
    {
        // MoreLINQ documents some of its NUnit tests; a row would ask for a test body without saying it is one.
        _tree.Write("Fake.cs", """
            namespace Testing
            {
                [System.AttributeUsage(System.AttributeTargets.Method)] public sealed class TestAttribute : System.Attribute { }
                [System.AttributeUsage(System.AttributeTargets.Method)] public sealed class FactAttribute : System.Attribute { }
                [System.AttributeUsage(System.AttributeTargets.Method)] public sealed class TestCaseAttribute : System.Attribute { public TestCaseAttribute(int n) { } }
            }
            """);
        _tree.Write("RankTests.cs", """
            using Testing;

            public class RankTests
            {
                /// <summary>Verifies that ranking a sequence counts each distinct value once, whatever the order.</summary>
                [Test]
                public void RankCountsDistinctValues()
                {
                    var values = new[] { 3, 1, 3, 2 };
                    var distinct = new System.Collections.Generic.HashSet<int>(values);
                    if (distinct.Count != 3) throw new System.Exception("wrong count");
                }

                /// <summary>Checks the sum of the first n odd numbers is n squared, for a few n.</summary>
                [Testing.TestCaseAttribute(4)]
                public void OddSumIsSquare(int n)
                {
                    var sum = 0;
                    for (var i = 0; i < n; i++) sum += (2 * i) + 1;
                    if (sum != n * n) throw new System.Exception("not a square");
                }

                /// <summary>Returns the number of distinct values in the sequence, counting each value once whatever its order.</summary>
                public static int DistinctCount(int[] values)
                {
                    var seen = new System.Collections.Generic.HashSet<int>();
                    foreach (var v in values) seen.Add(v);
                    return seen.Count;
                }
            }
            """);

        var (seeds, stats) = await HarvestAsync(gates: true);

        Assert.Equal(["DistinctCount"], seeds.Where(s => s.SelfContained).Select(s => s.Name));
        Assert.Equal(2, stats.SeedRejects[SeedExtractor.Reasons.TestMethod]);
        Assert.Contains(stats.SeedRejectExamples[SeedExtractor.Reasons.TestMethod], e => e.Contains("[Test]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Extract_TrivialMembersAndUninformativeDocs_AreCountedWithExamples()
    {
        _tree.Write("Box.cs", """
            public class Box
            {
                private int _value = -1;

                /// <summary>Releases what the box holds.</summary>
                protected virtual void Dispose(bool disposing) { }

                /// <summary>Never supported here.</summary>
                public void Reset() => throw new NotSupportedException();

                /// <summary>The stored number.</summary>
                public int Peek() { return _value; }

                /// <summary>Compares with another box.</summary>
                public int CompareTo(Box other) => Compare(this, other);

                /// <summary>The number of the other box, if there is one.</summary>
                public int? OtherNumber(Box? other) => other?._value;

                /// <summary>Constructor</summary>
                public Box(int start)
                {
                    var v = start < 0 ? 0 : start;
                    _value = v;
                }

                /// <summary>Gets the value.</summary>
                public int GetValue()
                {
                    var v = _value;
                    return v < 0 ? 0 : v;
                }

                /// <summary>Orders the box against a number, empty boxes first.</summary>
                public static int Compare(Box a, int number) => Compare(a, new Box(number));

                /// <summary>Orders two boxes by their number, empty boxes first.</summary>
                public static int Compare(Box a, Box b)
                {
                    var x = a._value < 0 ? int.MinValue : a._value;
                    return x.CompareTo(b._value);
                }
            }
            """);

        var (seeds, stats) = await HarvestAsync(gates: true);

        Assert.Equal(["Compare"], seeds.Select(s => s.Name));
        Assert.Equal(6, stats.SeedRejects[SeedExtractor.Reasons.Trivial]);
        Assert.Equal(2, stats.SeedRejects[SeedExtractor.Reasons.UninformativeDoc]);
        Assert.Contains(stats.SeedRejectExamples[SeedExtractor.Reasons.Trivial], e => e.Contains("Dispose: empty body", StringComparison.Ordinal));
        Assert.Contains(stats.SeedRejectExamples[SeedExtractor.Reasons.UninformativeDoc], e => e.Contains("GetValue", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("public static IList<int> Read(Module module, uint sig) => Read(module, module.Blob.CreateReader(sig), new Context());", "forwards to an overload")]
    [InlineData("public int Compare(Box a, int n) { return this.Compare(a, n.ToString(), new Box(n)); }", "forwards to an overload")]
    [InlineData("public static int Read(Module module, uint sig) => Read(module, module.Blob.CreateReader(sig + 1), new Context());", null)]
    [InlineData("public static int Parse(string text) => Read(text.Trim(), 0);", null)]
    [InlineData("public static int Read(string text) => Read(text.Split(',').Select(int.Parse).ToArray());", null)]
    [InlineData("public bool Has(string name) { Debug.Assert(name != null); if (name == null) throw new ArgumentNullException(nameof(name)); return _map.ContainsKey(name); }", "forwards to one call")]
    [InlineData("public C Push(E[] items) { Guard.AgainstNull(items); return Push(items.AsSpan()); }", "forwards to an overload")]
    [InlineData("public static P RetryAsync<T>(this B<T> b, int n) => b.RetryAsync(n, static (_, _) => { });", "forwards to an overload")]
    [InlineData("public static P Break(this B b, int n, Action<E, T> onBreak, Action onReset) => b.Break(n, (e, t, _) => onBreak(e, t), _ => onReset(), () => { });", "forwards to an overload")]
    [InlineData("public void Execute(Action action) => Execute((_, _) => action(), [], DefaultToken);", "forwards to an overload")]
    [InlineData("public static P RetryAsync(this B b, int n) => b.RetryAsync(n, (e, i) => { Log(e); i++; });", null)]
    [InlineData("public void Execute(Action action) => Execute((_, _) => action(), [1, 2], DefaultToken);", null)]
    [InlineData("public static P Timeout(int seconds) { TimeoutValidator.ValidateSecondsTimeout(seconds); return Timeout(_ => TimeSpan.FromSeconds(seconds), Strategy.Optimistic); }", "forwards to an overload")]
    [InlineData("public static P Timeout(int seconds) { Settings.ValidateSecondsTimeout(seconds); return Timeout(_ => TimeSpan.FromSeconds(seconds), Strategy.Optimistic); }", null)]
    [InlineData("public void Check(int x) { ArgumentOutOfRangeException.ThrowIfNegative(x); }", "only checks its arguments")]
    [InlineData("public int Count(int[] xs) { ArgumentNullException.ThrowIfNull(xs); var n = 0; foreach (var x in xs) n += x > 0 ? 1 : 0; return n; }", null)]
    [InlineData("public int Pick(int x) { if (x < 0) { throw new ArgumentException(); } else { x++; } return x; }", null)]
    public void Trivial_ForwardersBehindArgumentChecks_AreTrivial_ButAdaptingArgumentsOrRealWorkIsNot(string method, string? expected)
    {
        var member = (Microsoft.CodeAnalysis.CSharp.Syntax.BaseMethodDeclarationSyntax)Microsoft.CodeAnalysis.CSharp.SyntaxFactory.ParseMemberDeclaration(method)!;

        Assert.Equal(expected, SeedGates.Trivial(member));
    }

    [Fact]
    public async Task Extract_RegionsAndCommentedOutCode_StayOutOfTheContext()
    {
        _tree.Write("Stats.cs", """
            // Copyright (c) Someone. Licensed under the MIT licence.
            public static class Stats
            {
                #region Helpers
                /// <summary>Arithmetic mean of the values, or zero when there are none.</summary>
                public static double Mean(int[] values)
                {
                    // Why: an empty input is common and not an error.
                    if (values.Length == 0) return 0;
                    // var total = values.Sum();
                    long sum = 0;
                    foreach (var v in values) sum += v;
                    return (double)sum / values.Length;
                }
                #endregion
            }
            """);

        var seed = await SingleSeedAsync("Mean");

        Assert.DoesNotContain("#region", seed.Context, StringComparison.Ordinal);
        Assert.DoesNotContain("Copyright", seed.Context, StringComparison.Ordinal);
        Assert.DoesNotContain("values.Sum()", seed.Member, StringComparison.Ordinal);
        Assert.Contains("// Why: an empty input is common and not an error.", seed.Member, StringComparison.Ordinal);
        Assert.Contains("{\n    // Why", seed.Member, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Extract_TheCommentThatIntroducesCommentedOutCode_GoesWithIt()
    {
        _tree.Write("Stats.cs", """
            public static class Stats
            {
                /// <summary>Sum of the squares of the values.</summary>
                public static long SumOfSquares(int[] values)
                {
                    long sum = 0;
                    // Uncomment this to trace every value, useful when comparing runs
                    // Console.WriteLine(string.Join(",", values));
                    foreach (var v in values)
                    {
                        // Widen first: the square of an int can overflow.
                        sum += (long)v * v;
                    }

                    // Comment these out to skip the check
                    // if (sum < 0) throw new OverflowException();
                    // Note: the check is for old callers.

                    // Uncomment for tracing.

                    // Console.WriteLine(sum);
                    return sum;
                }
            }
            """);

        var seed = await SingleSeedAsync("SumOfSquares");

        Assert.DoesNotContain("Console.WriteLine", seed.Member, StringComparison.Ordinal);
        Assert.DoesNotContain("Uncomment this", seed.Member, StringComparison.Ordinal);
        Assert.DoesNotContain("Comment these out", seed.Member, StringComparison.Ordinal);
        Assert.DoesNotContain("OverflowException", seed.Member, StringComparison.Ordinal);
        Assert.Contains("// Widen first: the square of an int can overflow.", seed.Member, StringComparison.Ordinal);
        Assert.Contains("// Note: the check is for old callers.", seed.Member, StringComparison.Ordinal);

        // A blank line between them: the comment is not right above the code it may speak of, and stays.
        Assert.Contains("// Uncomment for tracing.", seed.Member, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Extract_AnUncommentNoteAboveLiveCode_StaysEvenIfTheLineEndsInCommentedOutCode()
    {
        _tree.Write("Cache.cs", """
            public sealed class Cache
            {
                private int _size;

                /// <summary>Grows the cache by the given amount and returns the new size.</summary>
                public int Grow(int capacity, int total)
                {
                    // Comment out the next line to disable the cache in tests.
                    _size = capacity + total; // _size = 0;
                    _size = Math.Max(_size, 1);
                    return _size;


                    // ReSharper restore ArrangeThisQualifier
                }
            }
            """);

        var seed = await SingleSeedAsync("Grow");

        Assert.Contains("// Comment out the next line to disable the cache in tests.\n    _size = capacity + total;\n", seed.Member, StringComparison.Ordinal);
        Assert.DoesNotContain("_size = 0", seed.Member, StringComparison.Ordinal);
        Assert.Contains("return _size;\n}", seed.Member, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Extract_APartialRecordWhosePrimaryConstructorIsInAnotherFile_KeepsIt()
    {
        // The shell is written from the declaration of the first file by path; the parameters are on the second.
        _tree.Write("A.Money.cs", """
            namespace Shop;

            public partial record Money
            {
                /// <summary>The amount with the given rate applied, rounded to cents.</summary>
                public decimal Scaled(decimal rate)
                {
                    var value = Amount * rate;
                    return Math.Round(value, 2, MidpointRounding.ToEven);
                }
            }
            """);
        _tree.Write("B.Money.cs", """
            namespace Shop;

            public partial record Money(decimal Amount, string Currency);
            """);

        var seed = await SingleSeedAsync("Scaled");

        Assert.Contains("record Money(decimal Amount, string Currency)", seed.Context, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Extract_CommentsThatSpeakToAnAnalyzer_StayOutOfTheRow()
    {
        _tree.Write("Ranks.cs", """
            public static class Ranks
            {
                /// <summary>The rank of each value: 1 for the largest.</summary>
                public static int[] Of(int[] values)
                {
                    var order = values.Distinct().OrderByDescending(v => v).ToList();
                    var ranks = new int[values.Length];

                    // The loop stays a loop: it is the hot path.

                    // ReSharper disable LoopCanBeConvertedToQuery
                    for (var i = 0; i < values.Length; i++)
                        ranks[i] = order.IndexOf(values[i]) + 1; // ReSharper disable once ArrangeStaticMemberQualifier

                    return ranks;

                    // ReSharper restore LoopCanBeConvertedToQuery
                }
            }
            """);

        var seed = await SingleSeedAsync("Of");

        Assert.DoesNotContain("ReSharper", seed.Member, StringComparison.Ordinal);
        Assert.Contains("// The loop stays a loop: it is the hot path.", seed.Member, StringComparison.Ordinal);
        Assert.Contains("ranks[i] = order.IndexOf(values[i]) + 1;\n\n    return ranks;\n}", seed.Member, StringComparison.Ordinal);
        Assert.Contains("hot path.\n\n    for (", seed.Member, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Extract_APartialDeclarationThatAddsOnlyMembersLeftOut_BringsNoUsing()
    {
        // Roslyn counts a using as needed when its namespace offers an extension method the call could have bound to:
        // System.Data's EnumerableRowCollectionExtensions.OrderByDescending, here. So only the check on the unit would
        // keep `using System.Data;`, which the target's code never needed.
        _tree.Write("Ranking.cs", """
            namespace Tools;

            public static partial class Ranking
            {
                /// <summary>The values from the largest to the smallest, without repeats.</summary>
                public static int[] Descending(IEnumerable<int> values)
                {
                    var seen = new HashSet<int>();
                    return values.Where(seen.Add).OrderByDescending(v => v).ToArray();
                }
            }
            """);
        _tree.Write("Ranking.Data.cs", """
            using System.Data;

            namespace Tools;

            public static partial class Ranking
            {
                public static DataTable Table() => new DataTable();
            }
            """);
        _tree.Write("Ranking.Debug.cs", """
            using System.Diagnostics;

            namespace Tools;

            [DebuggerDisplay("Ranking")]
            public static partial class Ranking
            {
                public static void Trace() => Debug.WriteLine("ranking");
            }
            """);

        var seed = await SingleSeedAsync("Descending");

        Assert.DoesNotContain("System.Data", seed.Context, StringComparison.Ordinal);
        Assert.DoesNotContain("DataTable", seed.Context, StringComparison.Ordinal);

        // A partial declaration that adds an attribute to the shell brings the using that attribute needs.
        Assert.Contains("[DebuggerDisplay(\"Ranking\")]", seed.Context, StringComparison.Ordinal);
        Assert.Contains("using System.Diagnostics;", seed.Context, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Extract_PropertiesTheTargetReads_AreStubbedWithEveryAccessor()
    {
        _tree.Write("Cell.cs", """
            public sealed class Cell
            {
                private object? _value;
                private int _writes;

                public object? Value
                {
                    get => _value;
                    set
                    {
                        _writes++;
                        _value = value;
                    }
                }

                /// <summary>Stores the text form of the number, upper-cased, and says how long it is.</summary>
                public int StoreText(int number)
                {
                    var text = number.ToString("X", System.Globalization.CultureInfo.InvariantCulture);
                    Value = text;
                    return text.Length;
                }
            }
            """);

        var seed = await SingleSeedAsync("StoreText");

        Assert.Contains("public object? Value { get => throw null!; set => throw null!; }", seed.Context, StringComparison.Ordinal);
        Assert.DoesNotContain("_writes", seed.Context, StringComparison.Ordinal);
    }
}
