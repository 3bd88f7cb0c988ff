using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoRefiner.Validator;

/// <summary>
/// Tells code that needs a NuGet package from code that is wrong. A <c>using</c> directive that does not resolve, in
/// a compilation whose other errors are names not found (the package's types, its extension methods), is a missing
/// package: the sandbox compiles against the framework and xunit only, so no repair of the code would help. A lone
/// <c>using</c> that does not resolve while everything else does is a mistake in the code, and stays a compile error.
/// </summary>
internal static class MissingPackages
{
    /// <summary>Errors a missing package causes beyond its <c>using</c>: a type, a name or an extension method not found.</summary>
    private static readonly HashSet<string> NameNotFound = new(StringComparer.Ordinal) { "CS0246", "CS0234", "CS0103", "CS1061", "CS0117", "CS0305", "CS0308" };

    /// <summary>Namespaces whose package is named otherwise; others are named after the namespace (see <see cref="Package"/>).</summary>
    private static readonly (string Namespace, string Package)[] Known =
    [
        ("System.Reactive", "System.Reactive"),
        ("Microsoft.Reactive.Testing", "Microsoft.Reactive.Testing"),
        ("Microsoft.Extensions.Time.Testing", "Microsoft.Extensions.TimeProvider.Testing"),
        ("FsCheck.Xunit", "FsCheck.Xunit"),
        ("NUnit.Framework", "NUnit"),
        ("Newtonsoft.Json", "Newtonsoft.Json"),
        ("System.Collections.Immutable", "System.Collections.Immutable"),
    ];

    /// <summary>Each missing package with the first <c>using</c> that needs it (<c>Sprache: `using Sprache;` at Solution.cs(1,1)</c>); empty when none.</summary>
    public static IReadOnlyList<string> Find(IReadOnlyList<Diagnostic> errors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var missing = new Dictionary<string, string>(StringComparer.Ordinal);
        var otherNotFound = false;
        foreach (var error in errors)
        {
            if (!NameNotFound.Contains(error.Id) || error.Location.SourceTree is not { } tree)
            {
                continue;
            }

            var node = tree.GetRoot(cancellationToken).FindNode(error.Location.SourceSpan, getInnermostNodeForTie: true);
            var directive = node.FirstAncestorOrSelf<UsingDirectiveSyntax>();
            if (directive?.NamespaceOrType is not { } name)
            {
                otherNotFound = true;
                continue;
            }

            var package = Package(name.ToString());
            if (!missing.ContainsKey(package))
            {
                var position = directive.GetLocation().GetLineSpan().StartLinePosition;
                missing[package] = $"{package}: `{directive.ToString().Trim()}` at {tree.FilePath}({position.Line + 1},{position.Character + 1})";
            }
        }

        return otherNotFound ? [.. missing.Values] : [];
    }

    /// <summary>
    /// The package a namespace comes from: a known one, else the namespace itself for <c>System.*</c> and
    /// <c>Microsoft.*</c> (<c>Microsoft.Extensions.Logging</c>), else its first part (<c>FakeItEasy</c>, <c>Sprache</c>).
    /// </summary>
    public static string Package(string ns)
    {
        ArgumentNullException.ThrowIfNull(ns);
        ns = ns.Replace("global::", "", StringComparison.Ordinal);
        foreach (var (prefix, package) in Known)
        {
            if (ns == prefix || ns.StartsWith(prefix + ".", StringComparison.Ordinal))
            {
                return package;
            }
        }

        return ns.StartsWith("System.", StringComparison.Ordinal) || ns.StartsWith("Microsoft.", StringComparison.Ordinal) ? ns : ns.Split('.')[0];
    }
}
