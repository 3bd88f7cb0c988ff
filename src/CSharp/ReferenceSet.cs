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

    /// <summary>
    /// The reference assemblies that declare types: <see cref="References"/> without the 60 facades (<c>mscorlib</c>,
    /// <c>netstandard</c>, <c>System</c>, <c>System.IO</c>, …) that only forward types to the others. Source code finds no
    /// name through a forwarder and no other reference assembly refers to a facade, so code compiles against these
    /// exactly as against all of them; each compilation looks a well-known type up in every reference, and a third fewer
    /// references make a small unit's compilation cheaper. Code compiled with other metadata (a test framework built
    /// against <c>netstandard</c>, say) needs the facades: it takes <see cref="References"/>.
    /// </summary>
    public static ImmutableArray<MetadataReference> SourceReferences { get; } = [.. References.Where(DeclaresTypes)];

    /// <summary>Parse options for code that is only compiled (doc comments are not parsed).</summary>
    public static CSharpParseOptions ParseOptions { get; } = new CSharpParseOptions(
        LanguageVersion.Latest, DocumentationMode.None, SourceCodeKind.Regular, PreprocessorSymbols);

    /// <summary>Parse options for code that is analysed (doc comments are parsed into structure).</summary>
    public static CSharpParseOptions AnalysisParseOptions { get; } = ParseOptions.WithDocumentationMode(DocumentationMode.Parse);

    /// <summary>
    /// Parse options of the harvest's project compilations: doc comments parsed into structure, and no nullable flow
    /// analysis. The harvest asks those compilations for symbols and errors only, and the nullable walker reports
    /// warnings; without it, binding a body for a symbol or its errors costs about a quarter less. Every tree of one
    /// compilation must carry the same features (Roslyn throws otherwise), so all of its trees are parsed with these.
    /// </summary>
    public static CSharpParseOptions HarvestParseOptions { get; } =
        AnalysisParseOptions.WithFeatures([new KeyValuePair<string, string>("run-nullable-analysis", "never")]);

    /// <summary>
    /// Parse options of a compilation asked only whether code compiles: doc comments are not parsed and no nullable flow
    /// analysis runs, since both only ever give warnings.
    /// </summary>
    public static CSharpParseOptions CheckParseOptions { get; } =
        ParseOptions.WithFeatures([new KeyValuePair<string, string>("run-nullable-analysis", "never")]);

    /// <summary>Options of an SDK library project: nullable enabled, no unsafe code, warnings are not errors.</summary>
    public static CSharpCompilationOptions LibraryOptions { get; } = new CSharpCompilationOptions(
        OutputKind.DynamicallyLinkedLibrary,
        nullableContextOptions: NullableContextOptions.Enable,
        allowUnsafe: false,
        concurrentBuild: false,
        optimizationLevel: OptimizationLevel.Debug);

    /// <summary>
    /// The compilation every other one is made from, with the references and no code. A compilation made from another by
    /// adding trees shares its bound references (see TRAPS.md), so the reference set is bound once per process, not
    /// again for each project and each unit. A new assembly name would not share them, so every compilation made from it
    /// is called "Sample".
    /// </summary>
    public static CSharpCompilation Library { get; } = CSharpCompilation.Create("Sample", [], SourceReferences, LibraryOptions);

    /// <summary>The implicit usings as a syntax tree, parsed once and added to every compilation.</summary>
    public static SyntaxTree ImplicitUsingsTree { get; } = ImplicitUsingsParsed(ParseOptions);

    /// <summary>The implicit usings parsed with <see cref="CheckParseOptions"/>: a compilation's trees must all have the same features.</summary>
    public static SyntaxTree CheckImplicitUsingsTree { get; } = ImplicitUsingsParsed(CheckParseOptions);

    private static bool DeclaresTypes(MetadataReference reference) =>
        reference is PortableExecutableReference file
        && file.GetMetadata() is AssemblyMetadata assembly
        && assembly.GetModules().Any(m => m.GetMetadataReader().TypeDefinitions.Count > 1); // <Module> is always there

    private static SyntaxTree ImplicitUsingsParsed(CSharpParseOptions options) => CSharpSyntaxTree.ParseText(
        string.Concat(ImplicitUsings.Select(u => $"global using global::{u};\n")), options, path: "ImplicitUsings.g.cs");
}
