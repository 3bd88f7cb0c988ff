using System.Collections.Immutable;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AutoRefiner.CSharp;

/// <summary>
/// What every compilation shares, created once per process: the .NET 10 reference assemblies, the parse options
/// of an SDK project, and the SDK's implicit global usings. Creating references per compilation is 8–10× slower.
/// </summary>
public static class ReferenceSet
{
    /// <summary>The <c>global using</c>s the .NET SDK adds to a library or console project with <c>ImplicitUsings</c>.</summary>
    public static readonly ImmutableArray<string> ImplicitUsings =
        ["System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Threading", "System.Threading.Tasks"];

    /// <summary>Preprocessor symbols of a net10.0 release build, so multi-targeted code takes its modern branch.</summary>
    public static readonly ImmutableArray<string> PreprocessorSymbols =
    [
        "NET", "NETCOREAPP", "RELEASE", "NET10_0",
        "NETCOREAPP1_0_OR_GREATER", "NETCOREAPP1_1_OR_GREATER", "NETCOREAPP2_0_OR_GREATER", "NETCOREAPP2_1_OR_GREATER",
        "NETCOREAPP2_2_OR_GREATER", "NETCOREAPP3_0_OR_GREATER", "NETCOREAPP3_1_OR_GREATER",
        "NET5_0_OR_GREATER", "NET6_0_OR_GREATER", "NET7_0_OR_GREATER", "NET8_0_OR_GREATER", "NET9_0_OR_GREATER", "NET10_0_OR_GREATER",
        "NETSTANDARD2_0_OR_GREATER", "NETSTANDARD2_1_OR_GREATER",
    ];

    /// <summary>The net10.0 reference assemblies.</summary>
    public static ImmutableArray<MetadataReference> References { get; } = [.. Net100.References.All];

    /// <summary>Parse options for code that is only compiled (doc comments are not parsed).</summary>
    public static CSharpParseOptions ParseOptions { get; } = new CSharpParseOptions(
        LanguageVersion.Latest, DocumentationMode.None, SourceCodeKind.Regular, PreprocessorSymbols);

    /// <summary>Parse options for code that is analysed (doc comments are parsed into structure).</summary>
    public static CSharpParseOptions AnalysisParseOptions { get; } = ParseOptions.WithDocumentationMode(DocumentationMode.Parse);

    /// <summary>Options of an SDK library project: nullable enabled, no unsafe code, warnings are not errors.</summary>
    public static CSharpCompilationOptions LibraryOptions { get; } = new CSharpCompilationOptions(
        OutputKind.DynamicallyLinkedLibrary,
        nullableContextOptions: NullableContextOptions.Enable,
        allowUnsafe: false,
        concurrentBuild: false,
        optimizationLevel: OptimizationLevel.Debug);

    /// <summary>The implicit usings as a syntax tree, parsed once and added to every compilation.</summary>
    public static SyntaxTree ImplicitUsingsTree { get; } = CSharpSyntaxTree.ParseText(
        string.Concat(ImplicitUsings.Select(u => $"global using global::{u};\n")), ParseOptions, path: "ImplicitUsings.g.cs");
}
