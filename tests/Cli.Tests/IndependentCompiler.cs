using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AutoRefiner.Cli.Tests;

/// <summary>
/// A second opinion on "compiles on its own", independent of the product's compiler: the installed SDK's own reference
/// pack (not the Basic.Reference.Assemblies package), the SDK's implicit usings written out here, and a full Emit.
/// </summary>
internal static class IndependentCompiler
{
    private static readonly Lazy<MetadataReference[]> References = new(() =>
    {
        // .../dotnet/shared/Microsoft.NETCore.App/<version>/System.Private.CoreLib.dll → .../dotnet
        var root = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "..", "..", ".."));
        var pack = Directory.GetDirectories(Path.Combine(root, "packs", "Microsoft.NETCore.App.Ref"))
            .Where(d => Path.GetFileName(d).StartsWith("10.", StringComparison.Ordinal))
            .OrderBy(d => Version.Parse(Path.GetFileName(d).Split('-')[0]))
            .Last();
        return [.. Directory.GetFiles(Path.Combine(pack, "ref", "net10.0"), "*.dll").Select(f => MetadataReference.CreateFromFile(f))];
    });

    /// <summary>The SDK's reference pack for .NET 10.</summary>
    public static IReadOnlyList<MetadataReference> SdkReferences => References.Value;

    public const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    public static IReadOnlyList<string> Errors(string code)
    {
        var options = new CSharpParseOptions(LanguageVersion.Latest);
        var compilation = CSharpCompilation.Create(
            "Independent",
            [CSharpSyntaxTree.ParseText(ImplicitUsings, options), CSharpSyntaxTree.ParseText(code, options)],
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var stream = new MemoryStream();
        var result = compilation.Emit(stream);
        return [.. result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString())];
    }
}
