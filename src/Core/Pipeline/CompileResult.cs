using AutoRefiner.Core.Model;

namespace AutoRefiner.Core.Pipeline;

/// <summary>The outcome of <see cref="ICodeCompiler.Compile"/>.</summary>
/// <param name="Success">No errors.</param>
/// <param name="Errors">The first error diagnostics, formatted as the compiler prints them (<c>(3,5): error CS0103: …</c>).</param>
public sealed record CompileResult(bool Success, IReadOnlyList<string> Errors)
{
    /// <summary>1-based lines of using directives the compiler found unnecessary (CS8019).</summary>
    public IReadOnlyList<int> UnusedUsingLines { get; init; } = [];

    /// <summary>Warnings that mean the code cannot work as written (a field that is never assigned: CS0649).</summary>
    public IReadOnlyList<string> DefectWarnings { get; init; } = [];

    /// <summary>
    /// How many nullable-reference-type warnings (CS86xx and their kin) the code raises: code written before nullable
    /// annotations raises them, and a row must not claim a setting its own answer breaks.
    /// </summary>
    public int NullableWarnings { get; init; }
}
