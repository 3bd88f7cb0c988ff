using AutoRefiner.CSharp;
using AutoRefiner.Validator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AutoRefiner.Validator.Tests;

/// <summary>The references source code is compiled against: the reference assemblies that declare types.</summary>
public sealed class ReferenceSetTests
{
    [Fact]
    public void SourceReferences_LeaveOutOnlyTheFacadesThatForwardTypes()
    {
        var names = ReferenceSet.SourceReferences.Select(r => r.Display).ToList();

        Assert.Equal(ReferenceSet.References.Length - 60, names.Count);
        Assert.DoesNotContain(names, n => n!.StartsWith("netstandard", StringComparison.Ordinal) || n.StartsWith("mscorlib", StringComparison.Ordinal));
        Assert.Contains(names, n => n!.StartsWith("System.Runtime ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("using System.Xml.Linq; public static class M { public static XElement F() => new(\"a\", new XAttribute(\"b\", 1)); }")]
    [InlineData("using System.Collections.Concurrent; using System.Text.RegularExpressions; public static class M { public static int F(ConcurrentDictionary<string, Regex> d) => d.Count + System.Numerics.BigInteger.One.GetHashCode(); }")]
    [InlineData("public static class M { public static System.Data.DataTable F() => new(); }")]
    [InlineData("public static class M { public static System.Net.WebClient F() => new(); }")]
    [InlineData("public static class M { public static Newtonsoft.Json.JsonSerializer F() => new(); }")]
    public void SourceReferences_CompileCodeAsAllTheReferencesDo(string code)
    {
        var tree = CSharpSyntaxTree.ParseText(code, ReferenceSet.ParseOptions);
        string[] Errors(IEnumerable<MetadataReference> references) =>
            [.. CSharpCompilation.Create("Sample", [ReferenceSet.ImplicitUsingsTree, tree], references, ReferenceSet.LibraryOptions)
                .GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(RoslynCompiler.Format)];

        Assert.Equal(Errors(ReferenceSet.References), Errors(ReferenceSet.SourceReferences));
    }
}
