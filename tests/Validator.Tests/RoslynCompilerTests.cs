using AutoRefiner.Core.Model;
using AutoRefiner.Validator;

namespace AutoRefiner.Validator.Tests;

public sealed class RoslynCompilerTests
{
    private readonly RoslynCompiler _compiler = new();

    [Fact]
    public void Compile_ValidLibraryCode_Succeeds()
    {
        var result = _compiler.Compile("public static class M { public static int Twice(int x) => x * 2; }", default);

        Assert.True(result.Success);
        Assert.Empty(result.Errors);
    }

    [Fact]
    public void Compile_UsesImplicitUsings_LikeAnSdkProject()
    {
        // List<T>, File, Task and LINQ come from the SDK's implicit usings, not from the code.
        var code = "public static class M { public static Task<int> Count(List<int> xs) => Task.FromResult(xs.Where(x => x > 0).Count() + File.ReadAllLines(\"a\").Length); }";

        Assert.True(_compiler.Compile(code, default).Success);
    }

    [Fact]
    public void Compile_UnknownName_ReportsTheCompilersOwnDiagnostic()
    {
        var result = _compiler.Compile("public static class M\n{\n    public static int F() => missing;\n}", default);

        Assert.False(result.Success);
        var error = Assert.Single(result.Errors);
        Assert.StartsWith("(3,30): error CS0103: The name 'missing' does not exist", error);
    }

    [Fact]
    public void Compile_PackageType_FailsBecauseOnlyTheBaseClassLibraryIsReferenced()
    {
        var result = _compiler.Compile("using Newtonsoft.Json; public static class M { public static string F(object o) => JsonConvert.SerializeObject(o); }", default);

        Assert.False(result.Success);
        Assert.Contains(result.Errors, e => e.Contains("CS0246", StringComparison.Ordinal));
    }

    [Fact]
    public void Compile_UnsafeCode_IsRejected()
    {
        var result = _compiler.Compile("public static class M { public static unsafe int F(int* p) => *p; }", default);

        Assert.False(result.Success);
        Assert.Contains(result.Errors, e => e.Contains("CS0227", StringComparison.Ordinal));
    }

    [Fact]
    public void Compile_TopLevelStatementsInALibrary_AreRejected()
    {
        Assert.False(_compiler.Compile("System.Console.WriteLine(1);", default).Success);
    }

    [Fact]
    public void Compile_NullableWarnings_AreNotErrors()
    {
        Assert.True(_compiler.Compile("public class C { public string Name; }", default).Success);
    }

    [Fact]
    public void Compile_ManyErrors_KeepsOnlyTheFirstFew()
    {
        var code = "public class C { " + string.Concat(Enumerable.Range(0, 20).Select(i => $"int F{i}() => x{i}; ")) + "}";

        var result = _compiler.Compile(code, default);

        Assert.Equal(RoslynCompiler.MaxErrors, result.Errors.Count);
    }

    [Fact]
    public async Task Compile_InParallel_GivesTheSameAnswers()
    {
        var codes = Enumerable.Range(0, 64).Select(i => i % 2 == 0 ? $"public class C{i} {{ int F() => {i}; }}" : $"public class C{i} {{ int F() => y; }}").ToList();

        var results = await Task.WhenAll(codes.Select(c => Task.Run(() => _compiler.Compile(c, default))));

        Assert.Equal(codes.Select((_, i) => i % 2 == 0), results.Select(r => r.Success));
    }

    [Fact]
    public void Compile_UnnecessaryUsings_AreReportedByLine()
    {
        var result = _compiler.Compile("using System.Text;\nusing System.Net;\n\npublic class C { public StringBuilder B = new(); }", default);

        Assert.True(result.Success);
        Assert.Equal([2], result.UnusedUsingLines);
    }

    [Theory]
    [InlineData("public static class M\n{\n    public static int F() => missing;\n}")]
    [InlineData("using Newtonsoft.Json; public static class M { public static string F(object o) => JsonConvert.SerializeObject(o); }")]
    [InlineData("public static class M { public static unsafe int F(int* p) => *p; }")]
    [InlineData("public class A { public void F() { int x = \"s\"; B b = null; } }")]
    [InlineData("/// <summary>Sees <see cref=\"Nowhere\"/>.</summary>\npublic class A { }")]
    [InlineData("#nullable enable\npublic class A { public string F(string? s) => s; }")]
    [InlineData("public static class M { public static int F(int x) { if (x > 0) { return 1; } } }")]
    [InlineData("class C { /** abc")]
    public void Check_GivesTheErrorsOfAFullCompile(string code)
    {
        var full = _compiler.Compile(code, default);
        var check = _compiler.Check(code, default);

        Assert.Equal(full.Success, check.Success);
        Assert.Equal(full.Errors.Select(Code), check.Errors.Select(Code));
        if (!code.Contains("/**", StringComparison.Ordinal))
        {
            // Only an error inside a doc comment is placed elsewhere, since a check does not parse doc comments.
            Assert.Equal(full.Errors, check.Errors);
        }
    }

    private static string Code(string error) => error[(error.IndexOf("error ", StringComparison.Ordinal) + 6)..].Split(':')[0];

    [Fact]
    public void Check_LooksForNoWarnings()
    {
        // Unused usings need the doc comments bound, nullable warnings the flow analysis: a check does neither.
        const string Code = "using System.Text;\n#nullable enable\npublic class A { public string F(string? s) => s; }";

        var full = _compiler.Compile(Code, default);
        var check = _compiler.Check(Code, default);

        Assert.True(check.Success);
        Assert.Equal([1], full.UnusedUsingLines);
        Assert.Equal(1, full.NullableWarnings);
        Assert.Empty(check.UnusedUsingLines);
        Assert.Equal(0, check.NullableWarnings);
    }

    [Fact]
    public void Check_CodeNestedTooDeep_IsRefusedBeforeItIsBound()
    {
        var code = "public class A { public int F() => " + string.Concat(Enumerable.Repeat("(", 5000)) + "1" + string.Concat(Enumerable.Repeat(")", 5000)) + "; }";

        var result = _compiler.Check(code, default);

        Assert.False(result.Success);
        Assert.Equal([DeepCode.TooDeep], result.Errors);
    }
}
