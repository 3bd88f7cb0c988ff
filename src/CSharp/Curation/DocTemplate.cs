using System.Text;
using System.Text.RegularExpressions;
using AutoRefiner.Core.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AutoRefiner.CSharp.Curation;

/// <summary>
/// A member's documentation with its names masked: what is left when the code names in it (the member's, its type's,
/// its parameters' and parameter types', and anything written as code) become <c>X</c>. "Gets or sets the
/// <c>Foo</c>." and "Gets or sets the <c>Bar</c>." are one template; a doc that says what a member does in its own
/// words is a template of its own. Families of rows with one template (the same sentence over many overloads or
/// sibling types) are capped on it, and near-duplicate detection compares it instead of the names.
/// </summary>
public static partial class DocTemplate
{
    /// <summary>The mask a name becomes.</summary>
    public const string Mask = "X";

    /// <summary>
    /// The template of <paramref name="seed"/>'s documentation: summary, remarks and returns, masked and normalised
    /// (words in lower case, single spaces, no closing full stop). Parameter texts are left out: they repeat the names.
    /// </summary>
    public static string Of(Seed seed)
    {
        ArgumentNullException.ThrowIfNull(seed);
        var names = NamesOf(seed);
        var doc = seed.Doc;
        var parts = new[] { doc.Summary, doc.Remarks, doc.Returns }.Where(p => p.Length > 0).Select(p => Normalise(Masked(p, names)));
        return string.Join(" | ", parts);
    }

    /// <summary>
    /// The whole documentation (summary, remarks, parameters, returns, exceptions) with names masked, as one text:
    /// what near-duplicate detection compares of a doc-comment row besides its code.
    /// </summary>
    public static string Text(Seed seed)
    {
        ArgumentNullException.ThrowIfNull(seed);
        var names = NamesOf(seed);
        var doc = seed.Doc;
        var sb = new StringBuilder();
        foreach (var part in new[] { doc.Summary, doc.Remarks, doc.Returns }
                     .Concat(doc.Params.Select(p => p.Text))
                     .Concat(doc.TypeParams.Select(p => p.Text))
                     .Concat(doc.Exceptions.Select(e => e.Text)))
        {
            if (part.Length > 0)
            {
                sb.Append(Normalise(Masked(part, names))).Append('\n');
            }
        }

        return sb.ToString();
    }

    /// <summary>The identifiers of the member's signature and containing type (names, parameter names, types).</summary>
    internal static HashSet<string> NamesOf(Seed seed)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { seed.Name };
        foreach (var text in new[] { seed.Signature, seed.ContainingType })
        {
            foreach (var token in SyntaxFactory.ParseTokens(text))
            {
                if (token.IsKind(SyntaxKind.IdentifierToken))
                {
                    names.Add(token.ValueText);
                }
            }
        }

        foreach (var p in seed.Doc.Params.Concat(seed.Doc.TypeParams))
        {
            names.Add(p.Name);
        }

        return names;
    }

    /// <summary>
    /// <paramref name="text"/> with every code span (<c>`…`</c>), every given name and every word that can only be a
    /// name (<c>JsonReader</c>, <c>max_depth</c>, <c>IList</c>) replaced by <see cref="Mask"/>, other words in lower case;
    /// runs of masks become one.
    /// </summary>
    internal static string Masked(string text, IReadOnlySet<string> names)
    {
        var masked = CodeSpan().Replace(text, Mask);
        masked = Word().Replace(masked, m => m.Value == Mask || names.Contains(m.Value) || LooksLikeName(m.Value) ? Mask : m.Value.ToLowerInvariant());
        return MaskRun().Replace(masked, Mask);
    }

    /// <summary>A word written like an identifier rather than English: an inner capital, a digit or an underscore.</summary>
    private static bool LooksLikeName(string word) =>
        word.Length > 1 && (word.Skip(1).Any(char.IsUpper) || word.Any(char.IsDigit) || word.Contains('_', StringComparison.Ordinal));

    private static string Normalise(string text) =>
        Spaces().Replace(text, " ").Trim().TrimEnd('.').Trim();

    [GeneratedRegex(@"`[^`]*`")]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"[A-Za-z_][A-Za-z0-9_]*")]
    private static partial Regex Word();

    [GeneratedRegex(@"X(?:[\s,./]+X)+\b")]
    private static partial Regex MaskRun();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
