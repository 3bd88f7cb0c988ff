using AutoRefiner.CSharp;
using AutoRefiner.Harvester.Seeds;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoRefiner.Harvester.Tests.Seeds;

/// <summary>A closure's compiler errors: bodies bound only when the unit keeps them, each asked once per compilation.</summary>
public sealed class ClosureDiagnosticsTests
{
    private const string Code = """
        public class Shapes : MissingBase
        {
            public int Broken() { return Unknown(); }

            public int Signature(MissingType value) { return 1; }
        }

        public class Fine : System.Collections.Generic.List<int>
        {
            public int AlsoBroken() { return Nowhere(); }
        }
        """;

    private static (SemanticModel Model, CompilationUnitSyntax Root) Compile()
    {
        var tree = CSharpSyntaxTree.ParseText(Code, ReferenceSet.AnalysisParseOptions);
        var compilation = CSharpCompilation.Create("Test", [tree], ReferenceSet.References, ReferenceSet.LibraryOptions);
        return (compilation.GetSemanticModel(tree), (CompilationUnitSyntax)tree.GetRoot());
    }

    private static MethodDeclarationSyntax Method(CompilationUnitSyntax root, string name) =>
        root.DescendantNodes().OfType<MethodDeclarationSyntax>().Single(m => m.Identifier.Text == name);

    [Fact]
    public void ErrorsIn_WithoutBodies_ReportsTheSignatureNotTheBody()
    {
        var (model, root) = Compile();
        var diagnostics = new ClosureDiagnostics();

        Assert.Empty(diagnostics.ErrorsIn(Method(root, "Broken"), model, bodies: false));
        Assert.Equal(["CS0246"], diagnostics.ErrorsIn(Method(root, "Signature"), model, bodies: false).Select(d => d.Id));
        Assert.Equal(["CS0103"], diagnostics.ErrorsIn(Method(root, "Broken"), model, bodies: true).Select(d => d.Id));
    }

    [Fact]
    public void ErrorsIn_AskedAgain_IsAnsweredFromTheFirstAnswer()
    {
        var (model, root) = Compile();
        var diagnostics = new ClosureDiagnostics();

        var first = diagnostics.ErrorsIn(Method(root, "Broken"), model, bodies: true);
        var second = diagnostics.ErrorsIn(Method(root, "Broken"), model, bodies: true);

        // The same array: the member was diagnosed once.
        Assert.True(first == second);
    }

    [Fact]
    public void IsBroken_BaseTheProjectCannotResolve_TrueAndBodyErrorsOfTheTypeDoNotCount()
    {
        var (model, root) = Compile();
        var diagnostics = new ClosureDiagnostics();
        var bases = root.DescendantNodes().OfType<BaseTypeSyntax>().ToList();

        Assert.True(diagnostics.IsBroken(bases[0], model));
        Assert.False(diagnostics.IsBroken(bases[1], model));
    }
}
