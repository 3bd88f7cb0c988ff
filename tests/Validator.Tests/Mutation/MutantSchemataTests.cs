using System.Reflection;
using System.Runtime.Loader;
using AutoRefiner.Validator.Mutation;

namespace AutoRefiner.Validator.Tests.Mutation;

public sealed class MutantSchemataTests
{
    private const string Tests = """
        public class T
        {
            [Fact]
            public void Runs() => Assert.True(true);
        }
        """;

    private const string Shapes = """
        namespace Exercises;

        public sealed class Shapes
        {
            private int _count;

            public static bool IsSmall(int size) => size < 10 && size != 0;

            public int Area(int w, int h)
            {
                _count += 1;
                if (w > h)
                {
                    return w * h;
                }

                return h * w - 0;
            }

            public bool Either(bool a, bool b) => a || b;

            public int Count => _count;
        }
        """;

    [Fact]
    public void Build_TheSameSolutionTwice_GivesTheSameMutantsWithTheSameIds()
    {
        var first = MutantSchemata.Build(Shapes, Tests, 20, null, CancellationToken.None);
        var second = MutantSchemata.Build(Shapes, Tests, 20, null, CancellationToken.None);

        Assert.NotNull(first.Image);
        Assert.Equal(20, first.Mutants.Count);
        Assert.Equal(first.Mutants, second.Mutants);
        Assert.Equal(first.Mutants.Count, first.Mutants.Select(m => m.Id).Distinct().Count());
    }

    [Fact]
    public void Build_ACap_IsRespectedAndSpreadOverEveryMember()
    {
        var built = MutantSchemata.Build(Shapes, Tests, 4, null, CancellationToken.None);

        Assert.Equal(4, built.Mutants.Count);
        Assert.Equal(4, built.Mutants.Select(m => m.Member).Distinct().Count());
    }

    [Fact]
    public void Build_EnoughMutants_UsesEveryOperator()
    {
        var built = MutantSchemata.Build(Shapes, Tests, 200, null, CancellationToken.None);

        Assert.Equal(
            ["arithmetic", "constant", "equality", "logical", "negate", "relational", "remove-statement", "return-default"],
            built.Mutants.Select(m => m.Kind).Distinct().Order(StringComparer.Ordinal));
        var flip = Assert.Single(built.Mutants, m => m.Kind == "relational" && m.Diff.Contains("w > h", StringComparison.Ordinal));
        Assert.Equal("- if (w > h)\n+ if (w >= h)", flip.Diff);
        Assert.Equal(12, flip.Line);
        Assert.Contains(built.Mutants, m => m.Kind == "arithmetic" && m.Diff == "- _count += 1;\n+ _count -= 1;");
        Assert.Contains(built.Mutants, m => m.Kind == "remove-statement" && m.Diff == "- _count += 1;");
        Assert.Contains(built.Mutants, m => m.Kind == "return-default" && m.Member.StartsWith("Shapes.Area", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_EachMutant_IsSwitchedOnByItsIdAndOnlyThen()
    {
        var built = MutantSchemata.Build(
            "public static class M { public static int Twice(int x) => x * 2; }",
            Tests, 20, null, CancellationToken.None);
        var context = new AssemblyLoadContext("mutants", isCollectible: true);
        try
        {
            var assembly = context.LoadFromStream(new MemoryStream(built.Image!));
            var twice = assembly.GetType("M")!.GetMethod("Twice")!;
            var id = assembly.GetType("__ArMutant")!.GetField("Id", BindingFlags.Public | BindingFlags.Static)!;
            Assert.Equal(14, twice.Invoke(null, [7]));
            var results = built.Mutants.ToDictionary(m => m.Diff, m =>
            {
                id.SetValue(null, m.Id);
                var value = twice.Invoke(null, [7]);
                id.SetValue(null, 0);
                return value;
            });

            const string Line = "- public static class M { public static int Twice(int x) => x * 2; }\n+ public static class M { public static int Twice(int x) => ";
            Assert.Equal(3, results[Line + "x / 2; }"]);
            Assert.Equal(21, results[Line + "x * 3; }"]);
            Assert.Equal(0, results[Line + "x * 0; }"]);
            Assert.Equal(0, results[Line + "default; }"]);
            Assert.Equal(14, twice.Invoke(null, [7]));
        }
        finally
        {
            context.Unload();
        }
    }

    [Fact]
    public void Build_MutantsThatWouldNotCompile_AreDroppedAndTheRestBuilt()
    {
        // A changed literal where a byte is needed is no longer a constant; a removed assignment leaves a read unassigned.
        var built = MutantSchemata.Build("""
            public static class B
            {
                public static byte Small() { byte b = 5; return b; }

                public static int Assigned(int x)
                {
                    int y;
                    y = x + 1;
                    return y;
                }
            }
            """, Tests, 100, null, CancellationToken.None);

        Assert.NotNull(built.Image);
        Assert.Null(built.Problem);
        Assert.DoesNotContain(built.Mutants, m => m.Kind == "constant" && m.Diff.Contains("byte b", StringComparison.Ordinal));
        Assert.DoesNotContain(built.Mutants, m => m.Kind == "remove-statement" && m.Diff == "- y = x + 1;");
        Assert.Contains(built.Mutants, m => m.Kind == "arithmetic" && m.Diff == "- y = x + 1;\n+ y = x - 1;");
    }

    [Fact]
    public void Build_NoPlaceToMutate_IsNoMutantsAndNoProblem()
    {
        var built = MutantSchemata.Build("public sealed record Point(string Name);", Tests, 20, null, CancellationToken.None);

        Assert.Empty(built.Mutants);
        Assert.Null(built.Image);
        Assert.Null(built.Problem);
    }

    [Fact]
    public void Build_ConstantsAndStaticInitialisers_AreNotMutated()
    {
        var built = MutantSchemata.Build("""
            public static class K
            {
                private const int Limit = 3;
                private static readonly int Start = 4 + 1;

                public static int Pick(int x) => x switch { 1 => Limit, _ => Start };
            }
            """, Tests, 50, null, CancellationToken.None);

        Assert.DoesNotContain(built.Mutants, m => m.Line is 3 or 4);
        Assert.Contains(built.Mutants, m => m.Kind == "return-default");
        Assert.True(built.Reusable);
    }

    [Fact]
    public void Build_MutableStaticState_IsNotReusedAcrossMutants()
    {
        var built = MutantSchemata.Build("""
            public static class Memo
            {
                private static readonly Dictionary<int, long> Cache = [];

                public static long Fib(int n) => n < 2 ? n : Cache.TryGetValue(n, out var v) ? v : Cache[n] = Fib(n - 1) + Fib(n - 2);
            }
            """, Tests, 20, null, CancellationToken.None);

        Assert.NotEmpty(built.Mutants);
        Assert.False(built.Reusable);
    }

    [Fact]
    public void Build_TestsReadonlyCaseData_StillLetsOneLoadServeEveryMutant()
    {
        var built = MutantSchemata.Build(
            "public static class Sum { public static int Of(int[] xs) { var t = 0; foreach (var x in xs) { t += x; } return t; } }",
            "public class S { private static readonly int[] Data = [1, 2, 3]; [Fact] public void Six() => Assert.Equal(6, Sum.Of(Data)); }",
            20, null, CancellationToken.None);

        Assert.NotEmpty(built.Mutants);
        Assert.True(built.Reusable);
    }

    [Fact]
    public void Build_AScope_MutatesOnlyWithinIt()
    {
        var solution = """
            public static class Two
            {
                public static int Inside(int x) => x + 1;

                public static int Outside(int x) => x - 1;
            }
            """;
        var start = solution.IndexOf("public static int Inside", StringComparison.Ordinal);
        var built = MutantSchemata.Build(solution, Tests, 20, new Microsoft.CodeAnalysis.Text.TextSpan(start, solution.IndexOf('\n', start) - start), CancellationToken.None);

        Assert.NotEmpty(built.Mutants);
        Assert.All(built.Mutants, m => Assert.StartsWith("Two.Inside", m.Member, StringComparison.Ordinal));
    }
}
