using System.Globalization;
using AutoRefiner.CSharp;
using AutoRefiner.Core.Pipeline;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AutoRefiner.Validator;

/// <summary>
/// Compiles one compilation unit in memory as a net10.0 library with the SDK's implicit usings. Thread-safe:
/// compilations share the immutable <see cref="ReferenceSet"/> and run in parallel.
/// </summary>
public sealed class RoslynCompiler : ICodeCompiler
{
    /// <summary>How many errors a result keeps.</summary>
    public const int MaxErrors = 5;

    /// <inheritdoc />
    public CompileResult Compile(string code, CancellationToken cancellationToken) => DeepCode.Run(() => CompileHere(code, full: true, cancellationToken));

    /// <inheritdoc />
    public CompileResult Check(string code, CancellationToken cancellationToken) => DeepCode.Run(() => CompileHere(code, full: false, cancellationToken));

    /// <summary>
    /// The compilation every sample is added to: a compilation made from another by adding a tree keeps its resolved
    /// references, so the reference assemblies are bound once per process, not once per sample.
    /// </summary>
    private static readonly CSharpCompilation Template = ReferenceSet.Library.AddSyntaxTrees(ReferenceSet.ImplicitUsingsTree);

    /// <summary>The template of <see cref="Check"/>: its trees are parsed without doc comments or nullable analysis.</summary>
    private static readonly CSharpCompilation CheckTemplate = ReferenceSet.Library.AddSyntaxTrees(ReferenceSet.CheckImplicitUsingsTree);

    /// <summary>A full compile (<paramref name="full"/>) or only its errors (<see cref="Check"/>).</summary>
    private static CompileResult CompileHere(string code, bool full, CancellationToken cancellationToken)
    {
        // Doc comments are parsed for a full compile: the compiler only reports unnecessary usings (CS8019) then, since a
        // cref may need one.
        var options = full ? ReferenceSet.AnalysisParseOptions : ReferenceSet.CheckParseOptions;
        var tree = CSharpSyntaxTree.ParseText(code, options, path: "Sample.cs", cancellationToken: cancellationToken);
        if (SyntaxDepth.IsTooDeep(tree.GetRoot(cancellationToken), DeepCode.DepthLimit))
        {
            // Binding such code could overflow even the large stack and kill the process; it is no sample anyone wants.
            return new CompileResult(false, [DeepCode.TooDeep]);
        }

        var diagnostics = (full ? Template : CheckTemplate).AddSyntaxTrees(tree).GetDiagnostics(cancellationToken);
        var errors = diagnostics
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .OrderBy(d => d.Location.SourceSpan.Start).ThenBy(d => d.Id, StringComparer.Ordinal)
            .Take(MaxErrors)
            .Select(Format)
            .ToList();
        if (!full)
        {
            return new CompileResult(errors.Count == 0, errors);
        }

        var unused = diagnostics
            .Where(d => d.Id == "CS8019" && d.Location.SourceTree == tree)
            .Select(d => d.Location.GetLineSpan().StartLinePosition.Line + 1)
            .Distinct()
            .Order()
            .ToList();
        var defects = diagnostics
            .Where(d => d.Id == "CS0649" && d.Location.SourceTree == tree)
            .Take(MaxErrors)
            .Select(Format)
            .ToList();
        var nullable = diagnostics.Count(d => d.Severity == DiagnosticSeverity.Warning && d.Location.SourceTree == tree && IsNullableWarning(d.Id));
        return new CompileResult(errors.Count == 0, errors) { UnusedUsingLines = unused, DefectWarnings = defects, NullableWarnings = nullable };
    }

    /// <summary>The nullable-reference-type warnings: CS8597, CS86xx, CS8714, CS8762–CS8777, CS8819, CS8824, CS8825, CS8847.</summary>
    private static bool IsNullableWarning(string id) =>
        id.StartsWith("CS86", StringComparison.Ordinal)
        || id is "CS8597" or "CS8714" or "CS8819" or "CS8824" or "CS8825" or "CS8847"
        || (id.StartsWith("CS87", StringComparison.Ordinal) && int.TryParse(id.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 8762 and <= 8777);

    /// <summary>A diagnostic as the compiler prints it, without the file name: <c>(3,5): error CS0103: …</c>.</summary>
    public static string Format(Diagnostic diagnostic)
    {
        ArgumentNullException.ThrowIfNull(diagnostic);
        var position = diagnostic.Location.GetLineSpan().StartLinePosition;
        var where = diagnostic.Location.IsInSource ? $"({position.Line + 1},{position.Character + 1}): " : "";
        var severity = diagnostic.Severity == DiagnosticSeverity.Error ? "error" : "warning";
        return string.Create(CultureInfo.InvariantCulture, $"{where}{severity} {diagnostic.Id}: {diagnostic.GetMessage(CultureInfo.InvariantCulture)}");
    }
}
