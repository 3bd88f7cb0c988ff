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

    [Fact]
    public void ErrorsIn_EachNodeTakesOnlyTheDeclarationErrorsOfItsOwnSpanAndTree()
    {
        // A tree's declaration errors are asked once for the whole tree; each node must still see only its own.
        var first = CSharpSyntaxTree.ParseText(Code, ReferenceSet.HarvestParseOptions, path: "First.cs");
        var second = CSharpSyntaxTree.ParseText("public class Other { public int Signature(AlsoMissing value) { return 2; } }", ReferenceSet.HarvestParseOptions, path: "Second.cs");
        var compilation = CSharpCompilation.Create("Test", [first, second], ReferenceSet.References, ReferenceSet.LibraryOptions);
        var (firstRoot, secondRoot) = ((CompilationUnitSyntax)first.GetRoot(), (CompilationUnitSyntax)second.GetRoot());
        var diagnostics = new ClosureDiagnostics();
        string Errors(SyntaxNode node, bool bodies) => string.Join(' ', diagnostics.ErrorsIn(node, compilation.GetSemanticModel(node.SyntaxTree), bodies).Select(d => d.GetMessage()));

        Assert.Equal("", Errors(Method(firstRoot, "Broken"), bodies: false));
        Assert.Equal("The type or namespace name 'MissingType' could not be found (are you missing a using directive or an assembly reference?)", Errors(Method(firstRoot, "Signature"), bodies: false));
        Assert.Equal("The type or namespace name 'AlsoMissing' could not be found (are you missing a using directive or an assembly reference?)", Errors(Method(secondRoot, "Signature"), bodies: false));
        Assert.Equal("The name 'Nowhere' does not exist in the current context", Errors(Method(firstRoot, "AlsoBroken"), bodies: true));

        // The class holds its base's error and its members' signature errors, not their bodies' when bodies are not asked.
        var shapes = firstRoot.DescendantNodes().OfType<ClassDeclarationSyntax>().First();
        Assert.Equal(["CS0246", "CS0246"], diagnostics.ErrorsIn(shapes, compilation.GetSemanticModel(first), bodies: false).Select(d => d.Id));
    }
}
