using AutoRefiner.Core.Config;
using AutoRefiner.CSharp;
using AutoRefiner.Core.Model;
using AutoRefiner.Core.Pipeline;
using AutoRefiner.Harvester.Local;
using AutoRefiner.Harvester.Seeds;
using AutoRefiner.Validator;

namespace AutoRefiner.Harvester.Tests.Seeds;

/// <summary>Seeds read the way the project's build reads its code: its <c>#if</c> symbols, inherited docs, constructor chains.</summary>
public sealed class BuildFaithfulSeedTests : IDisposable
{
    private readonly TempTree _tree = new();
    private readonly RoslynCompiler _compiler = new();

    public void Dispose() => _tree.Dispose();

    private async Task<(List<Seed> Seeds, RunStats Stats)> HarvestAsync(bool gates = true, bool inspiration = false)
    {
        var config = new ExtractionConfig { SeedGates = gates, InspirationSeeds = inspiration };
        var local = new LocalSeedSource(new FileWalker(config), new SeedExtractor(_compiler, config), config, parallelism: 2);
        var source = new SourceHarvester(local, new HarvestConfig { Extraction = config, BaseDirectory = _tree.Root }, TimeProvider.System, _ => null);
        var stats = new RunStats(TimeProvider.System);
        var seeds = await source.HarvestAsync(new HarvestRequest([_tree.Root], null), stats, default).ToListAsync();
        foreach (var seed in seeds.Where(s => s.SelfContained))
        {
            var context = _compiler.Compile(seed.Context, default);
            Assert.True(context.Success, $"{seed.Name}'s context does not compile:\n{string.Join('\n', context.Errors)}\n{seed.Context}");
            var spliced = MemberSplice.Splice(seed.Context, seed.Member);
            Assert.True(spliced.Unit is not null, $"{seed.Name}: {spliced.Error}\n{seed.Member}");
            var whole = _compiler.Compile(spliced.Unit, default);
            Assert.True(whole.Success, $"{seed.Name} spliced does not compile:\n{string.Join('\n', whole.Errors)}\n{spliced.Unit}");
        }

        return (seeds, stats);
    }

    private const string LockedList = """
        namespace Demo;

        public sealed class LockedList
        {
            private readonly object _gate = new();
            private readonly List<string> _items = [];
            private int _version;

        #if THREAD_SAFE
            /// <summary>Appends a name under the list's lock, so a reader never sees a half-written list; bumps the version.</summary>
            public void Append(string name)
            {
                lock (_gate)
                {
                    _items.Add(name.Trim());
                    _version++;
                }
            }
        #endif

            /// <summary>Counts the names that start with a prefix, ignoring case, while holding the list's lock.</summary>
            public int CountStartingWith(string prefix)
            {
        #if THREAD_SAFE
                lock (_gate)
        #endif
                {
                    var n = 0;
                    foreach (var item in _items)
                    {
                        if (item.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) n++;
                    }

                    return n;
                }
            }
        }
        """;

    [Fact]
    public async Task Extract_ProjectDefinesTheSymbol_CodeUnderItsIfIsHarvested()
    {
        _tree.Write("Lib/Lib.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFrameworks>netstandard2.0;net8.0</TargetFrameworks>
                <DefineConstants Condition=" '$(LibThreadSafe)' != 'false' ">$(DefineConstants);THREAD_SAFE</DefineConstants>
              </PropertyGroup>
            </Project>
            """);
        _tree.Write("Lib/LockedList.cs", LockedList);

        var (seeds, stats) = await HarvestAsync();

        Assert.Equal(["Append", "CountStartingWith"], seeds.Select(s => s.Name));
        Assert.Contains("lock (_gate)", seeds[0].Member, StringComparison.Ordinal);
        Assert.Contains("lock (_gate)", seeds[1].Member, StringComparison.Ordinal);
        Assert.False(stats.SeedRejects.ContainsKey(SeedExtractor.Reasons.ConditionalCode));
    }

    [Fact]
    public async Task Extract_ProjectDoesNotDefineTheSymbol_MemberWithAnInactiveBranchIsConditionalCode()
    {
        // The Release group is the one read: DEBUG's THREAD_SAFE does not count.
        _tree.Write("Lib/Lib.csproj", """
            <Project ToolsVersion="4.0" xmlns="http://schemas.microsoft.com/developer/msbuild/2003">
              <PropertyGroup Condition=" '$(Configuration)|$(Platform)' == 'Debug|AnyCPU' ">
                <DefineConstants>DEBUG;TRACE;THREAD_SAFE</DefineConstants>
              </PropertyGroup>
              <PropertyGroup Condition=" '$(Configuration)|$(Platform)' == 'Release|AnyCPU' ">
                <DefineConstants>TRACE</DefineConstants>
              </PropertyGroup>
            </Project>
            """);
        _tree.Write("Lib/LockedList.cs", LockedList);

        var (seeds, stats) = await HarvestAsync();

        // Append is not compiled at all (it is no member of this build); the inactive block before its doc is not
        // CountStartingWith's, but the one inside its body is.
        Assert.Empty(seeds);
        Assert.Equal(1, stats.DocumentedMethods);
        Assert.Equal(1, stats.SeedRejects[SeedExtractor.Reasons.ConditionalCode]);
        var example = Assert.Single(stats.SeedRejectExamples[SeedExtractor.Reasons.ConditionalCode]);
        Assert.Contains("CountStartingWith: `#if THREAD_SAFE` at line 24 has a branch that is not compiled", example, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Extract_InactiveCodeBeforeTheDocComment_BelongsToTheMemberAboveAndDoesNotGate()
    {
        _tree.Write("Scale.cs", """
            public static class Scale
            {
            #if LEGACY
                public static int Old(int x) => x;
            #endif
                /// <summary>Maps a percentage onto a 0-255 byte, rounding half away from zero and clamping out-of-range input.</summary>
                public static byte ToByte(double percent)
                {
                    var clamped = Math.Clamp(percent, 0, 100);
                    return (byte)Math.Round(clamped * 2.55, MidpointRounding.AwayFromZero);
                }

                /// <summary>Maps a 0-255 byte back onto a percentage with one decimal, for display in the settings page.</summary>
            #if LEGACY
                [Obsolete]
            #endif
                public static double ToPercent(byte value)
                {
                    var percent = value / 2.55;
                    return Math.Round(percent, 1);
                }
            }
            """);

        var (seeds, stats) = await HarvestAsync();

        Assert.Equal(["ToByte"], seeds.Select(s => s.Name));
        Assert.Contains("ToPercent: `#if LEGACY` at line 14 has a branch that is not compiled", Assert.Single(stats.SeedRejectExamples[SeedExtractor.Reasons.ConditionalCode]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Extract_CodeWrittenBeforeNullableAnnotations_HasItsContextSayNullableDisable()
    {
        // KeePass 2.x: `m_pbHash = null;` on a byte[] field raises CS8625 under nullable enabled.
        _tree.Write("Store.cs", """
            namespace Demo;

            public sealed class Store
            {
                private byte[] m_pbHash = new byte[0];
                private string m_strName = "";

                /// <summary>Forgets the stored hash and renames the store, trimming the new name.</summary>
                public void Reset(string strName)
                {
                    m_pbHash = null;
                    m_strName = strName.Trim();
                    Console.WriteLine(m_strName.Length + (m_pbHash == null ? 0 : 1));
                }
            }

            public sealed class Modern
            {
                private byte[]? _hash = [];

                /// <summary>Forgets the stored hash and reports how many bytes it held before.</summary>
                public int Forget()
                {
                    var length = _hash?.Length ?? 0;
                    _hash = null;
                    return length;
                }
            }
            """);

        var (seeds, _) = await HarvestAsync(gates: false);

        var old = Assert.Single(seeds, s => s.Name == "Reset");
        Assert.False(old.NullableAnnotated);
        Assert.StartsWith("#nullable disable\n", old.Context, StringComparison.Ordinal);
        var modern = Assert.Single(seeds, s => s.Name == "Forget");
        Assert.True(modern.NullableAnnotated);
        Assert.DoesNotContain("#nullable", modern.Context, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Extract_InheritDoc_TakesTheDocOfTheInterfaceMemberTheBaseMemberOrTheCref()
    {
        _tree.Write("Shapes.cs", """
            namespace Demo;

            public interface IShape
            {
                /// <summary>Area of the shape in square units, computed from its current dimensions.</summary>
                double Area();

                /// <summary>Stretches the shape by <paramref name="factor"/> along x and returns its new width.</summary>
                /// <param name="factor">How many times wider; at least zero.</param>
                double Stretch(double factor);
            }

            public abstract class Polygon
            {
                /// <summary>Length of the outline: the sum of the lengths of every side.</summary>
                public abstract double Perimeter();

                /// <summary>Scales every side by a factor and returns the new outline length, rejecting negative factors.</summary>
                public static double ScaledPerimeter(double perimeter, double factor)
                {
                    if (factor < 0) throw new ArgumentOutOfRangeException(nameof(factor));
                    return perimeter * factor;
                }
            }

            public sealed class Rectangle(double width, double height) : Polygon, IShape
            {
                /// <inheritdoc/>
                public double Area()
                {
                    var area = width * height;
                    return Math.Abs(area);
                }

                /// <inheritdoc/>
                public double Stretch(double times)
                {
                    if (times < 0) throw new ArgumentOutOfRangeException(nameof(times));
                    return width * times;
                }

                /// <inheritdoc />
                public override double Perimeter()
                {
                    var sides = 2 * (width + height);
                    return Math.Abs(sides);
                }

                /// <inheritdoc cref="Polygon.ScaledPerimeter(double, double)"/>
                public double Scaled(double factor)
                {
                    var current = Perimeter();
                    return ScaledPerimeter(current, factor);
                }

                /// <inheritdoc/>
                public override string ToString()
                {
                    var text = $"{width} x {height}";
                    return text.Trim();
                }

                /// <summary>Pads the text on the left to a width with the given fill character.</summary>
                /// <param name="text">The text.</param>
                /// <param name="width">The width.</param>
                /// <param name="fill">The fill character.</param>
                public static string PadStart(string text, int width, char fill)
                {
                    var padded = text.PadLeft(width, fill);
                    return padded.Length > width ? padded[..width] : padded;
                }

                /// <inheritdoc cref="PadStart(string, int, char)"/>
                public static string PadStart(int width, string text)
                {
                    var padded = text.PadLeft(width, '.');
                    return padded.Length > width ? padded[^width..] : padded;
                }

                /// <inheritdoc cref="Nowhere.Missing(int)"/>
                public double Missing(int x)
                {
                    var y = x * width;
                    return Math.Abs(y);
                }

                /// <inheritdoc cref="Looping(int)"/>
                public double Looping(int x)
                {
                    var y = x * height;
                    return Math.Abs(y);
                }
            }
            """);

        var (seeds, stats) = await HarvestAsync();

        var docs = seeds.ToDictionary(s => s.Name, s => s.Doc.Summary);
        Assert.Equal("Area of the shape in square units, computed from its current dimensions.", docs["Area"]);
        Assert.Equal("Length of the outline: the sum of the lengths of every side.", docs["Perimeter"]);
        Assert.Equal("Scales every side by a factor and returns the new outline length, rejecting negative factors.", docs["Scaled"]);
        Assert.DoesNotContain("ToString", docs.Keys);

        // The interface names its parameter `factor`; the implementation's is `times`, and the instruction speaks of that.
        var stretch = seeds.Single(s => s.Name == "Stretch").Doc;
        Assert.Equal("Stretches the shape by `times` along x and returns its new width.", stretch.Summary);
        Assert.Equal([new NamedDoc("times", "How many times wider; at least zero.")], stretch.Params);
        Assert.Equal(4, stats.SeedRejects[SeedExtractor.Reasons.InheritDocUnresolved]);
        var why = stats.SeedRejectExamples[SeedExtractor.Reasons.InheritDocUnresolved];
        Assert.Contains(why, e => e.Contains("ToString: the doc of object.ToString() is not in the source", StringComparison.Ordinal));
        // A cref to an overload whose doc documents a parameter this one lacks, a cref to nothing, a cref to itself.
        Assert.Contains(why, e => e.Contains("PadStart: the doc it inherits documents `fill`, a parameter it does not have", StringComparison.Ordinal));
        Assert.Contains(why, e => e.Contains("Missing: its <inheritdoc cref=\"…\"/> names nothing this code base declares or references", StringComparison.Ordinal));
        Assert.Contains(why, e => e.Contains("Looping: its <inheritdoc/> chain loops back on itself", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Extract_ConstructorWithInitializer_StubHasNoInitializerAndTheResponseKeepsIt()
    {
        _tree.Write("Errors.cs", """
            namespace Demo;

            public class ParseError
            {
                /// <summary>Creates an error with its message.</summary>
                public ParseError(string message) => Message = message;

                public string Message { get; }

                protected static string Describe(int line, int column) => $"line {line}, column {column}";
            }

            public sealed class UnexpectedToken : ParseError
            {
                private readonly string _token;

                /// <summary>An unexpected token at a line and column; the message names the place, the token is kept trimmed for display.</summary>
                public UnexpectedToken(string token, int line, int column) : base(Describe(line, column))
                {
                    _token = token.Trim();
                    Console.WriteLine(_token.Length);
                }
            }

            public class Node
            {
                public int Depth { get; protected set; }
            }

            public sealed class Leaf : Node
            {
                private readonly string _text;

                /// <summary>A leaf below its parent: one level deeper, its text kept without surrounding white space.</summary>
                public Leaf(Node parent, string text) : this(text.Trim())
                {
                    Depth = parent.Depth + 1;
                    Console.WriteLine(Depth);
                }

                private Leaf(string text) => _text = text;

                public override string ToString() => _text;
            }

            public sealed class Span(int start, int end)
            {
                public int Length => end - start;

                /// <summary>Reads a span written as "start-end", both ends inclusive.</summary>
                public Span(string text) : this(int.Parse(text.Split('-')[0]), int.Parse(text.Split('-')[1]) + 1)
                {
                    Console.WriteLine(Length);
                }
            }
            """);

        var (seeds, _) = await HarvestAsync(gates: false);

        // A base class without a parameterless constructor: the stub chains to it with defaults of its parameter types.
        var unexpected = Assert.Single(seeds, s => s.Name == "UnexpectedToken");
        Assert.Contains("public UnexpectedToken(string token, int line, int column) : base(Describe(line, column))\n{", unexpected.Member, StringComparison.Ordinal);
        Assert.Contains("public UnexpectedToken(string token, int line, int column) : base(default(string)!)\n", unexpected.Context, StringComparison.Ordinal);
        Assert.DoesNotContain("Describe(line, column)", unexpected.Context, StringComparison.Ordinal);
        Assert.Equal("public UnexpectedToken(string token, int line, int column)", unexpected.Signature);

        // A base class with one: the stub has no initializer at all.
        var leaf = Assert.Single(seeds, s => s.Name == "Leaf");
        Assert.Contains(": this(text.Trim())", leaf.Member, StringComparison.Ordinal);
        Assert.Contains("public Leaf(Node parent, string text)\n    {\n        throw new NotImplementedException();", leaf.Context, StringComparison.Ordinal);
        Assert.DoesNotContain("this(text.Trim())", leaf.Context, StringComparison.Ordinal);

        // A primary constructor must be chained to: the stub chains to it with defaults.
        var span = Assert.Single(seeds, s => s.Name == "Span");
        Assert.Contains("public Span(string text) : this(default(int)!, default(int)!)\n", span.Context, StringComparison.Ordinal);
        Assert.DoesNotContain("Split", span.Context, StringComparison.Ordinal);
        Assert.DoesNotContain("Split", span.Signature, StringComparison.Ordinal);
        Assert.Contains(": this(int.Parse(text.Split('-')[0]), int.Parse(text.Split('-')[1]) + 1)", span.Member, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Extract_TabIndentedAndTabAlignedCode_IsWrittenWithSpacesKeepingItsAlignment()
    {
        _tree.WriteBytes("Flags.cs", System.Text.Encoding.UTF8.GetBytes(
            "namespace Demo {\n" +
            "\tpublic enum Access {\n" +
            "\t\tNone\t\t= 0,\n" +
            "\t\tRead\t\t= 1,\n" +
            "\t\tReadWrite\t= 3,\n" +
            "\t}\n" +
            "\tpublic static class AccessText {\n" +
            "\t\t/// <summary>Describes an access level for the audit log, one word per granted right.</summary>\n" +
            "\t\tpublic static string Describe(Access access) {\n" +
            "\t\t\tvar words = new List<string>();\n" +
            "\t\t\tif ((access & Access.Read) != 0)\twords.Add(\"read\");\n" +
            "        \tif (access == Access.ReadWrite)\twords.Add(\"write\");\n" +
            "\t\t\treturn words.Count == 0 ? \"none\\tnone\" : string.Join(\"\t\", words);\n" +
            "\t\t}\n" +
            "\t}\n" +
            "}\n"));

        var (seeds, _) = await HarvestAsync();

        var seed = Assert.Single(seeds);
        var code = seed.Context + seed.Member;
        var outsideLiterals = code.Replace("string.Join(\"\t\", words)", "", StringComparison.Ordinal);
        Assert.DoesNotContain('\t', outsideLiterals);
        Assert.Contains("string.Join(\"\t\", words)", seed.Member, StringComparison.Ordinal); // a literal's own tab stays
        Assert.Contains("    None        = 0,\n    Read        = 1,\n    ReadWrite   = 3,", seed.Context, StringComparison.Ordinal);
        Assert.Contains("    var words = new List<string>();\n    if ((access & Access.Read) != 0)    words.Add(\"read\");\n    if (access == Access.ReadWrite) words.Add(\"write\");", seed.Member, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Extract_ProjectTypeNamedLikeAnImplicitlyImportedOne_IsTakenAndAliasedInTheUnit()
    {
        // dnlib's own Lock (under THREAD_SAFE) against .NET 9's System.Threading.Lock, which the implicit usings import.
        _tree.Write("Threading/Lock.cs", """
            namespace Demo.Threading
            {
                public sealed class Lock
                {
                    public static Lock Create() => new();
                    public void Enter() { }
                    public void Exit() { }
                }
            }
            """);
        _tree.Write("Cache.cs", """
            using Demo.Threading;

            namespace Demo
            {
                public sealed class Cache
                {
                    private readonly Lock _lock = Lock.Create();
                    private readonly Dictionary<string, int> _sizes = new();

                    /// <summary>Remembers an entry's size under the cache's lock, keeping the larger one when the key is already there.</summary>
                    public void Remember(string key, int size)
                    {
                        _lock.Enter();
                        try
                        {
                            _sizes[key] = _sizes.TryGetValue(key, out var known) ? Math.Max(known, size) : size;
                        }
                        finally
                        {
                            _lock.Exit();
                        }
                    }
                }
            }
            """);

        var (seeds, stats) = await HarvestAsync();

        var seed = Assert.Single(seeds);
        Assert.False(stats.SeedRejects.ContainsKey(SeedExtractor.Reasons.Unresolved));
        Assert.Contains("using Lock = global::Demo.Threading.Lock;", seed.Context, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Extract_AliasOnlyInactiveCodeUsed_IsLeftOutOfTheUnit()
    {
        // dnlib 2.1: `using ThreadSafe = …` chooses a collection namespace for code that is only compiled with THREAD_SAFE.
        _tree.Write("Names.cs", """
            #if THREAD_SAFE
            using ThreadSafe = Demo.Threading.Collections;
            #else
            using ThreadSafe = System.Collections.Generic;
            #endif
            using Joined = System.String;

            namespace Demo
            {
                public static class Names
                {
            #if THREAD_SAFE
                    public static ThreadSafe.IList<string> Shared() => null;
            #endif

                    /// <summary>Joins the names with commas after trimming each one and dropping the empty ones.</summary>
                    public static string Join(IEnumerable<string> names)
                    {
                        var kept = names.Select(n => n.Trim()).Where(n => n.Length > 0);
                        return string.Join(", ", kept);
                    }
                }
            }
            """);

        var (seeds, _) = await HarvestAsync();

        var seed = Assert.Single(seeds);
        Assert.DoesNotContain("ThreadSafe", seed.Context, StringComparison.Ordinal);
        Assert.DoesNotContain("Joined", seed.Context, StringComparison.Ordinal);
        Assert.StartsWith("namespace Demo", seed.Context, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Extract_BlockOpenedUnderADirective_IsIndentedOnceTheDirectivesAreGone()
    {
        _tree.Write("Lib/Lib.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net8.0</TargetFramework>
                <DefineConstants>$(DefineConstants);THREAD_SAFE</DefineConstants>
              </PropertyGroup>
            </Project>
            """);
        _tree.WriteBytes("Lib/Registry.cs", System.Text.Encoding.UTF8.GetBytes(
            "namespace Demo {\n" +
            "\tpublic sealed class Registry {\n" +
            "\t\treadonly object theLock = new object();\n" +
            "\t\treadonly Dictionary<string, int> ids = new Dictionary<string, int>();\n" +
            "\t\t/// <summary>Registers a name once and returns its id; a name seen before keeps the id it was given first.</summary>\n" +
            "\t\tpublic int Register(string name) {\n" +
            "\t\t\tvar key = name.Trim();\n" +
            "#if THREAD_SAFE\n" +
            "\t\t\tMonitor.Enter(theLock); try {\n" +
            "#endif\n" +
            "\t\t\tif (ids.TryGetValue(key, out var id))\n" +
            "\t\t\t\treturn id;\n" +
            "\t\t\tids[key] = ids.Count;\n" +
            "\t\t\treturn ids.Count - 1;\n" +
            "#if THREAD_SAFE\n" +
            "\t\t\t} finally { Monitor.Exit(theLock); }\n" +
            "#endif\n" +
            "\t\t}\n" +
            "\t}\n" +
            "}\n"));

        var (seeds, _) = await HarvestAsync();

        var seed = Assert.Single(seeds);
        Assert.Equal(
            "public int Register(string name) {\n" +
            "    var key = name.Trim();\n" +
            "    Monitor.Enter(theLock); try {\n" +
            "        if (ids.TryGetValue(key, out var id))\n" +
            "            return id;\n" +
            "        ids[key] = ids.Count;\n" +
            "        return ids.Count - 1;\n" +
            "    } finally { Monitor.Exit(theLock); }\n" +
            "}",
            seed.Member);
    }

    [Fact]
    public async Task Extract_UnresolvedInheritDocWithInspirationSeeds_IsOneInspirationSeed()
    {
        _tree.Write("ByLength.cs", """
            public sealed class ByLength : IComparer<string>
            {
                /// <inheritdoc/>
                public int Compare(string? x, string? y)
                {
                    var left = x?.Length ?? -1;
                    var right = y?.Length ?? -1;
                    return left.CompareTo(right);
                }
            }
            """);

        var (seeds, stats) = await HarvestAsync(inspiration: true);

        var seed = Assert.Single(seeds);
        Assert.False(seed.SelfContained);
        Assert.Equal("Compare", seed.Name);
        Assert.Equal(1, stats.SeedRejects[SeedExtractor.Reasons.InheritDocUnresolved]);
    }

    [Fact]
    public async Task Extract_KeptConstructorCallingBaseImplicitly_KeepsTheBasesParameterlessConstructor()
    {
        // dnlib's MethodBodyWriter: one constructor chains to base(list, list), another calls base() implicitly.
        _tree.Write("Writers.cs", """
            namespace Demo;

            public abstract class WriterBase
            {
                private IList<int>? _items;

                protected WriterBase() { }

                protected WriterBase(IList<int> items) => _items = items;

                /// <summary>Writes one token's raw value to the writer as four little-endian bytes.</summary>
                protected abstract void WriteToken(BinaryWriter writer, int token);
            }

            public sealed class Writer : WriterBase
            {
                private readonly Func<int, int> _map;

                internal Writer(Func<int, int> map) { _map = map; }

                public Writer(Func<int, int> map, IList<int> items) : base(items) { _map = map; }

                /// <inheritdoc/>
                protected override void WriteToken(BinaryWriter writer, int token)
                {
                    var raw = _map(token);
                    writer.Write(raw);
                }
            }
            """);

        var (seeds, stats) = await HarvestAsync(gates: false);

        var seed = Assert.Single(seeds, s => s.Name == "WriteToken" && s.ContainingType.Contains("Writer", StringComparison.Ordinal) && s.Context.Contains("override", StringComparison.Ordinal));
        Assert.Contains("protected WriterBase()", seed.Context, StringComparison.Ordinal);
        Assert.False(stats.SeedRejects.ContainsKey(SeedExtractor.Reasons.NotSelfContained));
    }
}
