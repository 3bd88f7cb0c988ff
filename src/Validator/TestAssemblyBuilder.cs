using System.Collections.Immutable;
using AutoRefiner.CSharp;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AutoRefiner.Validator;

/// <summary>
/// Compiles a solution and its xunit tests together, in memory, against the .NET reference assemblies and xunit's
/// attribute and assertion assemblies, with the SDK's implicit usings and the xunit template's <c>global using Xunit;</c>;
/// checks the deny-list on both; and emits the assembly the sandbox runs. Thread-safe.
/// </summary>
internal static class TestAssemblyBuilder
{
    /// <summary>File names the diagnostics use, so a repair request says which part is wrong.</summary>
    public const string SolutionFile = "Solution.cs";

    /// <summary>See <see cref="SolutionFile"/>.</summary>
    public const string TestsFile = "Tests.cs";

    internal static readonly ImmutableArray<MetadataReference> References =
    [
        .. ReferenceSet.References,
        MetadataReference.CreateFromFile(typeof(Xunit.Assert).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(Xunit.FactAttribute).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(Xunit.Abstractions.ITestOutputHelper).Assembly.Location),
    ];

    internal static readonly SyntaxTree XunitUsing = CSharpSyntaxTree.ParseText("global using Xunit;\n", ReferenceSet.ParseOptions, path: "XunitUsing.g.cs");

    /// <summary>The result of <see cref="Build(string, string, CancellationToken)"/>: errors, or a denied use, or the assembly.</summary>
    /// <param name="Errors">The first compiler errors (<c>Tests.cs(4,9): error CS0103: …</c>); empty when it compiled.</param>
    /// <param name="BannedUse">The first use of a denied API, or null.</param>
    /// <param name="Image">The emitted assembly, when it compiled and nothing denied is used.</param>
    public sealed record Result(IReadOnlyList<string> Errors, string? BannedUse, byte[]? Image)
    {
        /// <summary>NuGet packages the code needs and the sandbox does not have, each with the <c>using</c> that needs it (<see cref="MissingPackages"/>).</summary>
        public IReadOnlyList<string> MissingPackages { get; init; } = [];
    }

    /// <summary>Compiles, checks and emits.</summary>
    public static Result Build(string solution, string tests, CancellationToken cancellationToken) => Build(solution, tests, checkDenyList: true, cancellationToken);

    /// <summary>Compiles and emits; without the deny-list only to test the sandbox's other layers on their own.</summary>
    internal static Result Build(string solution, string tests, bool checkDenyList, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(solution);
        ArgumentNullException.ThrowIfNull(tests);
        return DeepCode.Run(() => BuildHere(solution, tests, checkDenyList, cancellationToken));
    }

    private static Result BuildHere(string solution, string tests, bool checkDenyList, CancellationToken cancellationToken)
    {
        var solutionTree = CSharpSyntaxTree.ParseText(solution, ReferenceSet.ParseOptions, path: SolutionFile, cancellationToken: cancellationToken);
        var testsTree = CSharpSyntaxTree.ParseText(tests, ReferenceSet.ParseOptions, path: TestsFile, cancellationToken: cancellationToken);
        if (SyntaxDepth.IsTooDeep(solutionTree.GetRoot(cancellationToken), DeepCode.DepthLimit) || SyntaxDepth.IsTooDeep(testsTree.GetRoot(cancellationToken), DeepCode.DepthLimit))
        {
            return new Result([DeepCode.TooDeep], null, null);
        }

        var compilation = CSharpCompilation.Create(
            "Generated_" + Guid.NewGuid().ToString("N")[..12],
            [ReferenceSet.ImplicitUsingsTree, XunitUsing, solutionTree, testsTree],
            References,
            ReferenceSet.LibraryOptions);

        var allErrors = compilation.GetDiagnostics(cancellationToken).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        var errors = allErrors
            .OrderBy(d => d.Location.SourceTree == testsTree ? 1 : 0)
            .ThenBy(d => d.Location.SourceSpan.Start)
            .Take(RoslynCompiler.MaxErrors)
            .Select(Format)
            .ToList();

        // Denied uses are named even in code that does not compile: the model is told what not to use.
        var banned = checkDenyList ? BannedApis.FirstViolation(compilation, [solutionTree, testsTree], cancellationToken) : null;
        if (errors.Count > 0 || banned is not null)
        {
            return new Result(errors, banned, null) { MissingPackages = MissingPackages.Find(allErrors, cancellationToken) };
        }

        using var pe = new MemoryStream();
        var emitted = compilation.Emit(pe, cancellationToken: cancellationToken);
        return emitted.Success
            ? new Result([], null, pe.ToArray())
            : new Result([.. emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(RoslynCompiler.MaxErrors).Select(Format)], null, null);
    }

    /// <summary>A diagnostic with the file it is in: <c>Tests.cs(3,5): error CS0103: …</c>.</summary>
    internal static string Format(Diagnostic diagnostic)
    {
        var text = RoslynCompiler.Format(diagnostic);
        return diagnostic.Location.SourceTree?.FilePath is { Length: > 0 } file && diagnostic.Location.IsInSource ? file + text : text;
    }
}
